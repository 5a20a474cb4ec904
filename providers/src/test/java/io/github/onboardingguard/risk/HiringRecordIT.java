package io.github.onboardingguard.risk;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Hiring record: one shipping address for many hires, and the applicant who is not the person verifying")
class HiringRecordIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;

    @BeforeAll
    static void realmWithThreeToAFarm() {
        realm = DemoRealm.importFresh("hiring-record");
        // Three hires to one building before it alerts, as a company that sometimes hires flatmates would set it.
        realm.updatePolicy(
                Map.of("riskRules", "shared_shipping_address=ALERT accounts=3 window=P30D", "passkeyBinding", "false"));
    }

    private static Map<String, Object> address(String line1, String line2, String postalCode) {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("line1", line1);
        if (line2 != null) {
            address.put("line2", line2);
        }
        address.put("city", "Springfield");
        address.put("postalCode", postalCode);
        address.put("country", "US");
        return address;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> signals(String caseId, String rule) {
        List<Map<String, Object>> signals =
                (List<Map<String, Object>>) realm.getCase(caseId).get("signals");
        return signals.stream().filter(s -> rule.equals(s.get("rule"))).toList();
    }

    @Test
    @DisplayName("given two hires whose laptops ship to one house, when HR enters a third with that house spelled "
            + "another way, then shared_shipping_address names the other two; a hire elsewhere raises nothing")
    void laptopFarmAddress() {
        String first = (String)
                realm.createHire("farm-one", Map.of("shippingAddress", address("12 Main Street", "Apt 1", "62704")))
                        .get("id");
        String second =
                (String) realm.createHire("farm-two", Map.of("shippingAddress", address("12 main st.", null, "62704")))
                        .get("id");
        assertThat(signals(first, "shared_shipping_address")).isEmpty();
        assertThat(signals(second, "shared_shipping_address"))
                .as("two is below the realm's three")
                .isEmpty();

        Map<String, Object> third =
                realm.createHire("farm-three", Map.of("shippingAddress", address("12 MAIN ST #7", null, "62704 ")));
        assertThat(JsonFields.at(third, "shippingAddress.building")).isEqualTo("US|62704|12 main st");
        assertThat(signals((String) third.get("id"), "shared_shipping_address"))
                .singleElement()
                .satisfies(signal -> {
                    assertThat(signal).containsEntry("action", "ALERT");
                    assertThat(JsonFields.list(signal, "evidence.sharedWith"))
                            .isEqualTo(List.of("farm-one", "farm-two"));
                    assertThat(JsonFields.at(signal, "evidence.building")).isEqualTo("US|62704|12 main st");
                });

        String elsewhere = (String)
                realm.createHire("flat-elsewhere", Map.of("shippingAddress", address("14 Main Street", null, "62704")))
                        .get("id");
        assertThat(signals(elsewhere, "shared_shipping_address")).isEmpty();

        // HR changes an address later: the same check.
        Api.Reply moved = Api.call(
                "PATCH",
                realm.casesPath() + "/" + elsewhere,
                realm.adminToken(),
                Api.toJson(Map.of("shippingAddress", address("12 Main St", "Unit 9", "62704"))));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(signals(elsewhere, "shared_shipping_address"))
                .singleElement()
                .satisfies(signal -> assertThat(JsonFields.list(signal, "evidence.sharedWith"))
                        .isEqualTo(List.of("farm-one", "farm-three", "farm-two")));
        assertThat(realm.auditEntries("subject=flat-elsewhere&type=case.hiring_record"))
                .contains("Unit 9");
    }

    @Test
    @DisplayName("given an applicant record, when the document's legal names are someone else's, then "
            + "candidate_mismatch is raised and the verifier sees it with the record before the live step")
    void documentOfSomeoneElse() {
        String caseId = realm.hireInProbation(
                "stand-in",
                Map.of(
                        "applicant",
                        Map.of("name", "Maria Lopez", "email", "stand-in@example.com", "reference", "clear:ax-4411")));
        String verifier = realm.consoleTokenOf("verifier");
        HireBrowser hire = HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "stand-in", PASSWORD, null);
        Api.Reply opened = VerifierApi.open(realm.name, verifier, caseId, "DOCUMENT", "VIDEO");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
        // The test document says "Dana Document".
        Api.Reply approved = VerifierApi.approve(realm.name, verifier, VerifierApi.id(opened), "DOCUMENT", code);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);

        assertThat(signals(caseId, "candidate_mismatch")).singleElement().satisfies(signal -> {
            assertThat(JsonFields.at(signal, "evidence.field")).isEqualTo("name");
            assertThat(JsonFields.at(signal, "evidence.applicant")).isEqualTo("Maria Lopez");
            assertThat(JsonFields.at(signal, "evidence.document")).isEqualTo("Dana Document");
        });
        Api.Reply waiting = Api.get(VerifierApi.base(realm.name), verifier);
        assertThat(waiting.status()).as(waiting.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = ((List<Map<String, Object>>) waiting.json().get("items"))
                .stream().filter(c -> caseId.equals(c.get("id"))).findFirst().orElseThrow();
        assertThat(JsonFields.at(shown, "applicant.reference")).isEqualTo("clear:ax-4411");
        assertThat((List<?>) shown.get("candidateMismatches")).hasSize(1);
    }

    @Test
    @DisplayName("given an applicant record, when the hire on probation changes their email to another address, "
            + "then candidate_mismatch is raised; a matching document raises nothing")
    void contactsMovedAway() {
        String caseId = realm.hireInProbation(
                "mover", Map.of("applicant", Map.of("name", "Dana Document", "email", "mover@example.com")));
        Api.Reply updated = Api.post(
                "/realms/" + realm.name + "/account/",
                realm.tokenOf("mover"),
                Api.toJson(Map.of(
                        "username",
                        "mover",
                        "email",
                        "handler@example.net",
                        "firstName",
                        "Hire",
                        "lastName",
                        "mover")));
        assertThat(updated.status()).as(updated.body()).isIn(200, 204);
        assertThat(signals(caseId, "candidate_mismatch")).singleElement().satisfies(signal -> {
            assertThat(JsonFields.at(signal, "evidence.field")).isEqualTo("email");
            assertThat(JsonFields.at(signal, "evidence.applicant")).isEqualTo("mover@example.com");
            assertThat(JsonFields.at(signal, "evidence.now")).isEqualTo("handler@example.net");
        });

        String matching = realm.hireInProbation(
                "the-applicant", Map.of("applicant", Map.of("name", "Dana Document", "email", "x@example.com")));
        realm.verifyThroughCeremonies(matching, "the-applicant");
        assertThat(signals(matching, "candidate_mismatch")).isEmpty();
    }

    @Test
    @DisplayName("given bad hiring-record input, then a 400 names the field and no user is created; an applicant "
            + "record is written once")
    void badInputAndWriteOnce() {
        Map<String, Object> noCountry = address("1 Elm St", null, "10001");
        noCountry.remove("country");
        List<Map<String, Object>> bad = List.of(
                Map.of("shippingAddress", noCountry),
                Map.of("shippingAddress", Map.of("line1", "1 Elm St", "country", "US", "city", "X", "zip", "1")),
                Map.of("shippingAddress", "12 Main St"),
                Map.of("applicant", Map.of("reference", "only")),
                Map.of("applicant", Map.of("name", "A B", "email", "not-an-address")),
                Map.of("applicant", Map.of("name", "x".repeat(256))));
        List<String> fields = List.of(
                "shippingAddress.country",
                "shippingAddress.zip",
                "shippingAddress",
                "applicant.name",
                "applicant.email",
                "applicant.name");
        for (int i = 0; i < bad.size(); i++) {
            Map<String, Object> body = new LinkedHashMap<>(bad.get(i));
            body.put("username", "bad-record-" + i);
            body.put("sponsor", "hiring-manager");
            body.put("invitation", Map.of("send", false));
            Api.Reply refused = Api.post(realm.casesPath(), realm.adminToken(), Api.toJson(body));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json()).containsEntry("field", fields.get(i));
            assertThat(realm.resource.users().search("bad-record-" + i, true)).isEmpty();
        }

        String caseId = (String) realm.createHire("recorded-once", Map.of("applicant", Map.of("name", "Ann Applicant")))
                .get("id");
        Api.Reply rewritten = Api.call(
                "PATCH",
                realm.casesPath() + "/" + caseId,
                realm.adminToken(),
                Api.toJson(Map.of("applicant", Map.of("name", "Dana Document"))));
        assertThat(rewritten.status()).as(rewritten.body()).isEqualTo(409);
        assertThat(rewritten.json()).containsEntry("error", "applicant_recorded");
        assertThat(JsonFields.at(realm.getCase(caseId), "applicant.name")).isEqualTo("Ann Applicant");
    }
}

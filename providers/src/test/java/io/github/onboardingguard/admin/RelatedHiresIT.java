package io.github.onboardingguard.admin;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Related hires: the cases that share a network, a shipping address or a sponsor, and re-verifying them")
class RelatedHiresIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;
    private static DemoRealm otherRealm;
    private static final Map<String, Object> FARM =
            Map.of("shippingAddress", Map.of("line1", "12 Main Street", "postalCode", "62704", "country", "US"));

    @BeforeAll
    static void realms() {
        realm = DemoRealm.importFresh("related");
        otherRealm = DemoRealm.importFresh("related-other");
    }

    /** The hire's first sign-in, as if from {@code address} behind the realm's proxy. */
    private static void signInFrom(String username, String address) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", OPEN_CLIENT);
        form.put("client_secret", OPEN_CLIENT_SECRET);
        form.put("username", username);
        form.put("password", PASSWORD);
        Tokens.TokenResponse login = Tokens.tokenRequest(realm.name, form, Map.of("X-Forwarded-For", address));
        assertThat(login.status()).as(login.body().toString()).isEqualTo(200);
    }

    private static String hire(String username, String sponsor, Map<String, Object> extra, String address) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("sponsor", sponsor);
        String caseId = (String) realm.createHireWithPassword(username, body).get("id");
        signInFrom(username, address);
        return caseId;
    }

    private static String relatedPath(String caseId) {
        return realm.casesPath() + "/" + caseId + "/related";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> linksByUser(Api.Reply reply) {
        return ((List<Map<String, Object>>) reply.json().get("items"))
                .stream()
                        .collect(Collectors.toMap(
                                item -> (String) ((Map<String, Object>) item.get("user")).get("username"),
                                item -> ((List<Map<String, Object>>) item.get("links"))
                                        .stream()
                                                .map(link -> link.get("kind") + "=" + link.get("value"))
                                                .sorted()
                                                .collect(Collectors.joining(" "))));
    }

    @Test
    @DisplayName("given one hire found out, when the admin asks for related hires, then those sharing a network, the "
            + "shipping address's building or the sponsor are listed with what they share; the rest are not")
    void relatedByNetworkAddressAndSponsor() {
        String found = hire("found-out", "hiring-manager", FARM, "10.77.1.10");
        hire("same-network", "iam-admin", Map.of(), "10.77.1.99");
        hire(
                "same-house",
                "iam-admin",
                Map.of("shippingAddress", Map.of("line1", "12 MAIN ST #3", "postalCode", "62704", "country", "US")),
                "10.88.0.5");
        hire("same-sponsor", "hiring-manager", Map.of(), "10.99.0.5");
        hire("unrelated", "iam-admin", Map.of(), "10.66.0.5");

        Api.Reply related = Api.get(relatedPath(found), realm.tokenOf("service-desk"));
        assertThat(related.status()).as(related.body()).isEqualTo(200);
        assertThat(linksByUser(related))
                .containsEntry("same-network", "network=10.77.1.0/24")
                .containsEntry("same-house", "shippingAddress=US|62704|12 main st")
                .containsEntry("same-sponsor", "sponsor=hiring-manager")
                .doesNotContainKeys("unrelated", "found-out");
    }

    @Test
    @DisplayName("only admins who may view users read related hires and only those who may manage them re-verify; "
            + "every other caller is refused and nothing changes")
    void authorization() {
        String caseId = hire("matrix-hire", "hiring-manager", Map.of(), "10.55.0.1");
        String verified = hire("matrix-verified", "hiring-manager", Map.of(), "10.55.0.2");
        realm.applyEvent(verified, "DOCUMENT_APPROVED");
        realm.applyEvent(verified, "IDENTITY_APPROVED");
        String viewOnly = "related-viewer";
        realm.grantClientRole(
                TestRealms.createUser(realm.resource, viewOnly, PASSWORD, "employee"),
                "realm-management",
                "view-users");
        String bulk = Api.toJson(Map.of("cases", List.of(verified), "reason", "related to a found-out hire"));

        assertThat(Api.get(relatedPath(caseId), null).status()).as("anonymous").isEqualTo(401);
        assertThat(Api.post(realm.casesPath() + "/bulk-reverify", null, bulk).status())
                .as("anonymous")
                .isEqualTo(401);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("hire", realm.tokenOf("matrix-hire"));
        refused.put("verifier", realm.consoleTokenOf("verifier"));
        refused.put("auditor", realm.consoleTokenOf("auditor"));
        refused.put("admin of another realm", otherRealm.adminToken());
        for (Map.Entry<String, String> caller : refused.entrySet()) {
            assertThat(Api.get(relatedPath(caseId), caller.getValue()).status())
                    .as("read by %s", caller.getKey())
                    .isEqualTo(403);
            assertThat(Api.post(realm.casesPath() + "/bulk-reverify", caller.getValue(), bulk)
                            .status())
                    .as("re-verify by %s", caller.getKey())
                    .isEqualTo(403);
        }
        assertThat(Api.get(relatedPath(caseId), realm.tokenOf(viewOnly)).status())
                .isEqualTo(200);
        assertThat(Api.post(realm.casesPath() + "/bulk-reverify", realm.tokenOf(viewOnly), bulk)
                        .status())
                .as("view-users may read, not act")
                .isEqualTo(403);
        assertThat(realm.getCase(verified))
                .as("refused callers changed nothing")
                .containsEntry("stage", "VERIFIED");

        // A helpdesk (manage-users) may not take a realm administrator's roles away through re-verification,
        // which Keycloak would not let it do directly.
        String adminHire = hire("matrix-realm-admin", "hiring-manager", Map.of(), "10.55.0.3");
        realm.applyEvent(adminHire, "DOCUMENT_APPROVED");
        realm.applyEvent(adminHire, "IDENTITY_APPROVED");
        realm.grantClientRole(realm.userIdOf("matrix-realm-admin"), "realm-management", "realm-admin");
        Api.Reply byHelpdesk = Api.post(
                realm.casesPath() + "/bulk-reverify",
                realm.tokenOf("service-desk"),
                Api.toJson(Map.of("cases", List.of(adminHire), "reason", "related to a found-out hire")));
        assertThat(byHelpdesk.status()).as(byHelpdesk.body()).isEqualTo(200);
        assertThat(byHelpdesk.body()).contains("\"outcome\":\"forbidden\"");
        assertThat(realm.getCase(adminHire)).containsEntry("stage", "VERIFIED");
        Api.Reply single = Api.post(
                realm.casesPath() + "/" + adminHire + "/reverify",
                realm.tokenOf("service-desk"),
                Api.toJson(Map.of("reason", "related to a found-out hire")));
        assertThat(single.status()).as(single.body()).isEqualTo(403);
        assertThat(realm.getCase(adminHire)).containsEntry("stage", "VERIFIED");

        Api.Reply done = Api.post(
                realm.casesPath() + "/bulk-reverify",
                realm.adminToken(),
                Api.toJson(Map.of(
                        "cases", List.of(verified, caseId, "no-such-case"), "reason", "related to a found-out hire")));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body())
                .contains("\"outcome\":\"reverified\"", "\"outcome\":\"skipped\"", "\"outcome\":\"not_found\"");
        assertThat(realm.getCase(verified).get("stage")).isNotEqualTo("VERIFIED");
        assertThat(realm.auditEntries("subject=matrix-verified&type=case.stage_changed"))
                .contains("related to a found-out hire");
    }

    @Test
    @DisplayName("bad input to the bulk re-verification is a 400 naming the field, and nothing changes")
    void badInput() {
        String verified = hire("bad-input-verified", "hiring-manager", Map.of(), "10.44.0.1");
        realm.applyEvent(verified, "DOCUMENT_APPROVED");
        realm.applyEvent(verified, "IDENTITY_APPROVED");
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{\"cases\":[],\"reason\":\"x\"}", "cases");
        bodies.put("{\"cases\":[\"" + verified + "\"]}", "reason");
        bodies.put("{\"cases\":[42],\"reason\":\"x\"}", "cases[0]");
        bodies.put("{\"cases\":\"" + verified + "\",\"reason\":\"x\"}", "cases");
        bodies.put("{\"cases\":[\"" + verified + "\"],\"reason\":\"x\",\"all\":true}", "all");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            Api.Reply refused = Api.post(realm.casesPath() + "/bulk-reverify", realm.adminToken(), body.getKey());
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json()).containsEntry("field", body.getValue());
        }
        assertThat(Api.get(relatedPath("no-such-case"), realm.adminToken()).status())
                .isEqualTo(404);
        assertThat(realm.getCase(verified)).containsEntry("stage", "VERIFIED");
    }
}

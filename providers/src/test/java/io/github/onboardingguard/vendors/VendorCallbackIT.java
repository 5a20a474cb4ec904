package io.github.onboardingguard.vendors;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Identity-verification vendor results: signed callbacks record evidence; forged, replayed, stale and "
        + "oversized ones change nothing")
class VendorCallbackIT extends KeycloakIntegrationTest {

    private static final String SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("a vendor's secret of 32 bytes!!!".getBytes(StandardCharsets.UTF_8));
    private static final String OTHER_SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("not the vendor's secret, 32 byte".getBytes(StandardCharsets.UTF_8));

    private static DemoRealm realm;

    @BeforeAll
    static void realmWithVendors() {
        realm = DemoRealm.importFresh("vendors");
        addVendor("acme-idv", Map.of("standsInForDocument", "true"));
        addVendor("full-idv", Map.of("standsInForDocument", "true", "standsInForIdentity", "true"));
        addVendor("record-only", Map.of());
    }

    private static void addVendor(String name, Map<String, String> settings) {
        Map<String, List<String>> config = new LinkedHashMap<>();
        config.put("secret", List.of(SECRET));
        settings.forEach((key, value) -> config.put(key, List.of(value)));
        Api.Reply saved = Api.post(
                "/admin/realms/" + realm.name + "/components",
                realm.adminToken(),
                Api.toJson(Map.of(
                        "name",
                        name,
                        "providerId",
                        "onboarding-idv-vendor",
                        "providerType",
                        "org.keycloak.services.ui.extend.UiPageProvider",
                        "config",
                        config)));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
    }

    /** The vendor's result in the shape the callback takes: the test document's names, passed checks. */
    private static Map<String, Object> approved(String caseId) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("caseId", caseId);
        result.put("status", "APPROVED");
        result.put(
                "document",
                Map.of(
                        "type",
                        "PASSPORT",
                        "issuingCountry",
                        "DE",
                        "numberLastChars",
                        "K4X9",
                        "expiryDate",
                        "2031-05-31"));
        result.put(
                "names",
                Map.of("givenName", VerifierApi.LEGAL_GIVEN_NAME, "familyName", VerifierApi.LEGAL_FAMILY_NAME));
        result.put("vendorReference", "inq_" + caseId.substring(0, 8));
        result.put("liveness", "PASSED");
        result.put("faceMatch", "PASSED");
        return result;
    }

    /** HMAC-SHA256 over id.timestamp.body, as a vendor's Standard Webhooks library signs. */
    private static String signature(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            return "v1,"
                    + Base64.getEncoder()
                            .encodeToString(
                                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Sent(int status, String body) {
        Map<String, Object> json() {
            return Api.parse(body);
        }
    }

    private static Sent post(String vendor, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(baseUrl() + "/realms/" + realm.name + "/onboarding/vendors/" + vendor + "/results"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Sent(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Sent send(String vendor, String secret, String id, long timestamp, String body) {
        return post(
                vendor,
                Map.of(
                        "webhook-id",
                        id,
                        "webhook-timestamp",
                        Long.toString(timestamp),
                        "webhook-signature",
                        signature(secret, id, timestamp, body)),
                body);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> vendorResults(String caseId) {
        Api.Reply history =
                Api.get(VerifierApi.base(realm.name) + "/" + caseId + "/history", realm.consoleTokenOf("verifier"));
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        return (List<Map<String, Object>>) history.json().get("vendorResults");
    }

    @Test
    @DisplayName("given a hire waiting for the document step, when callbacks arrive forged, unsigned, from an unknown "
            + "vendor, stale or oversized, then each is refused and the case is as it was")
    void forgedAndStaleCallbacksChangeNothing() {
        String caseId = realm.hireInProbation("forged-target", Map.of());
        String body = Api.toJson(approved(caseId));

        Sent forged = send("acme-idv", OTHER_SECRET, "msg_forged", now(), body);
        assertThat(forged.status()).as(forged.body()).isEqualTo(401);
        assertThat(forged.json()).containsEntry("error", "callback_unauthenticated");
        Sent unsigned = post("acme-idv", Map.of(), body);
        assertThat(unsigned.status()).as(unsigned.body()).isEqualTo(401);
        Sent tampered = post(
                "acme-idv",
                Map.of(
                        "webhook-id", "msg_tampered",
                        "webhook-timestamp", Long.toString(now()),
                        "webhook-signature", signature(SECRET, "msg_tampered", now(), body)),
                body.replace("APPROVED", "APPROVED "));
        assertThat(tampered.status()).as("a body changed after signing").isEqualTo(401);
        Sent unknownVendor = send("no-such-vendor", SECRET, "msg_unknown", now(), body);
        assertThat(unknownVendor.status()).as(unknownVendor.body()).isEqualTo(401);
        assertThat(unknownVendor.json()).containsEntry("error", "callback_unauthenticated");
        Sent stale = send("acme-idv", SECRET, "msg_stale", now() - 600, body);
        assertThat(stale.status()).as(stale.body()).isEqualTo(401);
        assertThat(stale.json()).containsEntry("error", "callback_stale");
        Sent future = send("acme-idv", SECRET, "msg_future", now() + 600, body);
        assertThat(future.status()).as(future.body()).isEqualTo(401);
        String huge = body.substring(0, body.length() - 1) + ",\"padding\":\"" + "x".repeat(20_000) + "\"}";
        Sent oversized = send("acme-idv", SECRET, "msg_huge", now(), huge);
        assertThat(oversized.status()).as(oversized.body()).isEqualTo(413);

        assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");
        assertThat(vendorResults(caseId)).isEmpty();
        assertThat(realm.auditEntries("subject=forged-target&type=verification.vendor_result"))
                .doesNotContain("vendorResultId");
    }

    @Test
    @DisplayName("given vendor entries saved by an admin, when an auditor reads the trail, then the signing secret "
            + "is not in it (else anyone who reads the trail could sign results)")
    void secretNeverInTheTrail() {
        String trail = realm.auditEntries("type=policy.changed");
        assertThat(trail).contains("onboarding-idv-vendor");
        assertThat(trail).doesNotContain(SECRET.substring("whsec_".length(), 20));
    }

    @Test
    @DisplayName("given a result whose names are not the applicant's, or a person check after a verifier's document "
            + "step, then the vendor stands in for nothing: the result is evidence, the mismatch a signal")
    void resultsThatDoNotFitStandInForNothing() {
        String otherPerson =
                realm.hireInProbation("vendor-other-person", Map.of("applicant", Map.of("name", "Maria Lopez")));
        Sent mismatched =
                send("full-idv", SECRET, "msg_" + UUID.randomUUID(), now(), Api.toJson(approved(otherPerson)));
        assertThat(mismatched.status()).as(mismatched.body()).isEqualTo(200);
        assertThat(mismatched.json()).containsEntry("stoodInFor", List.of());
        assertThat(realm.getCase(otherPerson)).containsEntry("stage", "PROBATION");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> signals =
                (List<Map<String, Object>>) realm.getCase(otherPerson).get("signals");
        assertThat(signals).anySatisfy(signal -> assertThat(signal).containsEntry("rule", "candidate_mismatch"));

        realm.updatePolicy(Map.of("passkeyBinding", "false"));
        String humanDocument = realm.hireInProbation("vendor-after-verifier", Map.of());
        realm.applyEvent(humanDocument, "DOCUMENT_APPROVED");
        Sent personOnly =
                send("full-idv", SECRET, "msg_" + UUID.randomUUID(), now(), Api.toJson(approved(humanDocument)));
        assertThat(personOnly.status()).as(personOnly.body()).isEqualTo(200);
        assertThat(personOnly.json())
                .as("the person the vendor saw is tied to no document it read")
                .containsEntry("stoodInFor", List.of());
        assertThat(realm.getCase(humanDocument)).containsEntry("stage", "DOCUMENT_VERIFIED");
    }

    @Test
    @DisplayName("given a vendor that stands in for the document step, when its signed result arrives, then the "
            + "document step is approved with the vendor as verifier and a replay of the message is refused")
    void signedResultStandsInForTheDocumentOnce() {
        String caseId = realm.hireInProbation("vendor-checked", Map.of());
        String body = Api.toJson(approved(caseId));
        String id = "msg_" + UUID.randomUUID();

        Sent accepted = send("acme-idv", SECRET, id, now(), body);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json()).containsEntry("stoodInFor", List.of("DOCUMENT"));
        assertThat(realm.getCase(caseId))
                .as("the live identity step is still the verifier's")
                .containsEntry("stage", "DOCUMENT_VERIFIED");
        assertThat(vendorResults(caseId)).singleElement().satisfies(result -> {
            assertThat(result).containsEntry("vendor", "acme-idv").containsEntry("status", "APPROVED");
            assertThat(JsonFields.at(result, "result.givenName")).isEqualTo(VerifierApi.LEGAL_GIVEN_NAME);
            assertThat(JsonFields.at(result, "result.liveness")).isEqualTo("PASSED");
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> verifications = (List<Map<String, Object>>)
                Api.get(VerifierApi.base(realm.name) + "/" + caseId + "/history", realm.consoleTokenOf("verifier"))
                        .json()
                        .get("verifications");
        assertThat(verifications)
                .extracting(v -> v.get("step"), v -> v.get("method"), v -> v.get("verifier"))
                .containsExactly(tuple("DOCUMENT", "VENDOR", "acme-idv"));
        assertThat(realm.auditEntries("subject=vendor-checked&type=verification.vendor_result"))
                .contains("\"vendor\":\"acme-idv\"", id);

        Sent replayed = send("acme-idv", SECRET, id, now(), body);
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(409);
        assertThat(replayed.json()).containsEntry("error", "callback_replayed");
        assertThat(vendorResults(caseId)).hasSize(1);

        // A vendor allowed only to record: its result is evidence for the verifier, no step.
        String recorded = realm.hireInProbation("vendor-recorded", Map.of());
        Sent evidenceOnly =
                send("record-only", SECRET, "msg_" + UUID.randomUUID(), now(), Api.toJson(approved(recorded)));
        assertThat(evidenceOnly.status()).as(evidenceOnly.body()).isEqualTo(200);
        assertThat(realm.getCase(recorded)).containsEntry("stage", "PROBATION");
        assertThat(vendorResults(recorded)).hasSize(1);
    }

    @Test
    @DisplayName("given a vendor explicitly allowed to see the person, when its result passes liveness and face match, "
            + "then the hire is verified and verified_claims name the vendor as the checking organisation")
    void explicitlyAllowedVendorVerifies() {
        realm.updatePolicy(Map.of("passkeyBinding", "false"));
        String caseId = realm.hireInProbation("vendor-verified", Map.of());
        Sent accepted = send("full-idv", SECRET, "msg_" + UUID.randomUUID(), now(), Api.toJson(approved(caseId)));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json()).containsEntry("stoodInFor", List.of("DOCUMENT", "IDENTITY"));
        assertThat(realm.getCase(caseId)).containsEntry("stage", "VERIFIED");

        Tokens.TokenResponse tokens =
                Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "vendor-verified", PASSWORD);
        assertThat(tokens.status()).as(tokens.body().toString()).isEqualTo(200);
        Map<String, Object> idToken =
                Tokens.decodeJwtPayload((String) tokens.body().get("id_token"));
        assertThat(JsonFields.list(idToken, "verified_claims.verification.evidence[0].check_details"))
                .extracting(c -> JsonFields.at(c, "check_method"), c -> JsonFields.at(c, "organization"))
                .containsExactly(tuple("vri", "full-idv"), tuple("pvr", "full-idv"));

        // A result whose liveness failed stands in for nothing.
        String failedCase = realm.hireInProbation("vendor-failed", Map.of());
        Map<String, Object> failed = approved(failedCase);
        failed.put("liveness", "FAILED");
        Sent notStoodIn = send("full-idv", SECRET, "msg_" + UUID.randomUUID(), now(), Api.toJson(failed));
        assertThat(notStoodIn.status()).as(notStoodIn.body()).isEqualTo(200);
        assertThat(notStoodIn.json()).containsEntry("stoodInFor", List.of());
        assertThat(realm.getCase(failedCase)).containsEntry("stage", "PROBATION");
    }

    @Test
    @DisplayName("given a signed callback with a bad body, then a 400 names the field and nothing is recorded")
    void badBodies() {
        String caseId = realm.hireInProbation("vendor-bad-input", Map.of());
        Map<String, Object> noNames = approved(caseId);
        noNames.remove("names");
        Map<String, Object> badCountry = approved(caseId);
        badCountry.put("document", Map.of("type", "PASSPORT", "issuingCountry", "Germany"));
        Map<String, Object> extra = approved(caseId);
        extra.put("ssn", "123");
        Map<String, Object> badStatus = approved(caseId);
        badStatus.put("status", "MAYBE");
        List<Map<String, Object>> bodies = List.of(noNames, badCountry, extra, badStatus);
        List<String> fields = List.of("names.givenName", "document.issuingCountry", "ssn", "status");
        for (int i = 0; i < bodies.size(); i++) {
            Sent refused =
                    send("acme-idv", SECRET, "msg_bad_" + i + UUID.randomUUID(), now(), Api.toJson(bodies.get(i)));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json()).containsEntry("field", fields.get(i));
        }
        Sent notJson = send("acme-idv", SECRET, "msg_not_json", now(), "[1,2]");
        assertThat(notJson.status()).as(notJson.body()).isEqualTo(400);
        Map<String, Object> unknownCase = approved(UUID.randomUUID().toString());
        Sent notFound = send("acme-idv", SECRET, "msg_" + UUID.randomUUID(), now(), Api.toJson(unknownCase));
        assertThat(notFound.status()).as(notFound.body()).isEqualTo(404);
        assertThat(vendorResults(caseId)).isEmpty();
        assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");
    }
}

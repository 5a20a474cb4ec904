package io.github.onboardingguard.verification;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.IdaSchema;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Verification ceremony: codes, rules and results through /realms/{realm}/onboarding/verifications")
class CeremonyApiIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;
    private static TestSmtpServer smtp;

    @BeforeAll
    static void setUp() {
        smtp = new TestSmtpServer();
        realm = DemoRealm.importFresh("ceremony");
        realm.useMailServer(smtp);
        // Passkeys need a browser; this class covers the API rules, VerificationBrowserIT the passkey.
        realm.updatePolicy(Map.of("passkeyBinding", "false"));
    }

    @AfterAll
    static void stopMail() throws Exception {
        smtp.close();
    }

    private static String verifierToken() {
        return realm.consoleTokenOf("verifier");
    }

    /** The hire opens their status page in a browser; returns it with the code shown. */
    /** The ID token of a fresh browser login whose authorization request carries {@code claimsParameter}. */
    private static Map<String, Object> idTokenAskingFor(DemoRealm realm, String username, String claimsParameter) {
        HireBrowser browser = HireBrowser.loginWith(
                        realm.name,
                        OPEN_CLIENT,
                        HireBrowser.CALLBACK,
                        username,
                        PASSWORD,
                        Map.of("claims", claimsParameter))
                .continuePastStatusPage();
        Tokens.TokenResponse tokens = browser.exchangeCode(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET);
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        return Tokens.decodeJwtPayload((String) tokens.body().get("id_token"));
    }

    private static HireBrowser hirePage(String username) {
        HireBrowser browser =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, username, PASSWORD, null);
        assertThat(browser.onStatusPage()).as(browser.page()).isTrue();
        return browser;
    }

    private static String openCeremony(String caseId, String step, String method) {
        Api.Reply opened = VerifierApi.open(realm.name, verifierToken(), caseId, step, method);
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        return VerifierApi.id(opened);
    }

    private static Api.Reply historyReply(String caseId) {
        Api.Reply reply = Api.get(VerifierApi.base(realm.name) + "/" + caseId + "/history", verifierToken());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    @Nested
    @DisplayName("results")
    class Results {

        @Test
        @DisplayName(
                "document then identity: the hire's code moves the case to VERIFIED, deferred roles arrive, verified_claims appear")
        void fullCeremony() {
            String caseId =
                    realm.hireInProbation("full-hire", Map.of("grants", Map.of("realmRoles", List.of("employee"))));
            // The verifier sees by name what approving will grant.
            assertThat(JsonFields.list(historyReply(caseId).json(), "case.deferredGrants.realmRoles"))
                    .containsExactly("employee");
            HireBrowser hire = hirePage("full-hire");
            assertThat(hire.code()).as("no ceremony open yet").isEmpty();
            assertThat(hire.page()).contains("onboarding-no-ceremony");

            String document = openCeremony(caseId, "DOCUMENT", "VIDEO");
            String documentCode = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
            assertThat(documentCode).matches("\\d{6}");
            assertThat(hire.page()).contains("Victor Verifier");
            Api.Reply documentResult =
                    VerifierApi.approve(realm.name, verifierToken(), document, "DOCUMENT", documentCode);
            assertThat(documentResult.status()).as(documentResult.body()).isEqualTo(200);
            assertThat(documentResult.body())
                    .contains("\"stage\":\"DOCUMENT_VERIFIED\"")
                    .doesNotContain(documentCode);

            String identity = openCeremony(caseId, "IDENTITY", "VIDEO");
            String identityCode = hire.press("refresh").code().orElseThrow();
            Api.Reply identityResult =
                    VerifierApi.approve(realm.name, verifierToken(), identity, "IDENTITY", identityCode);
            assertThat(identityResult.status()).as(identityResult.body()).isEqualTo(200);
            assertThat(JsonFields.at(identityResult.json(), "case.stage")).isEqualTo("VERIFIED");

            Tokens.TokenResponse tokens =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "full-hire", PASSWORD);
            assertThat(JsonFields.list(tokens.accessTokenClaims(), "realm_access.roles"))
                    .contains("employee")
                    .doesNotContain("onboarding-probationary");
            Map<String, Object> idToken =
                    Tokens.decodeJwtPayload((String) tokens.body().get("id_token"));
            assertThat(idToken).containsKey("verified_claims");
            assertThat(IdaSchema.errors(idToken.get("verified_claims")))
                    .as("against %s", IdaSchema.FILE)
                    .isEmpty();
            Map<String, Object> verification = JsonFields.object(idToken, "verified_claims.verification");
            assertThat(verification).containsEntry("trust_framework", "onboarding_guard");
            assertThat(JsonFields.list(verification, "evidence"))
                    .extracting(e -> JsonFields.at(e, "type"))
                    .containsExactly("document");
            assertThat(JsonFields.list(verification, "evidence[0].check_details"))
                    .extracting(c -> JsonFields.at(c, "check_method"), c -> JsonFields.at(c, "check_id"))
                    .containsExactly(tuple("vri", "HR-4711"), tuple("pvr", "HR-4711"));
            assertThat(JsonFields.object(verification, "evidence[0].document_details"))
                    .containsEntry("type", "passport")
                    .containsEntry("date_of_expiry", "2031-05-31");
            assertThat(JsonFields.at(verification, "evidence[0].document_details.issuer.country_code"))
                    .isEqualTo("DEU");
            assertThat(JsonFields.object(idToken, "verified_claims.claims"))
                    .isEqualTo(Map.of(
                            "given_name", VerifierApi.LEGAL_GIVEN_NAME, "family_name", VerifierApi.LEGAL_FAMILY_NAME));

            // A relying party that asks for the given name only, or under another trust framework.
            assertThat(JsonFields.object(
                            idTokenAskingFor(
                                    realm,
                                    "full-hire",
                                    "{\"id_token\":{\"verified_claims\":{\"verification\":{\"trust_framework\":null},\"claims\":{\"given_name\":null}}}}"),
                            "verified_claims.claims"))
                    .isEqualTo(Map.of("given_name", VerifierApi.LEGAL_GIVEN_NAME));
            assertThat(
                            idTokenAskingFor(
                                    realm,
                                    "full-hire",
                                    "{\"id_token\":{\"verified_claims\":{\"verification\":{\"trust_framework\":{\"value\":\"de_aml\"}},\"claims\":{\"given_name\":null}}}}"))
                    .doesNotContainKey("verified_claims");

            Api.Reply historyReply = historyReply(caseId);
            assertThat(JsonFields.list(historyReply.json(), "verifications"))
                    .extracting(v -> JsonFields.at(v, "resultLevel"))
                    .containsExactly("document", "verified");
            // Nowhere in the verifier's view of the case, whatever field it might hide in.
            assertThat(historyReply.body()).doesNotContain(documentCode).doesNotContain(identityCode);
            assertThat(KeycloakTestServer.logs())
                    .doesNotContainPattern("\\b" + documentCode + "\\b")
                    .doesNotContainPattern("\\b" + identityCode + "\\b");
        }

        @Test
        @DisplayName(
                "the verified claims mapper takes a registered trust framework and refuses a value that is no identifier")
        void trustFrameworkChoice() {
            var clients = realm.resource.clients();
            var mappers = clients.get(clients.findByClientId(DemoRealm.CLOSED_CLIENT)
                            .get(0)
                            .getId())
                    .getProtocolMappers();
            for (String value : List.of("nist_800_63A", "not an <identifier>")) {
                org.keycloak.representations.idm.ProtocolMapperRepresentation mapper =
                        new org.keycloak.representations.idm.ProtocolMapperRepresentation();
                mapper.setName("verified claims " + value.length());
                mapper.setProtocol("openid-connect");
                mapper.setProtocolMapper("onboarding-verified-claims");
                mapper.setConfig(Map.of("trust.framework", value, "id.token.claim", "true"));
                try (jakarta.ws.rs.core.Response created = mappers.createMapper(mapper)) {
                    assertThat(created.getStatus()).as(value).isEqualTo(value.contains(" ") ? 400 : 201);
                    if (created.getStatus() == 201) {
                        String path = created.getLocation().getPath();
                        mappers.delete(path.substring(path.lastIndexOf('/') + 1));
                    }
                }
            }
        }

        @Test
        @DisplayName(
                "given a verified hire, when they change their names in the account API, then the change is undone, "
                        + "the token attests the verified names and a contact_change signal is recorded; an admin's correction stays "
                        + "and leaves verified_claims out")
        void nameChangeStopsVerifiedClaims() {
            DemoRealm own = DemoRealm.importFresh("ceremony-names");
            own.updatePolicy(Map.of("passkeyBinding", "false", "riskRules", "contact_change=ALERT"));
            String caseId = own.hireInProbation("renamer", Map.of("firstName", "Nick", "lastName", "Name"));
            HireBrowser hire =
                    HireBrowser.login(own.name, OPEN_CLIENT, HireBrowser.CALLBACK, "renamer", PASSWORD, null);
            String verifier = own.consoleTokenOf("verifier");
            for (String step : List.of("DOCUMENT", "IDENTITY")) {
                String ceremony = VerifierApi.id(VerifierApi.open(own.name, verifier, caseId, step, "VIDEO"));
                String code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
                assertThat(VerifierApi.approve(own.name, verifier, ceremony, step, code)
                                .status())
                        .isEqualTo(200);
            }
            // The document's names replaced the profile's, and are what the organisation attests.
            Tokens.TokenResponse before =
                    Tokens.passwordGrant(own.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "renamer", PASSWORD);
            Map<String, Object> idToken =
                    Tokens.decodeJwtPayload((String) before.body().get("id_token"));
            assertThat(JsonFields.object(idToken, "verified_claims.claims"))
                    .isEqualTo(Map.of(
                            "given_name", VerifierApi.LEGAL_GIVEN_NAME, "family_name", VerifierApi.LEGAL_FAMILY_NAME));

            Api.Reply renamed = Api.post(
                    "/realms/" + own.name + "/account/",
                    before.accessToken(),
                    Api.toJson(Map.of(
                            "username",
                            "renamer",
                            "email",
                            "renamer@example.com",
                            "firstName",
                            "Someone",
                            "lastName",
                            "Else")));
            assertThat(renamed.status()).as(renamed.body()).isIn(200, 204);

            // The hire's change does not stick: the names are the document's now.
            var profile = own.user(own.userIdOf("renamer"));
            assertThat(List.of(profile.getFirstName(), profile.getLastName()))
                    .containsExactly(VerifierApi.LEGAL_GIVEN_NAME, VerifierApi.LEGAL_FAMILY_NAME);
            Tokens.TokenResponse after =
                    Tokens.passwordGrant(own.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "renamer", PASSWORD);
            Map<String, Object> afterId =
                    Tokens.decodeJwtPayload((String) after.body().get("id_token"));
            assertThat(JsonFields.object(afterId, "verified_claims.claims"))
                    .as("the verified names, never the new ones")
                    .isEqualTo(Map.of(
                            "given_name", VerifierApi.LEGAL_GIVEN_NAME, "family_name", VerifierApi.LEGAL_FAMILY_NAME));
            assertThat(own.getCase(caseId)).containsEntry("stage", "VERIFIED");
            assertThat(JsonFields.list(own.getCase(caseId), "signals")).anySatisfy(signal -> {
                assertThat(JsonFields.at(signal, "rule")).isEqualTo("contact_change");
                assertThat(JsonFields.at(signal, "evidence.changed.name.to")).isEqualTo("Someone Else");
                assertThat(JsonFields.at(signal, "evidence.undone")).isEqualTo(true);
            });

            // HR may correct a name (an admin's change stays), but the claim is then left out until re-verified.
            profile.setLastName("Corrected");
            own.resource.users().get(own.userIdOf("renamer")).update(profile);
            Tokens.TokenResponse corrected =
                    Tokens.passwordGrant(own.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "renamer", PASSWORD);
            assertThat(Tokens.decodeJwtPayload((String) corrected.body().get("id_token")))
                    .doesNotContainKey("verified_claims");
            assertThat(own.user(own.userIdOf("renamer")).getLastName()).isEqualTo("Corrected");
        }

        @Test
        @DisplayName(
                "given a verifier whose console sign-in is older than 15 minutes, when they submit the hire's code, "
                        + "then 401 asks for a new sign-in and nothing is recorded; after signing in again it is")
        void staleSignInCannotRecordResult() {
            String caseId = realm.hireInProbation("stale-hire", Map.of());
            HireBrowser hire = hirePage("stale-hire");
            String staleToken = realm.signInToConsole("verifier");
            String ceremony = VerifierApi.id(VerifierApi.open(realm.name, staleToken, caseId, "DOCUMENT", "VIDEO"));
            String code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
            // The console was left open (or its token taken) and used 16 minutes after the sign-in.
            Api.Reply aged = Api.post(
                    "/realms/" + realm.name + "/onboarding-test-hooks/users/verifier/sign-in-age?seconds=960",
                    null,
                    null);
            assertThat(aged.json().get("sessions")).isNotEqualTo(0);

            Api.Reply refused = VerifierApi.approve(realm.name, staleToken, ceremony, "DOCUMENT", code);
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.json())
                    .containsEntry("error", "insufficient_user_authentication")
                    .containsEntry("maxAge", 900);
            assertThat(refused.raw().headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(
                            header -> assertThat(header).contains("insufficient_user_authentication", "max_age=900"));
            assertThat(Api.get(VerifierApi.base(realm.name) + "/ceremonies/" + ceremony, staleToken)
                            .json())
                    .containsEntry("status", "OPEN")
                    .containsEntry("failedAttempts", 0);
            assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");

            Api.Reply accepted =
                    VerifierApi.approve(realm.name, realm.signInToConsole("verifier"), ceremony, "DOCUMENT", code);
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            assertThat(realm.getCase(caseId)).containsEntry("stage", "DOCUMENT_VERIFIED");
        }

        @Test
        @DisplayName("REJECT closes the case, disables the hire, ends their sessions and emails the sponsor")
        void reject() throws InterruptedException {
            String caseId = realm.hireInProbation("rejected-hire", Map.of("firstName", "Rex", "lastName", "Rejected"));
            Tokens.TokenResponse session =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "rejected-hire", PASSWORD);
            HireBrowser hire = hirePage("rejected-hire");
            String ceremony = openCeremony(caseId, "DOCUMENT", "VIDEO");
            String code = hire.press("refresh").code().orElseThrow();

            Api.Reply reply = VerifierApi.submit(
                    realm.name,
                    verifierToken(),
                    ceremony,
                    Map.of(
                            "code",
                            code,
                            "outcome",
                            "REJECT",
                            "checklist",
                            Map.of(
                                    "documentGenuine",
                                    false,
                                    "photoMatches",
                                    false,
                                    "notes",
                                    "laminate lifted at the photo"),
                            "evidenceRef",
                            "SEC-99",
                            "reason",
                            "Passport photo was replaced"));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(JsonFields.at(reply.json(), "case.stage")).isEqualTo("REJECTED");
            String userId = realm.userIdOf("rejected-hire");
            assertThat(realm.user(userId).isEnabled()).isFalse();
            assertThat(Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, session.refreshToken())
                            .status())
                    .isEqualTo(400);

            // Other mails (risk alerts) may mention the hire too; this is the rejection notice.
            TestSmtpServer.Mail mail = smtp.awaitMail(
                    m -> m.text().contains("Subject: Onboarding of Rex Rejected rejected in verification"),
                    Duration.ofSeconds(20));
            assertThat(mail.to().toString()).contains("hiring-manager@example.com");
            assertThat(mail.text())
                    .contains("rejected", "Passport photo was replaced")
                    .doesNotContain(code);
        }

        @Test
        @DisplayName("given a rejection reason at the 1024-character limit, full of characters JSON escapes, then the "
                + "rejection is recorded (no 500); the history keeps a summary, the verification record the full text")
        void longestRejectionReason() {
            String caseId = realm.hireInProbation("verbose-hire", Map.of());
            HireBrowser hire = hirePage("verbose-hire");
            String ceremony = openCeremony(caseId, "DOCUMENT", "VIDEO");
            String code = hire.press("refresh").code().orElseThrow();
            String unit = "\"quoted\\ ";
            String reason = unit.repeat(1024 / unit.length()) + "x".repeat(1024 % unit.length());
            assertThat(reason).hasSize(1024);

            Api.Reply reply = VerifierApi.submit(
                    realm.name,
                    verifierToken(),
                    ceremony,
                    Map.of(
                            "code",
                            code,
                            "outcome",
                            "REJECT",
                            "checklist",
                            Map.of("documentGenuine", false, "notes", "n".repeat(1000)),
                            "evidenceRef",
                            "SEC-100",
                            "reason",
                            reason));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(JsonFields.at(reply.json(), "case.stage")).isEqualTo("REJECTED");
            assertThat(JsonFields.at(reply.json(), "verification.reason")).isEqualTo(reason);
            assertThat(JsonFields.list(realm.getCase(caseId), "history"))
                    .last()
                    .satisfies(change -> assertThat(String.valueOf(JsonFields.at(change, "reason")))
                            .hasSizeLessThanOrEqualTo(1024)
                            .endsWith("…"));
        }

        @Test
        @DisplayName("passkey binding: the identity step cannot be approved before the hire registered a passkey")
        void passkeyRequired() {
            DemoRealm bound = DemoRealm.importFresh("ceremony-passkey");
            String caseId = bound.hireInProbation("passkey-hire", Map.of());
            bound.applyEvent(caseId, "DOCUMENT_APPROVED");
            HireBrowser hire =
                    HireBrowser.login(bound.name, OPEN_CLIENT, HireBrowser.CALLBACK, "passkey-hire", PASSWORD, null);
            Api.Reply identity =
                    VerifierApi.open(bound.name, bound.consoleTokenOf("verifier"), caseId, "IDENTITY", "VIDEO");
            hire.press("refresh");
            assertThat(hire.code()).as("no code before the passkey").isEmpty();
            assertThat(hire.page()).contains("onboarding-register-passkey");
            Api.Reply reply = VerifierApi.approve(
                    bound.name, bound.consoleTokenOf("verifier"), VerifierApi.id(identity), "IDENTITY", "123456");
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.json()).containsEntry("error", "code_not_issued");
        }

        @Test
        @DisplayName("no identity step while the policy's document step is outstanding")
        void stepOrder() {
            String caseId = realm.hireInProbation("order-hire", Map.of());
            Api.Reply reply = VerifierApi.open(realm.name, verifierToken(), caseId, "IDENTITY", "VIDEO");
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.json()).containsEntry("error", "step_not_allowed");
            assertThat(reply.json().get("message")).asString().contains("waits for the DOCUMENT step");
        }
    }

    @Nested
    @DisplayName("the one-time code")
    class TheCode {

        @Test
        @DisplayName("a wrong code counts; at the limit the ceremony locks and a risk signal is recorded")
        void wrongCodesLock() {
            String caseId = realm.hireInProbation("guessed-hire", Map.of());
            HireBrowser hire = hirePage("guessed-hire");
            String ceremony = openCeremony(caseId, "DOCUMENT", "VIDEO");
            String code = hire.press("refresh").code().orElseThrow();
            String wrong = code.equals("000000") ? "111111" : "000000";

            Api.Reply first = VerifierApi.approve(realm.name, verifierToken(), ceremony, "DOCUMENT", wrong);
            assertThat(first.status()).as(first.body()).isEqualTo(422);
            assertThat(first.json()).containsEntry("error", "wrong_code").containsEntry("attemptsLeft", 2);
            assertThat(VerifierApi.approve(realm.name, verifierToken(), ceremony, "DOCUMENT", wrong)
                            .json())
                    .containsEntry("attemptsLeft", 1);
            Api.Reply last = VerifierApi.approve(realm.name, verifierToken(), ceremony, "DOCUMENT", wrong);
            assertThat(last.status()).isEqualTo(409);
            assertThat(last.json()).containsEntry("error", "ceremony_locked");

            Api.Reply rightButLocked = VerifierApi.approve(realm.name, verifierToken(), ceremony, "DOCUMENT", code);
            assertThat(rightButLocked.json()).containsEntry("error", "ceremony_locked");
            Api.Reply historyReply = historyReply(caseId);
            assertThat(JsonFields.list(historyReply.json(), "signals")).anySatisfy(signal -> {
                assertThat(JsonFields.at(signal, "rule")).isEqualTo("ceremony_code_lockout");
                assertThat(JsonFields.object(signal, "evidence"))
                        .containsEntry("wrongCodes", 3)
                        .containsEntry("limit", 3);
            });
            assertThat(JsonFields.at(historyReply.json(), "case.stage")).isEqualTo("PROBATION");
            assertThat(historyReply.body()).doesNotContain(code);
        }

        @Test
        @DisplayName("an expired code is refused, and a new code on the hire's page works")
        void expiredCode() {
            String caseId = realm.hireInProbation("slow-hire", Map.of());
            HireBrowser hire = hirePage("slow-hire");
            String ceremony = openCeremony(caseId, "DOCUMENT", "IN_PERSON");
            String code = hire.press("refresh").code().orElseThrow();
            Api.Reply expired = Api.post(
                    "/realms/" + realm.name + "/onboarding-test-hooks/ceremonies/" + ceremony + "/expire-code",
                    null,
                    null);
            assertThat(expired.status()).as(expired.body()).isEqualTo(200);

            Api.Reply refused = VerifierApi.approve(realm.name, verifierToken(), ceremony, "DOCUMENT", code);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json()).containsEntry("error", "code_expired");

            String fresh = hire.press("refresh").code().orElseThrow();
            assertThat(VerifierApi.approve(realm.name, verifierToken(), ceremony, "DOCUMENT", fresh)
                            .status())
                    .isEqualTo(200);
        }

        @Test
        @DisplayName("the code of another hire's ceremony is a wrong code")
        void codeFromAnotherCeremony() {
            String caseA = realm.hireInProbation("hire-a", Map.of());
            String caseB = realm.hireInProbation("hire-b", Map.of());
            HireBrowser pageA = hirePage("hire-a");
            HireBrowser pageB = hirePage("hire-b");
            String ceremonyA = openCeremony(caseA, "DOCUMENT", "VIDEO");
            openCeremony(caseB, "DOCUMENT", "VIDEO");
            String codeA = pageA.press("refresh").code().orElseThrow();
            String codeB = pageB.press("refresh").code().orElseThrow();
            // One in a million: the two random codes are equal; B's page then draws a new one.
            for (int draw = 0; draw < 5 && codeB.equals(codeA); draw++) {
                codeB = pageB.press("refresh").code().orElseThrow();
            }
            assertThat(codeB).isNotEqualTo(codeA);

            Api.Reply reply = VerifierApi.approve(realm.name, verifierToken(), ceremonyA, "DOCUMENT", codeB);
            assertThat(reply.status()).isEqualTo(422);
            assertThat(reply.json()).containsEntry("error", "wrong_code");
        }

        @Test
        @DisplayName("a code only counts while the hire's session that showed it is alive")
        void sessionBound() {
            String caseId = realm.hireInProbation("logged-out-hire", Map.of());
            HireBrowser hire = hirePage("logged-out-hire");
            String ceremony = openCeremony(caseId, "DOCUMENT", "VIDEO");
            String code = hire.press("refresh").code().orElseThrow();
            hire.press("continue");
            String userId = realm.userIdOf("logged-out-hire");
            realm.resource.users().get(userId).logout();

            Api.Reply reply = VerifierApi.approve(realm.name, verifierToken(), ceremony, "DOCUMENT", code);
            assertThat(reply.status()).as(reply.body()).isEqualTo(409);
            assertThat(reply.json()).containsEntry("error", "hire_session_ended");
        }
    }

    @Nested
    @DisplayName("separation of duties")
    class SeparationOfDuties {

        @Test
        @DisplayName("the sponsor cannot verify their own hire")
        void sponsorIsNotVerifier() {
            String caseId = realm.hireInProbation("sponsored-hire", Map.of());
            String sponsorId = realm.userIdOf("hiring-manager");
            realm.grantRealmRole(sponsorId, "onboarding-verifier");
            Api.Reply reply =
                    VerifierApi.open(realm.name, realm.consoleTokenOf("hiring-manager"), caseId, "DOCUMENT", "VIDEO");
            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
            assertThat(reply.json()).containsEntry("error", "verifier_is_sponsor");
        }

        @Test
        @DisplayName("a verified hire who became a verifier cannot verify their own case")
        void hireIsNotVerifier() {
            String caseId = realm.hireInProbation("self-hire", Map.of());
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");
            String userId = realm.userIdOf("self-hire");
            realm.grantRealmRole(userId, "onboarding-verifier");
            Api.Reply reply =
                    VerifierApi.open(realm.name, realm.consoleTokenOf("self-hire"), caseId, "DOCUMENT", "VIDEO");
            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
            assertThat(reply.json()).containsEntry("error", "verifier_is_hire");
        }

        @Test
        @DisplayName("dual control: the identity step needs a second verifier")
        void dualControl() {
            DemoRealm dual = DemoRealm.importFresh("ceremony-dual");
            dual.updatePolicy(Map.of("dualControl", "true", "passkeyBinding", "false"));
            dual.createVerifier("second-verifier");
            String caseId = dual.hireInProbation("dual-hire", Map.of());
            HireBrowser hire =
                    HireBrowser.login(dual.name, OPEN_CLIENT, HireBrowser.CALLBACK, "dual-hire", PASSWORD, null);
            String first = dual.consoleTokenOf("verifier");
            Api.Reply document = VerifierApi.open(dual.name, first, caseId, "DOCUMENT", "VIDEO");
            String code = hire.press("refresh").code().orElseThrow();
            assertThat(VerifierApi.approve(dual.name, first, VerifierApi.id(document), "DOCUMENT", code)
                            .status())
                    .isEqualTo(200);

            Api.Reply sameVerifier = VerifierApi.open(dual.name, first, caseId, "IDENTITY", "VIDEO");
            assertThat(sameVerifier.status()).isEqualTo(403);
            assertThat(sameVerifier.json()).containsEntry("error", "dual_control");
            Api.Reply secondVerifier =
                    VerifierApi.open(dual.name, dual.consoleTokenOf("second-verifier"), caseId, "IDENTITY", "VIDEO");
            assertThat(secondVerifier.status()).as(secondVerifier.body()).isEqualTo(201);
        }
    }

    @Nested
    @DisplayName("the hire's page")
    class HirePage {

        @Test
        @DisplayName("the hire's status page speaks the hire's language and sends direct grants straight through")
        void statusPageLanguage() {
            realm.hireInProbation("german-hire", Map.of());
            HireBrowser german =
                    HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "german-hire", PASSWORD, "de");
            assertThat(german.onStatusPage()).isTrue();
            assertThat(german.page()).contains("Ihr Onboarding", "Als N");
            german.press("continue");
            assertThat(german.authorizationCode())
                    .as("continue leads on to the application")
                    .isPresent();
            assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "german-hire", PASSWORD)
                            .status())
                    .isEqualTo(200);
        }
    }
}

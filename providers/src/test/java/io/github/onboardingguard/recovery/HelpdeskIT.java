package io.github.onboardingguard.recovery;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Helpdesk check: a caller proves it is them before a verified hire's credentials are reset")
class HelpdeskIT extends KeycloakIntegrationTest {

    private static final String TEMPORARY = "told-on-the-phone-2026";

    private static DemoRealm realm;
    private static DemoRealm otherRealm;
    private static TestSmtpServer smtp;
    private static String checkId;

    @BeforeAll
    static void realms() {
        smtp = new TestSmtpServer();
        realm = DemoRealm.importFresh("helpdesk").useMailServer(smtp);
        realm.updatePolicy(Map.of("passkeyBinding", "false"));
        otherRealm = DemoRealm.importFresh("helpdesk-other");
        verifiedHire("matrix-hire");
        checkId = open("matrix-hire").json().get("id").toString();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopMailServer() throws Exception {
        smtp.close();
    }

    private static String verifiedHire(String username) {
        String caseId = realm.hireInProbation(username, Map.of());
        realm.verifyThroughCeremonies(caseId, username);
        return caseId;
    }

    private static String base() {
        return "/realms/" + realm.name + "/onboarding/helpdesk/checks";
    }

    private static Api.Reply open(String user) {
        return Api.post(base(), realm.consoleTokenOf("service-desk"), Api.toJson(Map.of("user", user)));
    }

    private static Api.Reply resetPassword(String userId, String token) {
        return Api.call(
                "PUT",
                "/admin/realms/" + realm.name + "/users/" + userId + "/reset-password",
                token,
                Api.toJson(Map.of("type", "password", "value", TEMPORARY, "temporary", false)));
    }

    /** What the helpdesk member's console does with their own token: Keycloak's admin API. */
    private static String helpdeskToken() {
        return realm.consoleTokenOf("service-desk");
    }

    @Test
    @DisplayName("given a caller who claims to be a verified hire, when the helpdesk resets the password without a "
            + "check, then the reset does not stand: the new password opens nothing, the old one still works, and the "
            + "attempt is audited")
    void resetWithoutCheckIsRefused() {
        String caseId = verifiedHire("unchecked-hire");
        // Keycloak's reset-password endpoint answers 204 before its transaction commits; the refusal rolls it back.
        resetPassword(realm.userIdOf("unchecked-hire"), helpdeskToken());
        assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "unchecked-hire", TEMPORARY)
                        .body())
                .containsEntry("error_description", "Invalid user credentials");
        assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "unchecked-hire", PASSWORD)
                        .status())
                .isEqualTo(200);
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("VERIFIED");
        assertThat(realm.auditEntries("subject=unchecked-hire&type=recovery.reset_refused"))
                .contains("recovery.reset_refused");
    }

    @Test
    @DisplayName("given a caller who reads out the code their own page shows, when the helpdesk confirms it, then "
            + "the check passes and the reset stands without recovery; a wrong code does not pass")
    void resetAfterPassedCheckWorks() throws InterruptedException {
        String caseId = verifiedHire("checked-hire");
        Api.Reply opened = open("checked-hire@example.com");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String id = opened.json().get("id").toString();
        assertThat(opened.json()).containsEntry("username", "checked-hire").containsEntry("codeShown", false);

        // The caller signs in as usual: a verified hire's page appears only while a helpdesk check is open.
        HireBrowser caller =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "checked-hire", PASSWORD, null);
        assertThat(caller.onStatusPage()).as(caller.page()).isTrue();
        assertThat(caller.page()).contains("helpdesk");
        String code = caller.code().orElseThrow(() -> new AssertionError(caller.page()));

        Api.Reply wrong =
                Api.post(base() + "/" + id + "/answer", helpdeskToken(), Api.toJson(Map.of("code", wrongCode(code))));
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
        resetPassword(realm.userIdOf("checked-hire"), helpdeskToken());
        assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "checked-hire", TEMPORARY)
                        .body())
                .as("a reset while the check has not passed")
                .containsEntry("error_description", "Invalid user credentials");

        Api.Reply answered = Api.post(base() + "/" + id + "/answer", helpdeskToken(), Api.toJson(Map.of("code", code)));
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        assertThat(answered.json()).containsEntry("passed", true);

        // A passed check covers a new password or a lost factor, not a credential slipped into a user update.
        String checkedId = realm.userIdOf("checked-hire");
        var planted = realm.user(checkedId);
        org.keycloak.representations.idm.CredentialRepresentation password =
                new org.keycloak.representations.idm.CredentialRepresentation();
        password.setType("password");
        password.setValue("planted-" + TEMPORARY);
        password.setTemporary(false);
        planted.setCredentials(java.util.List.of(password));
        Api.call("PUT", "/admin/realms/" + realm.name + "/users/" + checkedId, helpdeskToken(), Api.toJson(planted));
        assertThat(realm.auditEntries("subject=checked-hire&type=recovery.reset_refused"))
                .contains("admin_credential_added");

        Api.Reply reset = resetPassword(checkedId, helpdeskToken());
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("VERIFIED");
        // One change per check: a second reset under it does not stand.
        Api.call(
                "PUT",
                "/admin/realms/" + realm.name + "/users/" + checkedId + "/reset-password",
                helpdeskToken(),
                Api.toJson(Map.of("type", "password", "value", "second-" + TEMPORARY, "temporary", false)));
        // The hire hears of the reset all the same, with a way to say it was not them.
        smtp.awaitMail(
                m -> m.to().toString().contains("<checked-hire@example.com>")
                        && m.text().contains("wasn't you"),
                java.time.Duration.ofSeconds(20));
        // The password is the one the check let stand: neither the planted nor the second one replaced it. (Failed
        // password grants in a row would trip Keycloak's quick-login lockout, so they are not tried here.)
        assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "checked-hire", TEMPORARY)
                        .status())
                .isEqualTo(200);
        assertThat(realm.auditEntries("subject=checked-hire&type=recovery.helpdesk_reset"))
                .contains(id);
        // Another helpdesk member's check does not count for this one.
        assertThat(realm.auditEntries("subject=checked-hire&type=helpdesk.check_passed"))
                .contains("\"by\":\"code\"");
    }

    private static String wrongCode(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
    }

    @Test
    @DisplayName("bad input gets a clear 4xx: no user, unknown user, oneself, a hire not verified, another's check, "
            + "a malformed code")
    void badInput() {
        assertThat(Api.post(base(), helpdeskToken(), "{}").status()).isEqualTo(400);
        assertThat(Api.post(base(), helpdeskToken(), "{\"user\":1}").status()).isEqualTo(400);
        assertThat(Api.post(base(), helpdeskToken(), "not json").status()).isEqualTo(400);
        Api.Reply unknown = open("nobody-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).containsEntry("error", "not_found");
        realm.hireInProbation("pending-hire", Map.of());
        Api.Reply pending = open("pending-hire");
        assertThat(pending.status()).isEqualTo(409);
        assertThat(pending.json()).containsEntry("error", "not_verified");
        assertThat(Api.get(base() + "/no-such-check", helpdeskToken()).status()).isEqualTo(404);
        Api.Reply noCode = Api.post(base() + "/" + checkId + "/answer", helpdeskToken(), "{\"code\":\"\"}");
        assertThat(noCode.status()).isEqualTo(400);
        Api.Reply notShown =
                Api.post(base() + "/" + checkId + "/answer", helpdeskToken(), Api.toJson(Map.of("code", "123456")));
        assertThat(notShown.status()).isEqualTo(409);
        assertThat(notShown.json()).containsEntry("error", "code_not_issued");
    }

    static Stream<Arguments> refusedCallers() {
        Map<String, Supplier<String>> callers = new LinkedHashMap<>();
        callers.put("anonymous|401", () -> null);
        callers.put("hire|403", () -> realm.tokenOf("matrix-hire"));
        callers.put("verifier|403", () -> realm.consoleTokenOf("verifier"));
        callers.put("auditor|403", () -> realm.consoleTokenOf("auditor"));
        callers.put("realm admin without the helpdesk role|403", () -> realm.adminToken());
        callers.put("helpdesk through another app's token|403", () -> realm.tokenOf("service-desk"));
        callers.put("helpdesk of another realm|403", () -> otherRealm.consoleTokenOf("service-desk"));
        callers.put("admin of another realm|403", () -> otherRealm.adminToken());
        List<Arguments> arguments = new ArrayList<>();
        callers.forEach((key, token) -> {
            String[] parts = key.split("\\|");
            for (String[] endpoint : new String[][] {
                {"POST", "", "{\"user\":\"matrix-hire\"}"},
                {"GET", "/{check}", null},
                {"POST", "/{check}/answer", "{\"code\":\"123456\"}"},
                {"POST", "/{check}/cancel", null}
            }) {
                arguments.add(Arguments.of(
                        parts[0], endpoint[0], endpoint[1], endpoint[2], token, Integer.parseInt(parts[1])));
            }
        });
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {5}")
    @MethodSource("refusedCallers")
    @DisplayName("everyone but a helpdesk member of this realm is refused, and the check is untouched")
    void refused(String caller, String method, String path, String body, Supplier<String> token, int expected) {
        Api.Reply reply = Api.call(method, base() + path.replace("{check}", checkId), token.get(), body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(expected);
        assertThat(reply.json()).containsKey("error");
        Api.Reply check = Api.get(base() + "/" + checkId, helpdeskToken());
        assertThat(check.json()).containsEntry("status", "OPEN").containsEntry("failedAttempts", 0);
    }
}

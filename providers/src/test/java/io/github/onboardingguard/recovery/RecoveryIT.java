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
import io.github.onboardingguard.testsupport.VerifierApi;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recovery of a verified hire: a new credential opens nothing until the person is seen again")
class RecoveryIT extends KeycloakIntegrationTest {

    private static final Pattern LINK =
            Pattern.compile("https?://\\S*/login-actions/action-token\\?key=[A-Za-z0-9._-]+[^\\s\"<]*");
    private static final String NEW_PASSWORD = "stand-in-password-2026";

    private static TestSmtpServer smtp;
    private static DemoRealm realm;

    @BeforeAll
    static void realmWithMailServer() {
        smtp = new TestSmtpServer();
        realm = DemoRealm.importFresh("recovery").useMailServer(smtp);
        // The ceremonies here are driven over HTTP, without a passkey; PasskeyRecoveryBrowserIT binds one.
        realm.updatePolicy(Map.of("riskSecurityEmail", "security@example.com", "passkeyBinding", "false"));
        // An email change by the admin only alerts here, so that a reset after it finds the hire verified.
        realm.updatePolicyList("riskRules", List.of("unbound_login=LOG", "contact_change=ALERT"));
    }

    @AfterAll
    static void stopMailServer() throws Exception {
        smtp.close();
    }

    private static String verifiedHire(String username) {
        String caseId = realm.hireInProbation(username, Map.of());
        realm.verifyThroughCeremonies(caseId, username);
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("VERIFIED");
        return caseId;
    }

    /** The first link of the newest mail to {@code address} whose text contains {@code marker}. */
    private static String link(String address, String marker) throws InterruptedException {
        TestSmtpServer.Mail mail = smtp.awaitMail(
                m -> m.to().toString().contains("<" + address + ">") && m.text().contains(marker),
                Duration.ofSeconds(20));
        Matcher matcher = LINK.matcher(mail.text());
        assertThat(matcher.find()).as(mail.text()).isTrue();
        return matcher.group().replace("&amp;", "&");
    }

    private static boolean mailed(String address, String marker) {
        return smtp.received().stream()
                .anyMatch(m -> m.to().toString().contains("<" + address + ">")
                        && m.text().contains(marker));
    }

    private static int passwordGrant(String username, String password) {
        return Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, username, password)
                .status();
    }

    /** On Keycloak's update-password page (after a link), the new password is typed twice. */
    private static HireBrowser setNewPassword(HireBrowser browser) {
        if (!browser.page().contains("kc-passwd-update-form")) {
            // Keycloak's execute-actions link first shows what it will ask for.
            browser.followLink("login-actions/action-token");
        }
        assertThat(browser.page()).as("update password page").contains("kc-passwd-update-form");
        return browser.submit(
                "kc-passwd-update-form", Map.of("password-new", NEW_PASSWORD, "password-confirm", NEW_PASSWORD));
    }

    @Test
    @DisplayName("given a stand-in who reads a verified hire's mailbox, when they reset the password through "
            + "\"Forgot password?\", then no client gives them a token, the notice reaches the hire's addresses, "
            + "and \"this wasn't me\" suspends the account")
    void mailboxResetOpensNothing() throws InterruptedException {
        String caseId = verifiedHire("mailbox-hire");
        assertThat(passwordGrant("mailbox-hire", PASSWORD)).isEqualTo(200);

        HireBrowser standIn = HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "nobody", "wrong", null)
                .followLink("login-actions/reset-credentials");
        standIn.submit("kc-reset-password-form", Map.of("username", "mailbox-hire"));
        standIn.open(link("mailbox-hire@example.com", "reset"));
        setNewPassword(standIn);

        assertThat(standIn.authorizationCode())
                .as("code after the reset: " + standIn.page())
                .isEmpty();
        assertThat(standIn.onStatusPage()).as(standIn.page()).isTrue();
        assertThat(standIn.continuePastStatusPage().authorizationCode()).isEmpty();
        assertThat(passwordGrant("mailbox-hire", NEW_PASSWORD))
                .as("password grant with the new password")
                .isEqualTo(400);
        assertThat(HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "mailbox-hire", NEW_PASSWORD, null)
                        .authorizationCode())
                .isEmpty();
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");
        assertThat(realm.auditEntries("subject=mailbox-hire&type=recovery.started"))
                .contains("reset_link");

        String repudiation = link("mailbox-hire@example.com", "wasn't you");
        assertThat(mailed("security@example.com", "recovery_repudiated")).isFalse();
        HireBrowser owner = HireBrowser.startAt(repudiation);
        assertThat(owner.status()).as(owner.page()).isEqualTo(200);
        // Opening the link (as a mail scanner does) only asks; the confirmation suspends.
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");
        Matcher key = Pattern.compile("name=\"key\" value=\"([^\"]+)\"").matcher(owner.page());
        assertThat(key.find()).as(owner.page()).isTrue();
        owner.submit("onboarding-repudiate-form", Map.of("key", key.group(1)));
        assertThat(owner.status()).as(owner.page()).isEqualTo(200);
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("SUSPENDED");
        // The same link again, after security reinstated the account: it counted once.
        Api.Reply reinstated = Api.post(
                realm.casesPath() + "/" + caseId + "/reinstate",
                realm.adminToken(),
                Api.toJson(Map.of("reason", "security spoke to the hire")));
        assertThat(reinstated.status()).as(reinstated.body()).isEqualTo(200);
        HireBrowser.startAt(repudiation).submit("onboarding-repudiate-form", Map.of("key", key.group(1)));
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");
        Api.Reply forged = Api.post(
                "/realms/" + realm.name + "/onboarding/recovery/repudiate",
                null,
                "key=" + key.group(1).substring(0, key.group(1).length() - 4) + "AAAA",
                "application/x-www-form-urlencoded");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(realm.auditEntries("subject=mailbox-hire&type=recovery.repudiated"))
                .contains("recovery.repudiated");
        smtp.awaitMail(
                m -> m.to().toString().contains("<security@example.com>")
                        && m.text().contains("recovery_repudiated"),
                Duration.ofSeconds(20));
    }

    @Test
    @DisplayName("given a verified hire whose email an admin changed, when the password is then reset, then the "
            + "notice reaches the address at verification and the new one")
    void noticeReachesOldAndNewAddress() throws InterruptedException {
        String caseId = verifiedHire("moved-hire");
        var user = realm.user(realm.userIdOf("moved-hire"));
        user.setEmail("moved-hire-new@example.com");
        realm.resource.users().get(user.getId()).update(user);

        Api.Reply reset = resetPassword(userPath("moved-hire"), realm.adminToken());
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);

        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");
        assertThat(passwordGrant("moved-hire", NEW_PASSWORD)).isEqualTo(400);
        assertThat(link("moved-hire@example.com", "wasn't you")).isNotEmpty();
        assertThat(link("moved-hire-new@example.com", "wasn't you")).isNotEmpty();
    }

    @Test
    @DisplayName("given an admin who sends a verified hire Keycloak's execute-actions email for a new password, when "
            + "whoever reads it sets one, then no client gives a token")
    void executeActionsResetOpensNothing() throws InterruptedException {
        String caseId = verifiedHire("actions-hire");
        String userId = realm.userIdOf("actions-hire");
        Api.Reply sent = Api.call(
                "PUT",
                "/admin/realms/" + realm.name + "/users/" + userId + "/execute-actions-email?client_id=" + OPEN_CLIENT
                        + "&redirect_uri=" + HireBrowser.CALLBACK,
                realm.adminToken(),
                Api.toJson(List.of("UPDATE_PASSWORD")));
        assertThat(sent.status()).as(sent.body()).isEqualTo(204);

        HireBrowser standIn = HireBrowser.startAt(link("actions-hire@example.com", "action-token"));
        setNewPassword(standIn);

        assertThat(standIn.authorizationCode()).as(standIn.page()).isEmpty();
        assertThat(passwordGrant("actions-hire", NEW_PASSWORD)).isEqualTo(400);
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");
        assertThat(realm.auditEntries("subject=actions-hire&type=recovery.started"))
                .contains("action_link");
    }

    @Test
    @DisplayName("given a hire in recovery, when a verifier sees them and the document matches the onboarding "
            + "record, then access is back; a document with other names is refused")
    void recoveryCeremonyChecksTheRecord() {
        String caseId = verifiedHire("ceremony-hire");
        Api.Reply reset = resetPassword(userPath("ceremony-hire"), realm.adminToken());
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");

        String verifier = realm.consoleTokenOf("verifier");
        Api.Reply opened = VerifierApi.open(realm.name, verifier, caseId, "RECOVERY", "VIDEO");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String ceremony = VerifierApi.id(opened);
        HireBrowser hire =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "ceremony-hire", NEW_PASSWORD, null);
        String code = hire.code().orElseThrow(() -> new AssertionError(hire.page()));

        Map<String, Object> otherPerson = new HashMap<>(VerifierApi.recoveryChecklist());
        otherPerson.put("familyName", "Standin");
        Api.Reply mismatch = VerifierApi.submit(
                realm.name,
                verifier,
                ceremony,
                Map.of("code", code, "outcome", "APPROVE", "checklist", otherPerson, "evidenceRef", "HR-4712"));
        assertThat(mismatch.status()).as(mismatch.body()).isEqualTo(409);
        assertThat(mismatch.body()).contains("record_mismatch", "familyName");
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");

        Api.Reply approved = VerifierApi.approve(realm.name, verifier, ceremony, "RECOVERY", code);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("VERIFIED");
        assertThat(passwordGrant("ceremony-hire", NEW_PASSWORD)).isEqualTo(200);
    }

    @Test
    @DisplayName("given a verified hire signed in as usual, when they change their own password, then that is no "
            + "recovery: access stays")
    void ownPasswordChangeIsNoRecovery() {
        String caseId = verifiedHire("own-change-hire");
        HireBrowser hire =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "own-change-hire", PASSWORD, null);
        assertThat(hire.authorizationCode()).isPresent();
        hire.requestAction(realm.name, OPEN_CLIENT, "UPDATE_PASSWORD")
                .submit(
                        "kc-passwd-update-form",
                        Map.of("password-new", NEW_PASSWORD, "password-confirm", NEW_PASSWORD));
        assertThat(hire.authorizationCode()).as(hire.page()).isPresent();
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("VERIFIED");
        assertThat(passwordGrant("own-change-hire", NEW_PASSWORD)).isEqualTo(200);
    }

    /** An admin's "Reset password" in Keycloak's admin API, on the user at {@code userPath}. */
    private static Api.Reply resetPassword(String userPath, String token) {
        return Api.call(
                "PUT",
                userPath + "/reset-password",
                token,
                Api.toJson(Map.of("type", "password", "value", NEW_PASSWORD, "temporary", false)));
    }

    private static String userPath(String username) {
        return "/admin/realms/" + realm.name + "/users/" + realm.userIdOf(username);
    }

    @Test
    @DisplayName("given verified hires, when an admin links an identity provider's account to one, puts a password "
            + "into another's profile update, or resets a third's password while it is suspended and then "
            + "reinstates it, then each account is in recovery")
    void everyAdminDoorStartsRecovery() {
        String linked = verifiedHire("linked-hire");
        Api.Reply link = Api.post(
                userPath("linked-hire") + "/federated-identity/partner",
                realm.adminToken(),
                Api.toJson(Map.of("identityProvider", "partner", "userId", "stand-in-1", "userName", "stand-in")));
        assertThat(link.status()).as(link.body()).isEqualTo(204);
        assertThat(realm.getCase(linked).get("stage")).isEqualTo("RECOVERY");

        String updated = verifiedHire("updated-hire");
        var user = realm.user(realm.userIdOf("updated-hire"));
        org.keycloak.representations.idm.CredentialRepresentation password =
                new org.keycloak.representations.idm.CredentialRepresentation();
        password.setType("password");
        password.setValue(NEW_PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        realm.resource.users().get(user.getId()).update(user);
        assertThat(realm.getCase(updated).get("stage")).isEqualTo("RECOVERY");
        assertThat(passwordGrant("updated-hire", NEW_PASSWORD)).isEqualTo(400);

        String suspended = verifiedHire("suspended-hire");
        String reason = Api.toJson(Map.of("reason", "checking"));
        assertThat(Api.post(realm.casesPath() + "/" + suspended + "/suspend", realm.adminToken(), reason)
                        .status())
                .isEqualTo(200);
        Api.Reply reset = resetPassword(userPath("suspended-hire"), realm.adminToken());
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);
        assertThat(Api.post(realm.casesPath() + "/" + suspended + "/reinstate", realm.adminToken(), reason)
                        .status())
                .isEqualTo(200);
        assertThat(realm.getCase(suspended).get("stage")).isEqualTo("RECOVERY");
        assertThat(passwordGrant("suspended-hire", NEW_PASSWORD)).isEqualTo(400);
    }

    @Test
    @DisplayName("given a hire verified without a document record, when a verifier runs a recovery check, then it "
            + "is refused (nothing to hold the person against); the admin who reset an account does not verify its "
            + "recovery")
    void recoveryCheckFailsClosed() {
        String caseId = realm.hireInProbation("recordless-hire", Map.of());
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        realm.applyEvent(caseId, "IDENTITY_APPROVED");
        Api.Reply reset = resetPassword(userPath("recordless-hire"), realm.adminToken());
        assertThat(reset.status()).isEqualTo(204);
        String verifier = realm.consoleTokenOf("verifier");
        String ceremony = VerifierApi.id(VerifierApi.open(realm.name, verifier, caseId, "RECOVERY", "VIDEO"));
        HireBrowser hire =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "recordless-hire", NEW_PASSWORD, null);
        String code = hire.code().orElseThrow(() -> new AssertionError(hire.page()));
        Api.Reply approved = VerifierApi.approve(realm.name, verifier, ceremony, "RECOVERY", code);
        assertThat(approved.status()).as(approved.body()).isEqualTo(409);
        assertThat(approved.json()).containsEntry("error", "no_onboarding_record");
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("RECOVERY");

        // A realm admin who also verifies resets an account, then tries to verify its recovery.
        String causer = io.github.onboardingguard.testsupport.TestRealms.createUser(
                realm.resource, "recovery-causer", PASSWORD, "employee", "onboarding-verifier");
        realm.grantClientRole(causer, "realm-management", "realm-admin");
        String own = verifiedHire("causer-hire");
        Api.Reply byCauser = resetPassword(userPath("causer-hire"), realm.consoleTokenOf("recovery-causer"));
        assertThat(byCauser.status()).as(byCauser.body()).isEqualTo(204);
        assertThat(realm.getCase(own).get("stage")).isEqualTo("RECOVERY");
        Api.Reply opened =
                VerifierApi.open(realm.name, realm.consoleTokenOf("recovery-causer"), own, "RECOVERY", "VIDEO");
        assertThat(opened.status()).as(opened.body()).isEqualTo(403);
        assertThat(opened.json()).containsEntry("error", "caused_recovery");
    }
}

package io.github.onboardingguard.invitations;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import io.github.onboardingguard.testsupport.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Invitations: shown on the case, resent, and the link before stops working")
class InvitationsIT extends KeycloakIntegrationTest {

    private static final Pattern LINK =
            Pattern.compile("https?://\\S*/login-actions/action-token\\?key=[A-Za-z0-9._-]+");

    private static TestSmtpServer smtp;
    private static DemoRealm realm;
    private static DemoRealm otherRealm;

    @BeforeAll
    static void realmWithMailServer() {
        smtp = new TestSmtpServer();
        realm = DemoRealm.importFresh("invite").useMailServer(smtp);
        otherRealm = DemoRealm.importFresh("invite-other");
    }

    @AfterAll
    static void stopMailServer() throws Exception {
        smtp.close();
    }

    private static Map<String, Object> invite(String username) {
        return realm.createHire(
                username, Map.of("invitation", Map.of("actions", List.of("UPDATE_PASSWORD"), "lifespanSeconds", 3600)));
    }

    private static String resendPath(Map<String, Object> hireCase) {
        return realm.casesPath() + "/" + hireCase.get("id") + "/invitation";
    }

    /** The link of the {@code nth} (1-based) invitation mailed to {@code username}. */
    private static String link(String username, int nth) throws InterruptedException {
        // With the bracket: "replaced-hire@..." is also the end of "unreplaced-hire@...".
        String address = "<" + username + "@example.com>";
        smtp.awaitMail(
                m -> smtp.received().stream()
                                .filter(mail -> mail.to().toString().contains(address))
                                .count()
                        >= nth,
                Duration.ofSeconds(20));
        TestSmtpServer.Mail mail = smtp.received().stream()
                .filter(m -> m.to().toString().contains(address))
                .skip(nth - 1L)
                .findFirst()
                .orElseThrow();
        Matcher matcher = LINK.matcher(mail.text());
        assertThat(matcher.find()).as(mail.text()).isTrue();
        return matcher.group();
    }

    @Test
    @DisplayName("given an invitation HR resent, when someone opens the first link, then Keycloak refuses it and the "
            + "newest link works")
    void resentInvitationRetiresTheFirstLink() throws InterruptedException {
        Map<String, Object> hireCase = invite("resent-hire");
        String first = link("resent-hire", 1);

        Api.Reply resent = Api.post(resendPath(hireCase), realm.adminToken(), "{}");
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        String second = link("resent-hire", 2);
        assertThat(second).isNotEqualTo(first);

        HireBrowser oldLink = HireBrowser.startAt(first);
        assertThat(oldLink.page()).contains("no longer valid");
        HireBrowser newLink = HireBrowser.startAt(second);
        assertThat(newLink.page()).doesNotContain("no longer valid").contains("Update Password");
    }

    @Test
    @DisplayName("given the first link opened before HR resent the invitation, when its holder sets a password after "
            + "the resend, then the password is refused; a link opened and used without a resend sets it")
    void linkOpenedBeforeTheResendStopsAtTheNextStep() throws InterruptedException {
        Map<String, Object> control = invite("unreplaced-hire");
        HireBrowser unreplaced = HireBrowser.startAt(link("unreplaced-hire", 1)).followLink("action-token");
        assertThat(unreplaced.page()).contains("password-new");
        unreplaced.submitFirstForm(Map.of("password-new", "Hire-Chosen-2026", "password-confirm", "Hire-Chosen-2026"));
        assertThat(passwordWorks("unreplaced-hire", "Hire-Chosen-2026"))
                .as(unreplaced.page())
                .isTrue();
        assertThat(control).containsKey("id");

        Map<String, Object> hireCase = invite("replaced-hire");
        HireBrowser holder = HireBrowser.startAt(link("replaced-hire", 1)).followLink("action-token");
        assertThat(holder.page()).contains("password-new");
        assertThat(Api.post(resendPath(hireCase), realm.adminToken(), "{}").status())
                .isEqualTo(200);
        holder.submitFirstForm(Map.of("password-new", "Holder-Chosen-2026", "password-confirm", "Holder-Chosen-2026"));
        assertThat(passwordWorks("replaced-hire", "Holder-Chosen-2026")).isFalse();
        assertThat(realm.auditEntries(
                        "subject=" + DemoRealm.userId(hireCase) + "&type=invitation.replaced_link_refused"))
                .contains("UPDATE_PASSWORD");
    }

    @Test
    @DisplayName("given an account someone set up through the first link, when HR resends, then what they set is "
            + "gone: the password no longer works")
    void resendRemovesWhatTheFirstLinkSetUp() throws InterruptedException {
        Map<String, Object> hireCase = invite("set-up-hire");
        String userId = DemoRealm.userId(hireCase);
        HireBrowser holder = HireBrowser.startAt(link("set-up-hire", 1)).followLink("action-token");
        holder.submitFirstForm(Map.of("password-new", "Holder-Set-2026", "password-confirm", "Holder-Set-2026"));
        assertThat(realm.resource.users().get(userId).credentials())
                .as(holder.page())
                .isNotEmpty();

        assertThat(Api.post(resendPath(hireCase), realm.adminToken(), "{}").status())
                .isEqualTo(200);

        assertThat(realm.resource.users().get(userId).credentials()).isEmpty();
        assertThat(passwordWorks("set-up-hire", "Holder-Set-2026")).isFalse();
        assertThat(realm.auditEntries("subject=" + userId + "&type=invitation.account_reset"))
                .contains("password");
    }

    @Test
    @DisplayName(
            "given a hire who has signed in, when someone opens their newest invitation link, then Keycloak refuses "
                    + "it: after the first sign-in, access is account recovery's business")
    void linkEndsAtTheFirstSignIn() throws InterruptedException {
        Map<String, Object> hireCase = invite("signed-in-link-hire");
        String newest = link("signed-in-link-hire", 1);
        realm.setPassword(DemoRealm.userId(hireCase));
        realm.tokenOf("signed-in-link-hire");
        assertThat(Api.get(realm.casesPath() + "/" + hireCase.get("id"), realm.adminToken())
                        .json())
                .containsEntry("stage", "PROBATION")
                .doesNotContainKey("invitation");
        assertThat(HireBrowser.startAt(newest).page()).contains("no longer valid");
    }

    private static boolean passwordWorks(String username, String password) {
        return Tokens.passwordGrant(realm.name, DemoRealm.OPEN_CLIENT, DemoRealm.OPEN_CLIENT_SECRET, username, password)
                        .status()
                == 200;
    }

    @Test
    @DisplayName("the case shows when the invitation was sent and when it expires; a resend moves both")
    void expiryOnTheCase() throws InterruptedException {
        Map<String, Object> hireCase = invite("expiry-hire");
        Instant expires = Instant.parse((String) JsonFields.at(hireCase, "invitation.expiresAt"));
        assertThat(expires)
                .isBetween(Instant.now().plusSeconds(3000), Instant.now().plusSeconds(3700));
        Map<String, Object> shown = Api.get(realm.casesPath() + "/" + hireCase.get("id"), realm.adminToken())
                .json();
        assertThat(JsonFields.at(shown, "invitation.expiresAt"))
                .isEqualTo(JsonFields.at(hireCase, "invitation.expiresAt"));
        assertThat(JsonFields.at(shown, "invitation.expired")).isEqualTo(false);

        Api.Reply resent =
                Api.post(resendPath(hireCase), realm.adminToken(), Api.toJson(Map.of("lifespanSeconds", 7 * 86400)));
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(Instant.parse((String) JsonFields.at(resent.json(), "invitation.expiresAt")))
                .isAfter(Instant.now().plusSeconds(6 * 86400));
        String trail = realm.auditEntries("subject=" + DemoRealm.userId(hireCase) + "&type=invitation.sent");
        assertThat(trail.split("\"replacesEarlierLink\":true", -1)).as(trail).hasSize(2);
        assertThat(trail.split("\"replacesEarlierLink\":false", -1)).as(trail).hasSize(2);
    }

    @Test
    @DisplayName("a hire who has signed in, a hire without an address and bad input are refused with 4xx JSON")
    void refusals() {
        Map<String, Object> signedIn = realm.createHireWithPassword("signed-in-hire", Map.of());
        realm.tokenOf("signed-in-hire");
        Api.Reply afterLogin = Api.post(resendPath(signedIn), realm.adminToken(), "{}");
        assertThat(afterLogin.status()).as(afterLogin.body()).isEqualTo(409);
        assertThat(afterLogin.json()).containsEntry("error", "invitation_not_pending");

        Map<String, Object> noAddress = realm.createHire("no-address-hire", Map.of("email", ""));
        Api.Reply withoutEmail = Api.post(resendPath(noAddress), realm.adminToken(), "{}");
        assertThat(withoutEmail.status()).as(withoutEmail.body()).isEqualTo(400);
        assertThat(withoutEmail.json()).containsEntry("field", "email");

        Map<String, Object> hireCase = realm.createHire("bad-input-hire", Map.of());
        for (String body :
                List.of("{\"send\":false}", "{\"actions\":[\"NO_SUCH_ACTION\"]}", "{\"lifespanSeconds\":1}", "[1]")) {
            Api.Reply reply = Api.post(resendPath(hireCase), realm.adminToken(), body);
            assertThat(reply.status()).as(body + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json()).containsKey("error");
        }
        assertThat(Api.get(realm.casesPath() + "/" + hireCase.get("id"), realm.adminToken())
                        .json())
                .doesNotContainKey("invitation");
        assertThat(Api.post(realm.casesPath() + "/no-such-case/invitation", realm.adminToken(), "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    @DisplayName("checks authorization for every role: anonymous 401; hire, verifier, auditor and another realm's "
            + "admin 403, sending nothing")
    void authorizationMatrix() throws InterruptedException {
        Map<String, Object> hireCase = invite("matrix-hire");
        link("matrix-hire", 1);
        realm.createHireWithPassword("matrix-caller", Map.of());

        assertThat(Api.post(resendPath(hireCase), null, "{}").status())
                .as("anonymous")
                .isEqualTo(401);
        for (Map.Entry<String, String> caller : Map.of(
                        "hire", realm.tokenOf("matrix-caller"),
                        "verifier", realm.consoleTokenOf("verifier"),
                        "auditor", realm.consoleTokenOf("auditor"),
                        "admin of another realm", otherRealm.adminToken())
                .entrySet()) {
            Api.Reply reply = Api.post(resendPath(hireCase), caller.getValue(), "{}");
            assertThat(reply.status())
                    .as("%s: %s", caller.getKey(), reply.body())
                    .isEqualTo(403);
        }
        assertThat(smtp.received().stream()
                        .filter(m -> m.to().toString().contains("matrix-hire@"))
                        .count())
                .isEqualTo(1);
        assertThat(Api.post(resendPath(hireCase), realm.adminToken(), "{}").status())
                .isEqualTo(200);
    }
}

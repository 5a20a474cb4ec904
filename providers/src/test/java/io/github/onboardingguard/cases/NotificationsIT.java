package io.github.onboardingguard.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Emails: the hire's invitation and the sponsor's expiry notice")
class NotificationsIT extends KeycloakIntegrationTest {

    private static TestSmtpServer smtp;
    private static DemoRealm realm;

    @BeforeAll
    static void realmWithMailServer() {
        smtp = new TestSmtpServer();
        realm = DemoRealm.importFresh("mail");
        realm.useMailServer(smtp);
    }

    @AfterAll
    static void stopMailServer() throws Exception {
        smtp.close();
    }

    @Test
    @DisplayName("creating a hire emails an execute-actions invitation to the hire")
    void invitation() throws InterruptedException {
        Api.Reply reply = Api.post(
                realm.casesPath(),
                realm.adminToken(),
                Api.toJson(Map.of(
                        "username",
                        "invited-hire",
                        "email",
                        "invited-hire@example.com",
                        "firstName",
                        "Ivy",
                        "lastName",
                        "Invited",
                        "sponsor",
                        "hiring-manager",
                        "invitation",
                        Map.of("actions", List.of("UPDATE_PASSWORD", "CONFIGURE_TOTP"), "lifespanSeconds", 3600))));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        @SuppressWarnings("unchecked")
        Map<String, Object> invitation = (Map<String, Object>) reply.json().get("invitation");
        assertThat(invitation).containsEntry("status", "QUEUED").containsKey("expiresAt");

        TestSmtpServer.Mail mail =
                smtp.awaitMail(m -> m.to().toString().contains("invited-hire@example.com"), Duration.ofSeconds(20));
        assertThat(mail.text()).contains("/login-actions/action-token?key=").contains(realm.name);
    }

    @Test
    @DisplayName("given a stage change that emails the sponsor, when its transaction rolls back, then no mail leaves")
    void rolledBackChangeSendsNoMail() throws InterruptedException {
        String caseId = (String) realm.createHire("rollback-mail-hire", Map.of("firstName", "Rolf", "lastName", "Back"))
                .get("id");
        String hooks = "/realms/" + realm.name + "/onboarding-test-hooks/cases/" + caseId
                + "/events/SUSPEND/with-sponsor-mail";

        Api.Reply rolledBack = Api.post(hooks + "?rollback=true&reason=marker-rolled-back", null, null);
        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(409);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "INVITED");

        Api.Reply committed = Api.post(hooks + "?rollback=false&reason=marker-committed", null, null);
        assertThat(committed.status()).as(committed.body()).isEqualTo(200);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "SUSPENDED");

        // The committed change's mail arrives; the rolled-back one, queued first, never does.
        smtp.awaitMail(m -> m.text().contains("marker-committed"), Duration.ofSeconds(20));
        assertThat(Poll.nothingWithin(
                        Duration.ofSeconds(2),
                        smtp::received,
                        mails -> mails.stream().anyMatch(m -> m.text().contains("marker-rolled-back"))))
                .noneMatch(m -> m.text().contains("marker-rolled-back"));
    }

    @Test
    @DisplayName("an expired case emails the sponsor with the onboarding template")
    void expiryNotice() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(3);
        realm.createHire(
                "expiring-mail-hire",
                Map.of("deadline", deadline.toString(), "firstName", "Eve", "lastName", "Expiring"));

        TestSmtpServer.Mail mail = smtp.awaitMail(
                m -> m.to().toString().contains("hiring-manager@example.com")
                        && m.text().contains("Subject: Onboarding of Eve Expiring expired"),
                Duration.ofSeconds(30));
        assertThat(mail.text())
                .contains("Subject: Onboarding of Eve Expiring expired")
                .contains("whom you sponsor")
                .contains("expiring-mail-hire")
                .contains(io.github.onboardingguard.testsupport.DisplayTime.of(deadline));
    }

    @Test
    @DisplayName("given a realm whose email theme is Keycloak's plain base theme, then the expiry notice renders from "
            + "the extension's templates all the same")
    void expiryNoticeOnBaseEmailTheme() throws InterruptedException {
        DemoRealm baseThemed = DemoRealm.importFresh("mail-base").useMailServer(smtp);
        var rep = baseThemed.resource.toRepresentation();
        rep.setEmailTheme("base");
        baseThemed.resource.update(rep);
        assertThat(baseThemed.resource.toRepresentation().getEmailTheme()).isEqualTo("base");

        baseThemed.createHire(
                "base-theme-hire",
                Map.of("deadline", Instant.now().plusSeconds(3).toString(), "firstName", "Bea", "lastName", "Based"));
        TestSmtpServer.Mail mail = smtp.awaitMail(
                m -> m.text().contains("Subject: Onboarding of Bea Based expired"), Duration.ofSeconds(30));
        assertThat(mail.text())
                .contains("Subject: Onboarding of Bea Based expired")
                .contains("whom you sponsor");
    }
}

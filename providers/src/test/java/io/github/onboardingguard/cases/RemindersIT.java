package io.github.onboardingguard.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;

@DisplayName("Reminders before the deadline: to the hire and the sponsor, once each, in the hire's language")
class RemindersIT extends KeycloakIntegrationTest {

    private static TestSmtpServer smtp;
    private static DemoRealm realm;

    @BeforeAll
    static void realmWithMailServer() {
        smtp = new TestSmtpServer();
        realm = DemoRealm.importFresh("remind").useMailServer(smtp);
    }

    @AfterAll
    static void stopMailServer() throws Exception {
        smtp.close();
    }

    private static long mailsTo(String address, String marker) {
        return smtp.received().stream()
                .filter(m -> m.to().toString().contains(address) && m.text().contains(marker))
                .count();
    }

    private static void moveDeadline(Map<String, Object> hireCase, Duration fromNow) {
        Api.Reply moved = Api.call(
                "PATCH",
                realm.casesPath() + "/" + hireCase.get("id"),
                realm.adminToken(),
                Api.toJson(Map.of("deadline", Instant.now().plus(fromNow).toString())));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    }

    /** The expiry task runs every 2 s on the test server: three runs after the mail came. */
    private static void afterAFewRuns() throws InterruptedException {
        Thread.sleep(7_000);
    }

    @Test
    @DisplayName(
            "a deadline 3 days away brings the 7-day reminder once to the hire and the sponsor; a new deadline 1 day "
                    + "away brings the 2-day reminder once; the trail names each")
    void remindsOncePerReminder() throws InterruptedException {
        Map<String, Object> hireCase = realm.createHire(
                "reminded-hire",
                Map.of(
                        "firstName", "Rita",
                        "lastName", "Reminded",
                        "deadline", Instant.now().plus(Duration.ofDays(3)).toString()));
        String hire = "reminded-hire@example.com";
        smtp.awaitMail(
                m -> m.to().toString().contains(hire) && m.text().contains("Reminder: your identity verification"),
                Duration.ofSeconds(30));
        smtp.awaitMail(
                m -> m.to().toString().contains("hiring-manager@example.com")
                        && m.text().contains("Reminder: Rita Reminded has not been verified yet"),
                Duration.ofSeconds(30));
        afterAFewRuns();
        assertThat(mailsTo(hire, "Reminder:")).isEqualTo(1);
        assertThat(mailsTo("hiring-manager@example.com", "Rita Reminded has not been verified"))
                .isEqualTo(1);

        // An hour later is no new deadline for reminders: nudging it sends nothing.
        moveDeadline(hireCase, Duration.ofDays(3).plusHours(1));
        afterAFewRuns();
        assertThat(mailsTo(hire, "Reminder:")).isEqualTo(1);

        moveDeadline(hireCase, Duration.ofDays(1));
        smtp.awaitMail(m -> mailsTo(hire, "Reminder:") == 2, Duration.ofSeconds(30));
        afterAFewRuns();
        assertThat(mailsTo(hire, "Reminder:")).isEqualTo(2);
        assertThat(mailsTo("hiring-manager@example.com", "Rita Reminded has not been verified"))
                .isEqualTo(2);

        String trail = realm.auditEntries("subject=" + DemoRealm.userId(hireCase) + "&type=case.reminder_sent");
        assertThat(trail)
                .contains("\"daysBefore\":7")
                .contains("\"daysBefore\":2")
                .contains("system:reminders");
    }

    @Test
    @DisplayName("a hire whose profile says German gets the reminder in German; a deadline weeks away gets none yet")
    void inTheHiresLanguage() throws InterruptedException {
        Map<String, Object> german = realm.createHire("erinnerte-person", Map.of());
        realm.createHire("later-hire", Map.of());
        UserRepresentation user =
                realm.resource.users().get(DemoRealm.userId(german)).toRepresentation();
        user.setAttributes(Map.of("locale", List.of("de")));
        realm.resource.users().get(user.getId()).update(user);
        moveDeadline(german, Duration.ofDays(5));

        TestSmtpServer.Mail mail =
                smtp.awaitMail(m -> m.to().toString().contains("erinnerte-person@example.com"), Duration.ofSeconds(30));
        assertThat(mail.text()).contains("Hallo").doesNotContain("Hello");
        afterAFewRuns();
        assertThat(mailsTo("later-hire@example.com", "")).isZero();
    }
}

package io.github.onboardingguard.recovery;

import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import io.github.onboardingguard.testsupport.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Periodic re-verification: reminded before, on probation from the due date until seen again")
class ReverificationIT extends KeycloakIntegrationTest {

    private static TestSmtpServer smtp;
    private static DemoRealm realm;

    @BeforeAll
    static void realmWithCadence() {
        smtp = new TestSmtpServer();
        realm = DemoRealm.importFresh("reverify").useMailServer(smtp);
        realm.updatePolicy(Map.of("passkeyBinding", "false", "reverifyEveryDays", "365"));
        realm.updatePolicyList("reverifyGroups", List.of("/engineering=90"));
    }

    @AfterAll
    static void stopMailServer() throws Exception {
        smtp.close();
    }

    private static Instant dueAt(String caseId) {
        return Instant.parse((String) realm.getCase(caseId).get("reverifyDueAt"));
    }

    private static void dueIn(String caseId, long minutes) {
        Api.Reply reply = Api.post(
                "/realms/" + realm.name + "/onboarding-test-hooks/cases/" + caseId + "/reverify-due-in/" + minutes,
                null,
                null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    @Test
    @DisplayName("given a verified hire, when the cadence applies, then the due date follows it (a group's shorter one "
            + "wins); a reminder goes out on the reminder days before; at the due date the hire is on probation with a "
            + "fresh deadline")
    void reverificationFallsDue() throws InterruptedException {
        String caseId = realm.hireInProbation(
                "cadence-hire",
                Map.of("grants", Map.of("realmRoles", List.of("employee"), "groups", List.of("/engineering"))));
        Instant firstDeadline = Instant.parse((String) realm.getCase(caseId).get("deadline"));
        realm.verifyThroughCeremonies(caseId, "cadence-hire");
        Instant verifiedAt = Instant.parse((String) realm.getCase(caseId).get("verifiedAt"));
        assertThat(Duration.between(verifiedAt, dueAt(caseId)).toDays()).isEqualTo(90);
        assertThat(Tokens.passwordGrant(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "cadence-hire", PASSWORD)
                        .status())
                .isEqualTo(200);

        dueIn(caseId, 36 * 60);
        // The housekeeping task shares Keycloak's one timer thread with every other scheduled task, and the mail
        // goes out on a pool after commit: on a busy machine either can lag, so the audit entry is awaited first
        // (a failure then says which of the two did not happen) and both get a minute.
        assertThat(Poll.until(
                        Duration.ofSeconds(60),
                        () -> realm.auditEntries("subject=cadence-hire&type=case.reverification_reminder_sent"),
                        entries -> entries.contains("\"daysBefore\":2")))
                .as("reminder recorded")
                .contains("\"daysBefore\":2");
        smtp.awaitMail(
                m -> m.to().toString().contains("<cadence-hire@example.com>")
                        && m.text().contains("verified again"),
                Duration.ofSeconds(60));
        assertThat(realm.getCase(caseId).get("stage")).isEqualTo("VERIFIED");

        dueIn(caseId, -1);
        assertThat(Poll.until(
                        Duration.ofSeconds(60), () -> realm.getCase(caseId).get("stage"), "PROBATION"::equals))
                .isEqualTo("PROBATION");
        Instant deadline = Instant.parse((String) realm.getCase(caseId).get("deadline"));
        // A probation of its own, not the first one's deadline (which, months later, would expire the account).
        assertThat(deadline).isAfter(firstDeadline).isAfter(Instant.now().plus(29, ChronoUnit.DAYS));
        assertThat(realm.auditEntries("subject=cadence-hire&type=case.stage_changed"))
                .contains("periodic re-verification due");
        assertThat(Tokens.passwordGrant(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "cadence-hire", PASSWORD)
                        .status())
                .as("closed client while re-verification is pending")
                .isEqualTo(400);
        assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "cadence-hire", PASSWORD)
                        .status())
                .as("probation's clients stay open")
                .isEqualTo(200);
    }

    @Test
    @DisplayName("given verified hires, when the admin changes the cadence, then every due date is worked out again")
    void changedCadenceIsWorkedOutAgain() {
        String caseId = realm.hireInProbation("recalculated-hire", Map.of());
        realm.verifyThroughCeremonies(caseId, "recalculated-hire");
        Instant verifiedAt = Instant.parse((String) realm.getCase(caseId).get("verifiedAt"));
        assertThat(Duration.between(verifiedAt, dueAt(caseId)).toDays()).isEqualTo(365);

        realm.updatePolicy(Map.of("reverifyEveryDays", "180"));
        Poll.until(
                Duration.ofSeconds(30),
                () -> realm.getCase(caseId).get("reverifyDueAt"),
                due -> due != null
                        && Duration.between(verifiedAt, Instant.parse((String) due))
                                        .toDays()
                                == 180);
        realm.updatePolicy(Map.of("reverifyEveryDays", "365"));
    }
}

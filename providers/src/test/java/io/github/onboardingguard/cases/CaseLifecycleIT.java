package io.github.onboardingguard.cases;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A case moves by itself: probation starts at the first login, the deadline expires it")
class CaseLifecycleIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;

    @BeforeAll
    static void importRealm() {
        realm = DemoRealm.importFresh("lifecycle");
    }

    @Nested
    @DisplayName("first login")
    class FirstLogin {

        @Test
        @DisplayName("the first login moves an invited hire to probation")
        void firstLoginStartsProbation() {
            Map<String, Object> created = realm.createHireWithPassword("first-login-hire", Map.of());
            assertThat(created).containsEntry("stage", "INVITED");
            Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "first-login-hire", PASSWORD);
            Map<String, Object> after = realm.getCase((String) created.get("id"));
            assertThat(after).containsEntry("stage", "PROBATION");
            assertThat(after.get("probationStartedAt")).isNotNull();
        }

        @Test
        @DisplayName("concurrent first logins all succeed and start probation exactly once")
        void concurrentFirstLogins() throws Exception {
            // Keycloak's brute-force detection refuses parallel logins of one user; off for this race only.
            DemoRealm realm = DemoRealm.importFresh("racing");
            var rep = realm.resource.toRepresentation();
            rep.setBruteForceProtected(false);
            realm.resource.update(rep);
            Map<String, Object> created = realm.createHireWithPassword("racing-hire", Map.of());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            try {
                List<java.util.concurrent.Future<Integer>> logins = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    logins.add(pool.submit(() -> Tokens.passwordGrant(
                                    realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "racing-hire", PASSWORD)
                            .status()));
                }
                for (var login : logins) {
                    assertThat(login.get()).isEqualTo(200);
                }
            } finally {
                pool.shutdown();
            }
            Map<String, Object> after = realm.getCase((String) created.get("id"));
            assertThat(after).containsEntry("stage", "PROBATION");
            assertThat((List<?>) after.get("history")).hasSize(2);
        }
    }

    @Nested
    @DisplayName("expiry")
    class Expiry {

        @Test
        @DisplayName(
                "given a hire whose deadline has just passed, when they sign in or refresh before the expiry task has run, "
                        + "then both are refused")
        void deadlinePassedBeforeExpiryRuns() {
            Map<String, Object> created = realm.createHireWithPassword("late-hire", Map.of());
            String caseId = (String) created.get("id");
            Tokens.TokenResponse session =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "late-hire", PASSWORD);
            assertThat(session.status()).as("%s", session).isEqualTo(200);

            Api.Reply moved = Api.post(
                    "/realms/" + realm.name + "/onboarding-test-hooks/cases/" + caseId + "/deadline-passed",
                    null,
                    null);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            // The expiry task runs every two seconds here (every five minutes by default): these come first.
            Tokens.TokenResponse login =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "late-hire", PASSWORD);
            Tokens.TokenResponse refresh =
                    Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, session.refreshToken());
            assertThat(login.status()).as("login after the deadline: %s", login).isEqualTo(400);
            assertThat(refresh.status())
                    .as("refresh after the deadline: %s", refresh)
                    .isEqualTo(400);
        }

        @Test
        @DisplayName(
                "given a deadline a few seconds away, the expiry task expires the case, disables the user and ends their sessions")
        void expiry() throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(4);
            Map<String, Object> created =
                    realm.createHireWithPassword("expiring-hire", Map.of("deadline", deadline.toString()));
            String userId = DemoRealm.userId(created);
            Tokens.TokenResponse session =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "expiring-hire", PASSWORD);
            assertThat(realm.resource.users().get(userId).getUserSessions()).hasSize(1);

            assertThat(stageWithin((String) created.get("id"), "EXPIRED", Duration.ofSeconds(30)))
                    .isEqualTo("EXPIRED");
            assertThat(realm.user(userId).isEnabled()).isFalse();
            assertThat(realm.resource.users().get(userId).getUserSessions()).isEmpty();
            assertThat(Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, session.refreshToken())
                            .status())
                    .isEqualTo(400);
            List<?> history =
                    (List<?>) realm.getCase((String) created.get("id")).get("history");
            assertThat(JsonFields.object(history, "[" + (history.size() - 1) + "]"))
                    .containsEntry("to", "EXPIRED")
                    .containsEntry("actor", "system:expiry");
        }

        @Test
        @DisplayName(
                "given an overdue case whose expiry the database refuses, then the cases due after it still expire, "
                        + "and it expires once the fault is gone")
        void oneFailingCaseDoesNotBlockExpiry() throws InterruptedException {
            String stuck = (String)
                    realm.createHireWithPassword("stuck-expiry-hire", Map.of()).get("id");
            String next = (String)
                    realm.createHireWithPassword("next-expiry-hire", Map.of()).get("id");
            String hooks = "/realms/" + realm.name + "/onboarding-test-hooks/cases/";
            assertThat(Api.post(hooks + stuck + "/refuse-expiry", null, null).status())
                    .isEqualTo(200);
            try {
                // The stuck case is overdue first, so a run that stopped at it would never reach the next one.
                assertThat(Api.post(hooks + stuck + "/deadline-passed", null, null)
                                .status())
                        .isEqualTo(200);
                Thread.sleep(50);
                assertThat(Api.post(hooks + next + "/deadline-passed", null, null)
                                .status())
                        .isEqualTo(200);
                assertThat(stageWithin(next, "EXPIRED", Duration.ofSeconds(30))).isEqualTo("EXPIRED");
                assertThat(realm.getCase(stuck)).containsEntry("stage", "INVITED");
            } finally {
                Api.call("DELETE", hooks + "refuse-expiry", null, null);
            }
            assertThat(stageWithin(stuck, "EXPIRED", Duration.ofSeconds(30))).isEqualTo("EXPIRED");
        }

        private String stageWithin(String caseId, String wanted, Duration patience) {
            return Poll.until(patience, () -> (String) realm.getCase(caseId).get("stage"), wanted::equals);
        }
    }
}

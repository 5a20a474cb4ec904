package io.github.onboardingguard.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnboardingPolicyTest {

    @Test
    @DisplayName("empty settings give the defaults")
    void defaults() {
        assertThat(OnboardingPolicy.parse(Map.of())).isEqualTo(OnboardingPolicy.defaults());
    }

    @Test
    @DisplayName("settings round-trip, including the admin console's '##' joined lists")
    void roundTrip() {
        OnboardingPolicy policy = OnboardingPolicy.parse(Map.ofEntries(
                Map.entry("probationDays", List.of("14")),
                Map.entry("probationaryRole", List.of("new-joiner")),
                Map.entry("probationClients", List.of("hr-portal##account-console")),
                Map.entry("tokenRoleAllowList", List.of("new-joiner", "account/view-profile")),
                Map.entry("documentStepRequired", List.of("false")),
                Map.entry("dualControl", List.of("TRUE")),
                Map.entry("ceremonyCodeMinutes", List.of("3")),
                Map.entry("ceremonyMaxAttempts", List.of("5")),
                Map.entry("passkeyBinding", List.of("true")),
                Map.entry("verificationBookingUrl", List.of(" https://calendar.example.com/book-verification ")),
                Map.entry("auditRetentionDays", List.of("400"))));
        assertThat(policy.probationDays()).isEqualTo(14);
        assertThat(policy.probationaryRole()).isEqualTo("new-joiner");
        assertThat(policy.probationClients()).containsExactlyInAnyOrder("hr-portal", "account-console");
        assertThat(policy.documentStepRequired()).isFalse();
        assertThat(policy.dualControl()).isTrue();
        assertThat(policy.ceremonyCodeValidity()).hasMinutes(3);
        assertThat(policy.ceremonyMaxAttempts()).isEqualTo(5);
        assertThat(policy.passkeyBinding()).isTrue();
        assertThat(policy.auditRetentionDays()).isEqualTo(400);
        assertThat(policy.verificationBookingUrl()).isEqualTo("https://calendar.example.com/book-verification");
        assertThat(OnboardingPolicy.parse(policy.toSettings())).isEqualTo(policy);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "probationDays|0|between 1 and 365",
                "probationDays|366|between 1 and 365",
                "probationDays|ten|whole number",
                "probationaryRole|a/b|one realm role",
                "probationaryRole|' '|one realm role",
                "probationClients|has space|not a client id",
                "tokenRoleAllowList|a b|must be 'role'",
                "tokenRoleAllowList|ab*c|must be 'role'",
                "documentStepRequired|yes|true or false",
                "dualControl|1|true or false",
                "ceremonyCodeMinutes|0|between 1 and 30",
                "ceremonyCodeMinutes|31|between 1 and 30",
                "ceremonyMaxAttempts|0|between 1 and 10",
                "ceremonyMaxAttempts|three|whole number",
                "passkeyBinding|on|true or false",
                "verificationBookingUrl|javascript:alert(1)|http(s) or mailto",
                "auditRetentionDays|-1|between 0 and 36500",
                "auditRetentionDays|a year|whole number",
                "verificationBookingUrl|https://x.example/\"><script>|http(s) or mailto"
            })
    @DisplayName("bad values are refused with a message naming the setting")
    void refusesBadValues(String key, String value, String message) {
        assertThatThrownBy(() -> OnboardingPolicy.parse(Map.of(key, List.of(value))))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(message);
    }

    @Test
    @DisplayName("probation sessions: offline tokens refused and the realm's lifetime unless the policy says otherwise")
    void probationSessions() {
        assertThat(OnboardingPolicy.defaults().probationOfflineTokens()).isFalse();
        assertThat(OnboardingPolicy.defaults().probationSessionMaxAge()).isEmpty();
        OnboardingPolicy policy = OnboardingPolicy.parse(
                Map.of("probationSessionMinutes", List.of("480"), "probationOfflineTokens", List.of("true")));
        assertThat(policy.probationSessionMaxAge()).contains(java.time.Duration.ofHours(8));
        assertThat(policy.probationOfflineTokens()).isTrue();
        assertThat(OnboardingPolicy.parse(policy.toSettings())).isEqualTo(policy);
        assertThatThrownBy(() -> OnboardingPolicy.parse(Map.of("probationSessionMinutes", List.of("43201"))))
                .isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> OnboardingPolicy.parse(Map.of("probationSessionMinutes", List.of("-5"))))
                .isInstanceOf(PolicyException.class);
    }

    @Test
    @DisplayName("every problem is reported at once")
    void reportsAllProblems() {
        assertThatThrownBy(() ->
                        OnboardingPolicy.parse(Map.of("probationDays", List.of("-1"), "dualControl", List.of("maybe"))))
                .isInstanceOfSatisfying(
                        PolicyException.class, e -> assertThat(e.problems()).hasSize(2));
    }

    @Test
    @DisplayName("token allow-list matches exact roles and prefixes within the same scope")
    void tokenAllowList() {
        OnboardingPolicy policy = OnboardingPolicy.defaults();
        assertThat(policy.allowsRoleInToken(null, "onboarding-probationary", null))
                .isTrue();
        assertThat(policy.allowsRoleInToken(null, "default-roles-acme", null)).isTrue();
        // Knowing the realm, the default-roles entry is that realm's default role and nothing named like it.
        assertThat(policy.allowsRoleInToken(null, "default-roles-acme", "default-roles-acme"))
                .isTrue();
        assertThat(policy.allowsRoleInToken(null, "default-roles-eng", "default-roles-acme"))
                .isFalse();
        assertThat(policy.allowsRoleInToken("default-roles-x", "default-roles-acme", "default-roles-acme"))
                .isFalse();
        assertThat(policy.allowsRoleInToken("account", "manage-account", null)).isTrue();
        assertThat(policy.allowsRoleInToken(null, "admin", null)).isFalse();
        assertThat(policy.allowsRoleInToken("account", "delete-account", null)).isFalse();
        assertThat(policy.allowsRoleInToken("realm-management", "realm-admin", null))
                .isFalse();
        // A realm-role prefix must not let a client role through, and the other way round.
        assertThat(policy.allowsRoleInToken("default-roles-x", "anything", null))
                .isFalse();
        OnboardingPolicy clientWildcard = OnboardingPolicy.parse(Map.of("tokenRoleAllowList", List.of("hr-portal/*")));
        assertThat(clientWildcard.allowsRoleInToken("hr-portal", "reader", null))
                .isTrue();
        assertThat(clientWildcard.allowsRoleInToken(null, "hr-portal/reader", null))
                .isFalse();
        assertThat(clientWildcard.allowsRoleInToken("hr-portal-admin", "x", null))
                .isFalse();
    }

    private static final long DAY = java.time.Duration.ofDays(1).toMillis();

    @Test
    @DisplayName("reminders: 7 and 2 days by default, stored as the console stores them, bounded, sorted, none allowed")
    void reminderDays() {
        assertThat(OnboardingPolicy.defaults().reminderDays()).containsExactly(7, 2);
        assertThat(OnboardingPolicy.parse(Map.of("reminderDays", List.of("1##14##3")))
                        .reminderDays())
                .containsExactly(14, 3, 1);
        assertThat(OnboardingPolicy.parse(Map.of("reminderDays", List.of(""))).reminderDays())
                .isEmpty();
        OnboardingPolicy policy = OnboardingPolicy.parse(Map.of("reminderDays", List.of("10", "5")));
        assertThat(OnboardingPolicy.parse(policy.toSettings())).isEqualTo(policy);
        assertThatThrownBy(() -> OnboardingPolicy.parse(Map.of("reminderDays", List.of("0##x"))))
                .hasMessageContaining("'0'")
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> OnboardingPolicy.parse(Map.of("reminderDays", List.of("1##2##3##4##5##6"))))
                .hasMessageContaining("at most 5");
    }

    @Test
    @DisplayName("the reminder due is the smallest threshold reached and not yet sent: one mail, never a burst")
    void reminderDue() {
        OnboardingPolicy policy = OnboardingPolicy.defaults();
        assertThat(policy.reminderDue(10 * DAY, null)).isEmpty();
        assertThat(policy.reminderDue(7 * DAY, null)).contains(7);
        assertThat(policy.reminderDue(5 * DAY, 7)).isEmpty();
        assertThat(policy.reminderDue(DAY, null))
                .as("inside both: only the nearer")
                .contains(2);
        assertThat(policy.reminderDue(DAY, 7)).contains(2);
        assertThat(policy.reminderDue(DAY, 2)).isEmpty();
    }
}

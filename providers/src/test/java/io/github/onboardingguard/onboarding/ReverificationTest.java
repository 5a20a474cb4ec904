package io.github.onboardingguard.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Re-verification cadence: realm-wide, per group, the smallest that applies")
class ReverificationTest {

    private static OnboardingPolicy policy(Map<String, List<String>> settings) {
        return OnboardingPolicy.parse(settings);
    }

    @Test
    @DisplayName("off unless set; a group's cadence applies to its members and subgroups, the smallest wins")
    void smallestCadenceWins() {
        assertThat(OnboardingPolicy.defaults().reverification().enabled()).isFalse();
        Reverification cadence = policy(Map.of(
                        "reverifyEveryDays", List.of("365"), "reverifyGroups", List.of("/admins=90##/admins/db=30")))
                .reverification();
        assertThat(cadence.daysFor(List.of())).isEqualTo(365);
        assertThat(cadence.daysFor(List.of("/administrators"))).isEqualTo(365);
        assertThat(cadence.daysFor(List.of("/admins/eu"))).isEqualTo(90);
        assertThat(cadence.daysFor(List.of("/staff", "/admins/db"))).isEqualTo(30);
        Reverification groupsOnly =
                policy(Map.of("reverifyGroups", List.of("/admins=90"))).reverification();
        assertThat(groupsOnly.enabled()).isTrue();
        assertThat(groupsOnly.daysFor(List.of("/staff"))).isZero();
    }

    @Test
    @DisplayName("bad values are refused with the entry named, and the settings read back as saved")
    void strictAndRoundTrips() {
        assertThatThrownBy(() -> policy(Map.of("reverifyEveryDays", List.of("-1"))))
                .hasMessageContaining("reverifyEveryDays");
        assertThatThrownBy(() -> policy(Map.of("reverifyGroups", List.of("admins=90"))))
                .hasMessageContaining("'admins=90'");
        assertThatThrownBy(() -> policy(Map.of("reverifyGroups", List.of("/admins=0"))))
                .hasMessageContaining("/admins=0");
        OnboardingPolicy saved =
                policy(Map.of("reverifyEveryDays", List.of("200"), "reverifyGroups", List.of("/admins=90")));
        assertThat(OnboardingPolicy.parse(saved.toSettings())).isEqualTo(saved);
    }
}

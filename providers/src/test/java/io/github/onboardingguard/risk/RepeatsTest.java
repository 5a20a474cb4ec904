package io.github.onboardingguard.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Repeats: only the same event again is folded into a signal")
class RepeatsTest {

    @Test
    @DisplayName(
            "the same client refused again from a neighbouring address is a repeat; another network, client, country or grant is news")
    void sameEventOnly() {
        Map<String, Object> first = Map.of("event", "LOGIN_ERROR", "clientId", "source-code", "ipAddress", "10.0.0.1");
        assertThat(Repeats.sameEvent(
                        first, Map.of("event", "LOGIN_ERROR", "clientId", "source-code", "ipAddress", "10.0.0.2")))
                .isTrue();
        assertThat(Repeats.sameEvent(
                        first, Map.of("event", "LOGIN_ERROR", "clientId", "payroll", "ipAddress", "10.0.0.1")))
                .isFalse();
        assertThat(Repeats.sameEvent(
                        first, Map.of("event", "LOGIN_ERROR", "clientId", "source-code", "ipAddress", "10.60.0.1")))
                .as("a stand-in on another network")
                .isFalse();
        assertThat(Repeats.sameEvent(Map.of("country", "DE"), Map.of("country", "KP")))
                .isFalse();
        assertThat(Repeats.sameEvent(
                        Map.of("failures", 5, "window", "PT15M"), Map.of("failures", 9, "window", "PT15M")))
                .isTrue();
        assertThat(Repeats.sameEvent(null, first)).isFalse();
    }
}

package io.github.onboardingguard.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Evidence as lines of an alert mail")
class EvidenceLinesTest {

    @Test
    @DisplayName("nested values are named by their path, lists joined, empty values left out, order kept")
    void lines() {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", "UPDATE_EMAIL");
        evidence.put("changed", Map.of("email", Map.of("to", "new@example.net")));
        evidence.put("countries", List.of("DE", "KP"));
        evidence.put("subject", null);
        evidence.put("parameters", Map.of());
        evidence.put("truncated", true);

        assertThat(EvidenceLines.of(evidence))
                .containsExactly(
                        Map.of("name", "event", "value", "UPDATE_EMAIL"),
                        Map.of("name", "changed.email.to", "value", "new@example.net"),
                        Map.of("name", "countries", "value", "DE, KP"),
                        Map.of("name", "truncated", "value", "true"));
    }
}

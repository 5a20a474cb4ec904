package io.github.onboardingguard.keycloak.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SupportedKeycloakTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "26.7.0, true", "26.7.3, true", "26.8.1, true", "27.0.0, true", "999.0.0-SNAPSHOT, true",
        "26.6.2, false", "26.5.6, false", "26.4.7, false", "25.0.6, false", "'', true"
    })
    void supportsFrom26Point7(String version, boolean supported) {
        assertThat(SupportedKeycloak.supports(version)).isEqualTo(supported);
    }

    @Test
    void refusalNamesBothVersions() {
        assertThatThrownBy(() -> SupportedKeycloak.require("26.5.6"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Keycloak 26.7 or later")
                .hasMessageContaining("26.5.6");
    }

    @Test
    void knownUnsafeReleasesAreRefused() {
        assertThat(SupportedKeycloak.unsafe("26.7.0"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("CVE-2026-18963"));
        assertThat(SupportedKeycloak.unsafe("26.7.1-SNAPSHOT")).isPresent();
        assertThat(SupportedKeycloak.unsafe("26.7.1.redhat-00001")).isPresent();
        assertThat(SupportedKeycloak.unsafe("26.7.10")).isEmpty();
        assertThat(SupportedKeycloak.unsafe("26.7.2")).isEmpty();
        assertThat(SupportedKeycloak.unsafe("26.7.3")).isEmpty();
        assertThatThrownBy(() -> SupportedKeycloak.require("26.7.1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("26.7.1")
                .hasMessageContaining("CVE-2026-18963")
                .hasMessageContaining("26.7.2 or later");
    }
}

package io.github.onboardingguard.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.representations.info.ProviderRepresentation;
import org.keycloak.representations.info.ServerInfoRepresentation;
import org.keycloak.representations.info.SpiInfoRepresentation;
import org.keycloak.representations.info.ThemeInfoRepresentation;

@DisplayName("The packaged provider JAR, loaded into Keycloak")
class ExtensionRegistrationIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName("runs on the Keycloak server version the project targets")
    void serverVersion() {
        ServerInfoRepresentation info = admin().serverInfo().getInfo();
        assertThat(info.getSystemInfo().getVersion())
                .isEqualTo(System.getProperty("keycloak.server.version", "26.7.3"));
    }

    @Test
    @DisplayName("registers its JPA entity provider, reporting the extension's version")
    void jpaEntityProviderRegistered() {
        SpiInfoRepresentation spi =
                admin().serverInfo().getInfo().getProviders().get("jpa-entity-provider");
        assertThat(spi).as("jpa-entity-provider SPI").isNotNull();
        ProviderRepresentation provider = spi.getProviders().get("onboarding-guard");
        assertThat(provider).as("onboarding-guard entity provider").isNotNull();
        assertThat(provider.getOperationalInfo())
                .containsEntry("extension", "Keycloak Onboarding Guard")
                .containsEntry("version", System.getProperty("onboarding.version"));
    }

    @Test
    @DisplayName("the event listener under its id is the composition root, scheduling every background task")
    void listenerIsTheCompositionRoot() {
        ProviderRepresentation listener = admin().serverInfo()
                .getInfo()
                .getProviders()
                .get("eventsListener")
                .getProviders()
                .get("onboarding-guard");
        assertThat(listener.getOperationalInfo())
                .containsEntry("extension", "Keycloak Onboarding Guard")
                .containsEntry(
                        "scheduledTasks",
                        "onboarding-guard-expiry, onboarding-guard-webhooks, "
                                + "onboarding-guard-audit-retention, onboarding-guard-login-traces, onboarding-guard-hole-check");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({
        "authenticator, onboarding-gate",
        "authenticator, conditional-onboarding-stage",
        "protocol-mapper, onboarding-probation-token-filter",
        "admin-realm-restapi-extension, onboarding",
        "ui-page, onboarding-policy",
        "eventsListener, onboarding-guard",
        "required-action, onboarding-status",
        "protocol-mapper, onboarding-verified-claims",
        "realm-restapi-extension, onboarding"
    })
    @DisplayName("registers each provider under its SPI")
    void providersRegistered(String spi, String providerId) {
        SpiInfoRepresentation info =
                admin().serverInfo().getInfo().getProviders().get(spi);
        assertThat(info).as("SPI %s", spi).isNotNull();
        assertThat(info.getProviders()).as("providers of %s", spi).containsKey(providerId);
    }

    @Test
    @DisplayName("adds no theme of its own: its pages and emails are theme resources, so a realm keeps its theme")
    void noThemeOfItsOwn() {
        var themes = admin().serverInfo().getInfo().getThemes();
        assertThat(names(themes.get("login"))).contains("keycloak.v2").doesNotContain("onboarding");
        assertThat(names(themes.get("email"))).contains("keycloak").doesNotContain("onboarding");
    }

    private static List<String> names(List<ThemeInfoRepresentation> themes) {
        return themes.stream().map(ThemeInfoRepresentation::getName).toList();
    }
}

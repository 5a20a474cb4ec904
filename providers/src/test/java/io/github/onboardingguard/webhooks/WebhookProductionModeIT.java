package io.github.onboardingguard.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * A server started for production (kc.sh start) takes webhooks over https only, even to a host the
 * operator allows as an internal receiver; development mode is where plain http to such hosts works
 * (the rest of the suite).
 */
@DisplayName("Webhooks on a server in production mode")
class WebhookProductionModeIT {

    private static final String UI_PAGE = "org.keycloak.services.ui.extend.UiPageProvider";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    private static KeycloakContainer server;
    private static RealmResource realm;

    @BeforeAll
    static void start() {
        server = KeycloakTestServer.newProductionContainer()
                .withEnv("KC_HTTP_ENABLED", "true")
                .withEnv("KC_HOSTNAME_STRICT", "false")
                // As an operator might copy from a development setup: in production localhost stays refused.
                .withEnv(
                        "KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__WEBHOOK_ALLOWED_HOSTS",
                        "host.docker.internal,localhost");
        server.start();
        RealmRepresentation rep = new RealmRepresentation();
        rep.setRealm("production-webhooks");
        rep.setEnabled(true);
        server.getKeycloakAdminClient().realms().create(rep);
        realm = server.getKeycloakAdminClient().realm("production-webhooks");
        realm.roles().create(new RoleRepresentation("onboarding-probationary", null, false));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static int save(String providerId, Map<String, String> settings) {
        ComponentRepresentation component = new ComponentRepresentation();
        component.setName(providerId);
        component.setProviderId(providerId);
        component.setProviderType(UI_PAGE);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        settings.forEach(config::putSingle);
        component.setConfig(config);
        try (Response response = realm.components().add(component)) {
            return response.getStatus();
        }
    }

    @Test
    @DisplayName("a subscription over plain http is refused at save, even to an allowed internal host, and localhost "
            + "even when listed; https is taken")
    void plainHttpRefused() {
        String allowedButPlain = "http://host.docker.internal:9/hook";
        assertThat(save("onboarding-webhook", Map.of("webhookUrl", allowedButPlain, "webhookSecret", SECRET)))
                .isEqualTo(400);
        assertThat(realm.components().query(null, UI_PAGE)).isEmpty();

        for (String local : List.of("https://localhost/hook", "http://localhost:8080/hook")) {
            assertThat(save("onboarding-webhook", Map.of("webhookUrl", local, "webhookSecret", SECRET)))
                    .as("%s in production, although listed", local)
                    .isEqualTo(400);
        }
        assertThat(realm.components().query(null, UI_PAGE)).isEmpty();

        // Nothing is sent to these: no event happens in this realm.
        assertThat(save(
                        "onboarding-webhook",
                        Map.of("webhookUrl", "https://hooks.example.invalid/hook", "webhookSecret", SECRET)))
                .isEqualTo(201);
    }
}

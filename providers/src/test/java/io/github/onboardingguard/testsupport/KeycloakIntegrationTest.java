package io.github.onboardingguard.testsupport;

import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;

/** Base of every *IT: the shared server, its admin client, and the server log on failure. */
@ExtendWith(ContainerLogOnFailure.class)
public abstract class KeycloakIntegrationTest {

    protected static Keycloak admin() {
        return KeycloakTestServer.admin();
    }

    protected static String baseUrl() {
        return KeycloakTestServer.baseUrl();
    }
}

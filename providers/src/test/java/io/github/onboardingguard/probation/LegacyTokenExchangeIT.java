package io.github.onboardingguard.probation;

import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.ContainerLogOnFailure;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.PartnerRealm;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keycloak's legacy token exchange (preview feature {@code token-exchange}, with the fine-grained
 * admin permissions of version 1 it needs), on a server of its own: the shared server runs without
 * preview features. It exchanges tokens of another issuer and impersonates named users, paths the
 * standard token exchange does not have.
 */
@ExtendWith(ContainerLogOnFailure.class)
@DisplayName("The legacy token exchange is checked like the standard one")
class LegacyTokenExchangeIT {

    private static KeycloakContainer server;

    @BeforeAll
    static void startServerWithLegacyExchange() {
        server = KeycloakTestServer.newContainer().withFeaturesEnabled("token-exchange", "admin-fine-grained-authz:v1");
        server.start();
        KeycloakTestServer.useServer(server);
    }

    @AfterAll
    static void stopServer() {
        KeycloakTestServer.useSharedServer();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    @DisplayName("given a closed client allowed to exchange the partner's tokens, when the hire's partner account "
            + "exchanges its token for one of the closed client, then invalid_grant and the attempt is audited; "
            + "staff whose partner account is linked get theirs")
    void externalTokenOfHire() {
        DemoRealm realm = DemoRealm.importFresh("legacy-external");
        realm.hireInProbation("outsourced", Map.of());
        PartnerRealm partner = PartnerRealm.importFor(realm);
        partner.linkHire(realm, realm.userIdOf("outsourced"));
        partner.enablePasswordGrant();
        realm.allowLegacyExchange(CLOSED_CLIENT, PartnerRealm.ALIAS);

        Tokens.TokenResponse exchanged = Tokens.exchangeExternal(
                realm.name,
                CLOSED_CLIENT,
                CLOSED_CLIENT_SECRET,
                partner.accessTokenOf(PartnerRealm.HIRE_USERNAME, PASSWORD),
                PartnerRealm.ALIAS);
        assertThat(exchanged.status()).as(exchanged.body().toString()).isEqualTo(400);
        assertThat(exchanged.body()).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
        assertThat(realm.auditEntries("subject=outsourced&type=login.LOGIN_ERROR"))
                .contains("onboarding_client_not_allowed", "TOKEN_EXCHANGE_EXTERNAL");

        // What stays open: a partner identity linked to nobody becomes a new account without a case.
        Api.Reply health = Api.get("/admin/realms/" + realm.name + "/onboarding/health", realm.adminToken());
        assertThat(health.body()).contains("legacy_token_exchange");

        partner.linkUser(realm, realm.userIdOf("hiring-manager"), "casey.contractor");
        Tokens.TokenResponse staff = Tokens.exchangeExternal(
                realm.name,
                CLOSED_CLIENT,
                CLOSED_CLIENT_SECRET,
                partner.accessTokenOf("casey.contractor", PASSWORD),
                PartnerRealm.ALIAS);
        assertThat(staff.status()).as(staff.body().toString()).isEqualTo(200);
        assertThat(staff.accessTokenClaims()).containsEntry("preferred_username", "hiring-manager");
    }

    @Test
    @DisplayName("given a closed client allowed to impersonate users, when it asks for a token of the hire by name, "
            + "then invalid_grant and the attempt is audited; staff are left to Keycloak's impersonation permission")
    void impersonationOfHire() {
        DemoRealm realm = DemoRealm.importFresh("legacy-impersonate");
        realm.hireInProbation("impersonated", Map.of());
        realm.allowLegacyExchange(CLOSED_CLIENT, PartnerRealm.ALIAS);

        Tokens.TokenResponse exchanged =
                Tokens.impersonate(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "impersonated");
        assertThat(exchanged.status()).as(exchanged.body().toString()).isEqualTo(400);
        assertThat(exchanged.body()).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
        assertThat(realm.auditEntries("subject=impersonated&type=login.LOGIN_ERROR"))
                .contains("onboarding_client_not_allowed", "TOKEN_EXCHANGE_REQUEST");

        // Staff pass the probation check and meet Keycloak's own impersonation permission, which answers for itself.
        Tokens.TokenResponse staff =
                Tokens.impersonate(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "hiring-manager");
        assertThat(staff.body())
                .as("Keycloak's permission check, not the probation check")
                .containsEntry("error", "access_denied");
        assertThat(realm.auditEntries("subject=hiring-manager&type=login.LOGIN_ERROR"))
                .doesNotContain("onboarding_");
    }
}

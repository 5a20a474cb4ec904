package io.github.onboardingguard.probation;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

@DisplayName("Probation sessions: no offline tokens and a shorter lifetime until the hire is verified")
class ProbationSessionLimitsIT extends KeycloakIntegrationTest {

    private static final String PUBLIC_CLIENT = "hire-cli";

    private static DemoRealm realm(String prefix, Map<String, String> policy) {
        DemoRealm realm = DemoRealm.importFresh(prefix);
        if (!policy.isEmpty()) {
            realm.updatePolicy(policy);
        }
        realm.addPublicClientOpenInProbation(PUBLIC_CLIENT);
        return realm;
    }

    private static Tokens.TokenResponse signIn(DemoRealm realm, String username, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", PUBLIC_CLIENT);
        form.put("username", username);
        form.put("password", PASSWORD);
        form.put("scope", scope);
        return Tokens.tokenRequest(realm.name, form, Map.of());
    }

    private static Tokens.TokenResponse refresh(DemoRealm realm, String refreshToken) {
        return Tokens.tokenRequest(
                realm.name,
                Map.of("grant_type", "refresh_token", "client_id", PUBLIC_CLIENT, "refresh_token", refreshToken),
                Map.of());
    }

    private static final String EXCHANGER = "exchanger";
    private static final String EXCHANGER_SECRET = "exchanger-secret";

    /** A back end that exchanges the hire's tokens whose audience includes it, open to hires on probation. */
    private static void addExchanger(DemoRealm realm) {
        ClientRepresentation exchanger = new ClientRepresentation();
        exchanger.setClientId(EXCHANGER);
        exchanger.setSecret(EXCHANGER_SECRET);
        exchanger.setPublicClient(false);
        exchanger.setStandardFlowEnabled(false);
        exchanger.setAttributes(Map.of("standard.token.exchange.enabled", "true"));
        realm.resource.clients().create(exchanger).close();
        ProtocolMapperRepresentation audience = new ProtocolMapperRepresentation();
        audience.setName("exchanger audience");
        audience.setProtocol("openid-connect");
        audience.setProtocolMapper("oidc-audience-mapper");
        audience.setConfig(Map.of("included.client.audience", EXCHANGER, "access.token.claim", "true"));
        String cli =
                realm.resource.clients().findByClientId(PUBLIC_CLIENT).get(0).getId();
        realm.resource
                .clients()
                .get(cli)
                .getProtocolMappers()
                .createMapper(audience)
                .close();
        realm.openAlsoInProbation(EXCHANGER);
    }

    private static String tokenType(String jwt) {
        return (String) Tokens.decodeJwtPayload(jwt).get("typ");
    }

    @Test
    @DisplayName("given the default policy, when a hire on probation asks for an offline token, then it is refused "
            + "(an online session works); once verified the hire gets one")
    void noOfflineTokenOnProbation() {
        DemoRealm realm = realm("probation-offline", Map.of());
        String caseId = realm.hireInProbation("offline-hire", Map.of());

        Tokens.TokenResponse offline = signIn(realm, "offline-hire", "openid offline_access");
        assertThat(offline.status()).as(offline.body().toString()).isEqualTo(400);
        assertThat(offline.error()).isEqualTo("invalid_grant");
        assertThat(offline.body().get("error_description")).asString().contains("Offline tokens");
        Tokens.TokenResponse online = signIn(realm, "offline-hire", "openid");
        assertThat(online.status()).as(online.body().toString()).isEqualTo(200);
        assertThat(tokenType(online.refreshToken())).isEqualTo("Refresh");

        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        realm.applyEvent(caseId, "IDENTITY_APPROVED");
        Tokens.TokenResponse verified = signIn(realm, "offline-hire", "openid offline_access");
        assertThat(verified.status()).as(verified.body().toString()).isEqualTo(200);
        assertThat(tokenType(verified.refreshToken())).isEqualTo("Offline");
    }

    @Test
    @DisplayName("given a policy that allows them, when a hire on probation asks for an offline token, then Keycloak's "
            + "rules alone decide")
    void offlineTokensAllowedByPolicy() {
        DemoRealm realm = realm("probation-offline-allowed", Map.of("probationOfflineTokens", "true"));
        realm.hireInProbation("allowed-hire", Map.of());
        Tokens.TokenResponse offline = signIn(realm, "allowed-hire", "openid offline_access");
        assertThat(offline.status()).as(offline.body().toString()).isEqualTo(200);
        assertThat(tokenType(offline.refreshToken())).isEqualTo("Offline");
    }

    @Test
    @DisplayName("given a one-minute probation session, when the hire refreshes after it, then the refresh is "
            + "refused and the session ended; a fresh sign-in works")
    void probationSessionLifetime() throws InterruptedException {
        DemoRealm realm = realm("probation-session-lifetime", Map.of("probationSessionMinutes", "1"));
        addExchanger(realm);
        realm.hireInProbation("short-hire", Map.of());
        Tokens.TokenResponse login = signIn(realm, "short-hire", "openid");
        assertThat(login.status()).as(login.body().toString()).isEqualTo(200);
        Tokens.TokenResponse early = refresh(realm, login.refreshToken());
        assertThat(early.status()).as(early.body().toString()).isEqualTo(200);
        Tokens.TokenResponse exchangedEarly =
                Tokens.exchange(realm.name, EXCHANGER, EXCHANGER_SECRET, early.accessToken());
        assertThat(exchangedEarly.status()).as(exchangedEarly.body().toString()).isEqualTo(200);

        Thread.sleep(62_000);
        // The access token still lives, but its session is past probation's lifetime: no fresh tokens from it.
        Tokens.TokenResponse exchangedLate =
                Tokens.exchange(realm.name, EXCHANGER, EXCHANGER_SECRET, early.accessToken());
        assertThat(exchangedLate.status()).as(exchangedLate.body().toString()).isEqualTo(400);
        assertThat(exchangedLate.body().get("error_description")).asString().contains("probation session lifetime");
        Tokens.TokenResponse late = refresh(realm, early.refreshToken());
        assertThat(late.status()).as(late.body().toString()).isEqualTo(400);
        Tokens.TokenResponse again = refresh(realm, early.refreshToken());
        assertThat(again.status())
                .as("the session was ended, not only refused once")
                .isEqualTo(400);
        assertThat(again.body().get("error_description")).asString().doesNotContain("probation session lifetime");

        Tokens.TokenResponse fresh = signIn(realm, "short-hire", "openid");
        assertThat(fresh.status()).as(fresh.body().toString()).isEqualTo(200);
    }
}

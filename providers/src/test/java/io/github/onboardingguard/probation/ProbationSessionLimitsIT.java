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
        realm.hireInProbation("short-hire", Map.of());
        Tokens.TokenResponse login = signIn(realm, "short-hire", "openid");
        assertThat(login.status()).as(login.body().toString()).isEqualTo(200);
        Tokens.TokenResponse early = refresh(realm, login.refreshToken());
        assertThat(early.status()).as(early.body().toString()).isEqualTo(200);

        Thread.sleep(62_000);
        Tokens.TokenResponse late = refresh(realm, early.refreshToken());
        assertThat(late.status()).as(late.body().toString()).isEqualTo(400);
        assertThat(late.body().get("error_description")).asString().contains("probation session lifetime");
        Tokens.TokenResponse again = refresh(realm, early.refreshToken());
        assertThat(again.status())
                .as("the session was ended, not only refused once")
                .isEqualTo(400);
        assertThat(again.body().get("error_description")).asString().doesNotContain("probation session lifetime");

        Tokens.TokenResponse fresh = signIn(realm, "short-hire", "openid");
        assertThat(fresh.status()).as(fresh.body().toString()).isEqualTo(200);
    }
}

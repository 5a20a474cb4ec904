package io.github.onboardingguard.risk;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
@DisplayName("Stolen sessions: a hire's session used from another country or network than it started in")
class StolenSessionIT extends KeycloakIntegrationTest {

    /** The address and country the realm's trusted proxy reports (private addresses: the demo realm wants HTTPS from public ones). */
    private static Map<String, String> from(String address, String country) {
        return Map.of("X-Forwarded-For", address, "X-Country", country);
    }

    /** A public client (a command line tool, a mobile app): its refresh token works without a secret, from anywhere. */
    private static final String PUBLIC_CLIENT = "hire-cli";

    private static Tokens.TokenResponse signIn(DemoRealm realm, String username, Map<String, String> place) {
        return signIn(realm, username, place, PUBLIC_CLIENT, null);
    }

    private static Tokens.TokenResponse signIn(
            DemoRealm realm, String username, Map<String, String> place, String clientId, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        if (secret != null) {
            form.put("client_secret", secret);
        }
        form.put("username", username);
        form.put("password", PASSWORD);
        return Tokens.tokenRequest(realm.name, form, place);
    }

    private static Tokens.TokenResponse refresh(DemoRealm realm, String refreshToken, Map<String, String> place) {
        return refresh(realm, refreshToken, place, PUBLIC_CLIENT, null);
    }

    private static Tokens.TokenResponse refresh(
            DemoRealm realm, String refreshToken, Map<String, String> place, String clientId, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", clientId);
        if (secret != null) {
            form.put("client_secret", secret);
        }
        form.put("refresh_token", refreshToken);
        return Tokens.tokenRequest(realm.name, form, place);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sessionSignals(DemoRealm realm, String caseId) {
        return ((List<Map<String, Object>>) realm.getCase(caseId).get("signals"))
                .stream()
                        .filter(signal -> "session_context_change".equals(signal.get("rule")))
                        .toList();
    }

    private static DemoRealm realm(String prefix, String rules) {
        DemoRealm realm = DemoRealm.importFresh(prefix);
        realm.updatePolicy(Map.of("riskCountryHeader", "X-Country", "riskRules", rules));
        realm.addPublicClientOpenInProbation(PUBLIC_CLIENT);
        return realm;
    }

    @Test
    @DisplayName("a hire's refresh token replayed from another country raises session_context_change once; the hire's "
            + "own refreshes from where the session started raise nothing")
    void replayedRefreshTokenIsSeen() {
        DemoRealm realm = realm("stolen-session", "session_context_change=ALERT");
        String caseId = realm.hireInProbation("session-hire", Map.of());
        Tokens.TokenResponse login = signIn(realm, "session-hire", from("10.20.30.40", "DE"));
        assertThat(login.status()).as(login.body().toString()).isEqualTo(200);
        Tokens.TokenResponse home = refresh(realm, login.refreshToken(), from("10.20.30.41", "DE"));
        assertThat(home.status()).as(home.body().toString()).isEqualTo(200);
        assertThat(sessionSignals(realm, caseId)).as("the hire at home").isEmpty();

        // The thief replays the refresh token from another country and network.
        Tokens.TokenResponse away = refresh(realm, home.refreshToken(), from("10.99.1.2", "BR"));
        assertThat(away.status()).as(away.body().toString()).isEqualTo(200);
        List<Map<String, Object>> signals = sessionSignals(realm, caseId);
        assertThat(signals).hasSize(1);
        assertThat((Map<String, Object>) signals.get(0).get("evidence"))
                .containsEntry("event", "REFRESH_TOKEN")
                .containsEntry("startedCountry", "DE")
                .containsEntry("country", "BR")
                .containsEntry("startedAddressPrefix", "10.20.30.0/24")
                .containsEntry("addressPrefix", "10.99.1.0/24")
                .containsEntry("stage", "PROBATION");
        assertThat(signals.get(0)).containsEntry("action", "ALERT");

        // The same place again is the same signal, not a new one.
        refresh(realm, away.refreshToken(), from("10.99.1.2", "BR"));
        assertThat(sessionSignals(realm, caseId)).hasSize(1);
    }

    @Test
    @DisplayName("with the rule set to SUSPEND, a refresh from another country suspends the hire and the stolen "
            + "refresh token stops working; another network in the same country only alerts")
    void suspendOnReplay() {
        DemoRealm realm = realm("stolen-session-suspend", "session_context_change=SUSPEND");
        String roamingCase = realm.hireInProbation("roaming-hire", Map.of());
        Tokens.TokenResponse roaming = signIn(realm, "roaming-hire", from("10.20.30.40", "DE"));
        assertThat(refresh(realm, roaming.refreshToken(), from("10.55.5.5", "DE"))
                        .status())
                .isEqualTo(200);
        assertThat(sessionSignals(realm, roamingCase))
                .singleElement()
                .satisfies(signal -> assertThat(signal).containsEntry("action", "ALERT"));
        assertThat(realm.getCase(roamingCase)).containsEntry("stage", "PROBATION");

        String caseId = realm.hireInProbation("suspend-hire", Map.of());
        Tokens.TokenResponse login = signIn(realm, "suspend-hire", from("10.20.30.40", "DE"));
        Tokens.TokenResponse stolen = refresh(realm, login.refreshToken(), from("10.77.7.7", "BR"));
        assertThat(sessionSignals(realm, caseId)).hasSize(1);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "SUSPENDED");
        assertThat(refresh(realm, stolen.refreshToken(), from("10.77.7.7", "BR"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    @DisplayName("a confidential client's refreshes come from its own servers: they are not compared (its refresh "
            + "token is useless without the secret); a country the proxy cannot name counts as elsewhere")
    void confidentialClientsAndUnknownCountries() {
        DemoRealm realm = realm("stolen-session-clients", "session_context_change=ALERT network=false");
        String caseId = realm.hireInProbation("bff-hire", Map.of());
        Tokens.TokenResponse browser =
                signIn(realm, "bff-hire", from("10.20.30.40", "DE"), OPEN_CLIENT, OPEN_CLIENT_SECRET);
        assertThat(refresh(realm, browser.refreshToken(), from("10.88.8.8", "NL"), OPEN_CLIENT, OPEN_CLIENT_SECRET)
                        .status())
                .isEqualTo(200);
        assertThat(sessionSignals(realm, caseId)).isEmpty();

        Tokens.TokenResponse cli = signIn(realm, "bff-hire", from("10.20.30.40", "DE"));
        // Tor exit nodes come as T1 from Cloudflare: not a country, so not where the session started.
        refresh(realm, cli.refreshToken(), from("10.20.30.40", "T1"));
        assertThat(sessionSignals(realm, caseId))
                .singleElement()
                .satisfies(signal -> assertThat((Map<String, Object>) signal.get("evidence"))
                        .containsEntry("startedCountry", "DE")
                        .containsEntry("countryChanged", true));
    }
}

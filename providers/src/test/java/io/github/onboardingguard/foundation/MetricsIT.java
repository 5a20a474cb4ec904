package io.github.onboardingguard.foundation;

import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import io.github.onboardingguard.testsupport.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Metrics: the extension's meters on Keycloak's /metrics (management port), each moved by its action")
class MetricsIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void setUp() {
        receiver = new WebhookReceiver();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        realm = DemoRealm.importFresh("metrics");
        realm.updatePolicy(Map.of("passkeyBinding", "false", "riskRules", "restricted_client=ALERT"));
        realm.subscribeToRiskAlerts(
                receiver.url(), "whsec_" + Base64.getEncoder().encodeToString(key));
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    @DisplayName(
            "a hire's refused token request, the case's stage changes, a ceremony result, a risk signal, its webhook, "
                    + "the case gauge and the task timers all show, tagged with the realm")
    void eachMeterMovesWithItsAction() throws Exception {
        String tag = "realm=\"" + realm.name + "\"";
        String caseId = realm.hireInProbation("metrics-hire", Map.of());
        assertThat(value("onboarding_case_stage_changes_total", tag, "to=\"INVITED\""))
                .isEqualTo(1);
        assertThat(value("onboarding_case_stage_changes_total", tag, "from=\"INVITED\"", "to=\"PROBATION\""))
                .isEqualTo(1);

        assertThat(Tokens.passwordGrant(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "metrics-hire", PASSWORD)
                        .status())
                .isEqualTo(400);
        assertThat(value("onboarding_gate_refusals_total", tag, "reason=\"onboarding_client_not_allowed\""))
                .isEqualTo(1);
        assertThat(value("onboarding_risk_signals_total", tag, "rule=\"restricted_client\"", "action=\"ALERT\""))
                .isEqualTo(1);
        assertThat(until(
                        value -> value != 0,
                        () -> value("onboarding_webhooks_attempts_total", tag, "outcome=\"delivered\"")))
                .isEqualTo(1);

        String verifier = realm.consoleTokenOf("verifier");
        HireBrowser hire =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "metrics-hire", PASSWORD, null);
        Api.Reply opened = VerifierApi.open(realm.name, verifier, caseId, "DOCUMENT", "VIDEO");
        String code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
        assertThat(VerifierApi.approve(realm.name, verifier, VerifierApi.id(opened), "DOCUMENT", code)
                        .status())
                .isEqualTo(200);
        assertThat(value("onboarding_ceremonies_total", tag, "step=\"DOCUMENT\"", "outcome=\"APPROVE\""))
                .isEqualTo(1);

        // Gauges and timers come from the scheduled tasks (every 1-2 s on the test server).
        assertThat(until(value -> value != 0, () -> value("onboarding_cases", tag, "stage=\"DOCUMENT_VERIFIED\"")))
                .isEqualTo(1);
        assertThat(value("onboarding_task_duration_seconds_count", "task=\"onboarding-guard-expiry\""))
                .isPositive();
        assertThat(value("onboarding_task_duration_seconds_count", "task=\"onboarding-guard-webhooks\""))
                .isPositive();

        // A receiver that is down: the next alert waits, and the backlog gauges show it until it is delivered.
        // Another hire's refusal: the same hire's again, within the rule's window, is counted on its first signal.
        realm.hireInProbation("metrics-other-hire", Map.of());
        receiver.setDown(true);
        try {
            assertThat(Tokens.passwordGrant(
                                    realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "metrics-other-hire", PASSWORD)
                            .status())
                    .isEqualTo(400);
            assertThat(until(value -> value != 0, () -> value("onboarding_webhooks_pending", tag)))
                    .isEqualTo(1);
            assertThat(until(
                            value -> value != 0,
                            () -> value("onboarding_webhooks_attempts_total", tag, "outcome=\"retry\"")))
                    .isPositive();
            assertThat(until(value -> value != 0, () -> value("onboarding_webhooks_oldest_pending_age_seconds", tag)))
                    .isPositive();
        } finally {
            receiver.setDown(false);
        }
        assertThat(until(value -> value == 0, () -> value("onboarding_webhooks_pending", tag)))
                .isZero();

        // Every meter the shipped Grafana dashboard and Prometheus rules query is in this real scrape.
        Set<String> named = namedMeters();
        assertThat(named).hasSizeGreaterThanOrEqualTo(8);
        String scraped = scrape();
        for (String meter : named) {
            assertThat(scraped).as("meter %s", meter).containsPattern("(?m)^" + Pattern.quote(meter) + "[{ ]");
        }
    }

    /** Metric names in the queries of the monitoring files (a name followed by a selector, range or bracket). */
    private static Set<String> namedMeters() throws Exception {
        Path monitoring = Path.of(System.getProperty("user.dir")).resolveSibling("monitoring");
        Pattern name = Pattern.compile("\\b(onboarding_[a-z_]+)\\s*[{\\[),]");
        Set<String> names = new TreeSet<>();
        for (Path file : List.of(
                monitoring.resolve("grafana/onboarding-guard-dashboard.json"),
                monitoring.resolve("prometheus/onboarding-guard-rules.yml"))) {
            Matcher matcher = name.matcher(Files.readString(file));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    private interface Reading {
        double read() throws Exception;
    }

    /** A value a scheduled task sets: read until it is what the test waits for, or 40 s have passed. */
    private static double until(java.util.function.DoublePredicate done, Reading reading) {
        return Poll.until(Duration.ofSeconds(40), () -> read(reading), done::test);
    }

    private static double read(Reading reading) {
        try {
            return reading.read();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the metric", e);
        }
    }

    private static double value(String metric, String... labels) throws Exception {
        Pattern sample = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = sample.matcher(scrape());
        double sum = 0;
        while (matcher.find()) {
            String found = matcher.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(matcher.group(2));
            }
        }
        return sum;
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        KeycloakTestServer.container().getMgmtServerUrl() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}

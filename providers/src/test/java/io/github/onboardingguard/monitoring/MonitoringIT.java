package io.github.onboardingguard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus rules, checked by Debian's promtool (scripts/test.sh provides it): the file
 * loads, and its unit tests (each alert fires on the series that should raise it) pass. Which meters
 * the rules and the dashboard name is checked against a real scrape in MetricsIT.
 */
@DisplayName("Monitoring: the Prometheus rules pass promtool's check and their own unit tests")
class MonitoringIT {

    static final Path MONITORING = Path.of(System.getProperty("user.dir")).resolveSibling("monitoring");

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        String promtool = System.getProperty("onboarding.promtool");
        assertThat(promtool).as("scripts/test.sh passes -Donboarding.promtool").isNotBlank();
        List<String> command = new java.util.ArrayList<>(List.of(promtool));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(MONITORING.resolve("prometheus").toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    @DisplayName("promtool check rules accepts the rules file")
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "onboarding-guard-rules.yml")).contains("SUCCESS");
    }

    @Test
    @DisplayName("promtool test rules: the alerts fire on the series that should raise them")
    void rulesFire() throws Exception {
        assertThat(Files.exists(MONITORING.resolve("prometheus/onboarding-guard-rules.test.yml")))
                .isTrue();
        assertThat(promtool("test", "rules", "onboarding-guard-rules.test.yml")).contains("SUCCESS");
    }
}

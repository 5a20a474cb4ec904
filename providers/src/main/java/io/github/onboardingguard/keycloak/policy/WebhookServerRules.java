package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.webhooks.WebhookDestination;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import org.keycloak.common.util.Environment;

/**
 * What the server's operator, not a realm admin, decides about webhook destinations: which internal
 * hosts may receive them, and (by starting the server in development mode or not) whether plain
 * http is possible at all.
 */
public final class WebhookServerRules {

    /** Set once at start from the server option. */
    private static volatile Set<String> allowedHosts = Set.of();

    private WebhookServerRules() {}

    /** At server start, from {@code --spi-events-listener--onboarding-guard--webhook-allowed-hosts}. */
    public static void useAllowedHosts(Set<String> hosts) {
        allowedHosts = Set.copyOf(hosts);
    }

    public static Set<String> allowedHosts() {
        return allowedHosts;
    }

    public static boolean devMode() {
        return Environment.isDevMode();
    }

    /** What the server's rules forbid about a webhook URL that is well-formed in itself. */
    public static Optional<String> problem(String url) {
        try {
            return WebhookDestination.schemeProblem(new URI(url), devMode(), allowedHosts);
        } catch (URISyntaxException e) {
            return Optional.of("must be an https URL");
        }
    }
}

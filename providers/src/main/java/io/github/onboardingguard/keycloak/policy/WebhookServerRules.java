package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.keycloak.support.ServerOptions;
import io.github.onboardingguard.webhooks.WebhookDestination;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import org.keycloak.common.util.Environment;
import org.keycloak.models.KeycloakSession;

/**
 * What the server's operator, not a realm admin, decides about webhook destinations: which internal
 * hosts may receive them, and (by starting the server in development mode or not) whether plain
 * http is possible at all.
 */
public record WebhookServerRules(Set<String> allowedHosts, boolean devMode) {

    public WebhookServerRules {
        allowedHosts = Set.copyOf(allowedHosts);
    }

    /** The rules of the server this session runs on. */
    public static WebhookServerRules of(ServerOptions options) {
        return new WebhookServerRules(options.webhookAllowedHosts(), Environment.isDevMode());
    }

    public static WebhookServerRules of(KeycloakSession session) {
        return of(ServerOptions.of(session));
    }

    /**
     * Hosts a webhook may name although they are this machine or internal: the allowed hosts, only on
     * a server in development mode, so a developer can watch alerts arrive on their own machine.
     */
    public Set<String> localReceivers() {
        return devMode ? allowedHosts : Set.of();
    }

    /** What the server's rules forbid about a webhook URL that is well-formed in itself. */
    public Optional<String> problem(String url) {
        try {
            return WebhookDestination.schemeProblem(new URI(url), devMode, allowedHosts);
        } catch (URISyntaxException e) {
            return Optional.of("must be an https URL");
        }
    }
}

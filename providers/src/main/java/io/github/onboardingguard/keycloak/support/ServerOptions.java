package io.github.onboardingguard.keycloak.support;

import java.util.Set;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * The server operator's options (of the {@code onboarding-guard} listener's scope) that code below
 * the listener needs. The listener's factory reads them at start and keeps them; the rest of the
 * extension finds that factory through Keycloak's session factory, or is handed the options when it
 * is built. Nothing is set into a static, so what a realm gets never depends on which factory
 * happened to start first.
 *
 * @param auditMinRetentionDays the fewest days of audit trail any realm keeps (0: realms choose freely)
 * @param webhookAllowedHosts   internal hosts that may receive webhooks, lower case
 * @param auditLogStream        whether committed audit entries are copied to a log category
 * @param vendorIdentityStep    whether a realm may let an identity-verification vendor stand in for the
 *     live identity step at all (the operator's decision, above any realm admin's)
 */
public record ServerOptions(
        int auditMinRetentionDays,
        Set<String> webhookAllowedHosts,
        boolean auditLogStream,
        boolean vendorIdentityStep) {

    public static final int DEFAULT_MINIMUM_AUDIT_RETENTION_DAYS = 90;

    /** The provider id of the factory that keeps them: the {@code onboarding-guard} event listener. */
    public static final String LISTENER_ID = "onboarding-guard";

    public static final ServerOptions DEFAULTS =
            new ServerOptions(DEFAULT_MINIMUM_AUDIT_RETENTION_DAYS, Set.of(), false, false);

    public ServerOptions {
        webhookAllowedHosts = Set.copyOf(webhookAllowedHosts);
    }

    /** Implemented by the factory that reads the options. */
    public interface Source {
        ServerOptions serverOptions();
    }

    /** The options the server started with; the defaults if the listener is switched off. */
    public static ServerOptions of(KeycloakSessionFactory factory) {
        return factory.getProviderFactory(EventListenerProvider.class, LISTENER_ID) instanceof Source source
                ? source.serverOptions()
                : DEFAULTS;
    }

    public static ServerOptions of(KeycloakSession session) {
        return of(session.getKeycloakSessionFactory());
    }
}

package io.github.onboardingguard.keycloak.audit;

/**
 * Who did something, as the audit trail and stage history record it: a user id, or one of these
 * names for the extension's own work. The {@code system:} prefix cannot collide with a user id.
 */
public final class Actors {

    public static final String PREFIX = "system:";
    public static final String FIRST_LOGIN = PREFIX + "first-login";
    public static final String EXPIRY = PREFIX + "expiry";
    public static final String RISK = PREFIX + "risk";
    public static final String USER_REMOVED = PREFIX + "user-removed";
    public static final String AUDIT_RETENTION = PREFIX + "audit-retention";

    private Actors() {
    }

    public static boolean isSystem(String actor) {
        return actor != null && actor.startsWith(PREFIX);
    }
}

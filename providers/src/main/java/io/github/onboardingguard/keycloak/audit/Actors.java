package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.keycloak.support.Users;
import java.util.Optional;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

/**
 * Who did something, as the audit trail and stage history record it: a user id, or one of these
 * names for the extension's own work. The {@code system:} prefix cannot collide with a user id.
 */
public final class Actors {

    public static final String PREFIX = "system:";
    public static final String FIRST_LOGIN = PREFIX + "first-login";
    public static final String EXPIRY = PREFIX + "expiry";
    public static final String RISK = PREFIX + "risk";
    public static final String AUDIT_RETENTION = PREFIX + "audit-retention";
    public static final String REMINDERS = PREFIX + "reminders";
    /** The policy's re-verification cadence, when a verified hire falls due. */
    public static final String REVERIFICATION = PREFIX + "reverification";
    /** The mail threads, which send after the change that queued the mail has committed. */
    public static final String MAIL = PREFIX + "mail";
    /** An enrollment rule, for a user created with no signed-in admin behind it (registration, an identity provider). */
    public static final String ENROLLMENT = PREFIX + "enrollment";
    /** A change with no signed-in user behind it that the extension can see (an import, a script on the server). */
    public static final String UNKNOWN = PREFIX + "unknown";

    /** An identity-verification vendor, by the name of its entry on the realm's vendors page. */
    public static final String VENDOR_PREFIX = "vendor:";

    private Actors() {}

    public static String vendor(String name) {
        return VENDOR_PREFIX + name;
    }

    /** The vendor's name in a {@link #vendor} actor; null for any other actor. */
    public static String vendorOf(String actor) {
        return actor != null && actor.startsWith(VENDOR_PREFIX) ? actor.substring(VENDOR_PREFIX.length()) : null;
    }

    /**
     * The user behind the current request: the bearer token's session user (admin REST), else its
     * subject, else the request's user session.
     */
    public static String current(KeycloakSession session) {
        KeycloakContext context = session.getContext();
        if (context.getBearerToken() instanceof AccessToken token) {
            // As Keycloak attributes the request: the session the token names first (a pairwise or missing
            // sub must not make an admin someone else), then its subject.
            Optional<UserModel> user = token.getSessionId() == null
                    ? Optional.empty()
                    : Users.ofBearerToken(session).map(Users.Bearer::user);
            if (user.isPresent()) {
                return user.get().getId();
            }
            if (token.getSubject() != null) {
                return token.getSubject();
            }
        }
        UserSessionModel userSession = context.getUserSession();
        return userSession != null && userSession.getUser() != null
                ? userSession.getUser().getId()
                : UNKNOWN;
    }

    public static boolean isSystem(String actor) {
        return actor != null && actor.startsWith(PREFIX);
    }
}

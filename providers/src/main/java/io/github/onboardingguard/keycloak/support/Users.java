package io.github.onboardingguard.keycloak.support;

import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

/** How every API of the extension finds a user it is given, and names a user it shows. */
public final class Users {

    private Users() {}

    /**
     * By id first, then by username. Ids are Keycloak's own and cannot be chosen, so a user who
     * registers another user's id as their username can never be picked in that user's place.
     */
    public static UserModel byIdOrUsername(KeycloakSession session, RealmModel realm, String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        UserModel user = isUserId(ref) ? session.users().getUserById(realm, ref) : null;
        return user != null ? user : session.users().getUserByUsername(realm, ref);
    }

    /**
     * Whether Keycloak could read {@code ref} as a user id: a federated id needs both parts of
     * {@code f:<provider>:<id>}, or Keycloak's parser fails on it instead of finding nobody.
     */
    private static boolean isUserId(String ref) {
        return !ref.startsWith("f:") || ref.indexOf(':', 2) > 2;
    }

    /**
     * Whose token this is, found the way Keycloak finds it: a token naming a session ({@code sid})
     * is that session's user (online, then offline), whatever its {@code sub} says; a token
     * without a session is its {@code sub}, else its {@code preferred_username}. Empty when
     * nothing leads to a user, such as a lightweight token whose session has ended: callers fail
     * closed then, since Keycloak cannot serve such a token either.
     */
    public static Optional<UserModel> ofToken(KeycloakSession session, RealmModel realm, IDToken token) {
        String sessionId = token.getSessionId();
        if (sessionId != null) {
            UserSessionModel userSession = session.sessions().getUserSession(realm, sessionId);
            if (userSession == null) {
                userSession = session.sessions().getOfflineUserSession(realm, sessionId);
            }
            return Optional.ofNullable(userSession).map(UserSessionModel::getUser);
        }
        UserModel user = token.getSubject() == null ? null : session.users().getUserById(realm, token.getSubject());
        if (user == null && token.getPreferredUsername() != null) {
            user = session.users().getUserByUsername(realm, token.getPreferredUsername());
        }
        return Optional.ofNullable(user);
    }

    /** The request's bearer token (admin REST and the extension's APIs) and its user, if it leads to one. */
    public record Bearer(AccessToken token, RealmModel realm, UserModel user) {}

    /**
     * Who sent this request with a bearer token, in the realm that issued the token (a master-realm
     * admin acts on other realms). Empty when the request carries no bearer token Keycloak accepted.
     */
    public static Optional<Bearer> ofBearerToken(KeycloakSession session) {
        if (!(session.getContext().getBearerToken() instanceof AccessToken token) || token.getIssuer() == null) {
            return Optional.empty();
        }
        String issuer = token.getIssuer();
        RealmModel issuingRealm = session.realms().getRealmByName(issuer.substring(issuer.lastIndexOf('/') + 1));
        UserModel user = issuingRealm == null
                ? null
                : ofToken(session, issuingRealm, token).orElse(null);
        return Optional.of(new Bearer(token, issuingRealm, user));
    }

    /** A token exchange's {@code requested_subject} as Keycloak reads it: username first, then id. */
    public static Optional<UserModel> requestedSubject(KeycloakSession session, RealmModel realm, String ref) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        UserModel user = session.users().getUserByUsername(realm, ref);
        return Optional.ofNullable(user != null ? user : session.users().getUserById(realm, ref));
    }

    /** "First Last", or the username when the profile has no names. */
    public static String displayName(UserModel user) {
        String first = user.getFirstName();
        String last = user.getLastName();
        String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
        return name.isEmpty() ? user.getUsername() : name;
    }

    /** The username of a user id, or null if the user no longer exists. */
    public static String username(KeycloakSession session, RealmModel realm, String userId) {
        if (userId == null) {
            return null;
        }
        UserModel user = session.users().getUserById(realm, userId);
        return user == null ? null : user.getUsername();
    }
}

package io.github.onboardingguard.keycloak.support;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** How every API of the extension finds a user it is given, and names a user it shows. */
public final class Users {

    private Users() {
    }

    /**
     * By id first, then by username. Ids are Keycloak's own and cannot be chosen, so a user who
     * registers another user's id as their username can never be picked in that user's place.
     */
    public static UserModel byIdOrUsername(KeycloakSession session, RealmModel realm, String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        UserModel user = session.users().getUserById(realm, ref);
        return user != null ? user : session.users().getUserByUsername(realm, ref);
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

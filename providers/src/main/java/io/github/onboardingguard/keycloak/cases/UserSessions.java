package io.github.onboardingguard.keycloak.cases;

import java.util.List;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/** Ends a user's access right away: sessions, offline sessions, and tokens already issued. */
public final class UserSessions {

    private UserSessions() {}

    public static void revokeAll(KeycloakSession session, RealmModel realm, UserModel user) {
        // Removed directly rather than by backchannel logout: this also runs in background tasks,
        // which have no HTTP request to build logout URLs from.
        List<UserSessionModel> online =
                session.sessions().getUserSessionsStream(realm, user).toList();
        for (UserSessionModel userSession : online) {
            session.sessions().removeUserSession(realm, userSession);
        }
        List<UserSessionModel> offline =
                session.sessions().getOfflineUserSessionsStream(realm, user).toList();
        for (UserSessionModel userSession : offline) {
            session.sessions().removeOfflineUserSession(realm, userSession);
        }
        // Tokens issued before now stop validating, so refresh tokens already handed out fail too.
        session.users().setNotBeforeForUser(realm, user, Time.currentTime());
    }
}

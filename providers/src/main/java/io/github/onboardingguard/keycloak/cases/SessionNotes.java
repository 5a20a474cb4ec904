package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.risk.PasskeyBinding;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The case's stage and deadline kept in the user session's notes (server side, replicated with
 * the session), so token refreshes need no database query.
 */
public final class SessionNotes {

    static final String STAGE = "onboarding.stage";
    static final String DEADLINE = "onboarding.deadline";
    /** When the gate (or a later update) wrote the stage, in epoch milliseconds. */
    static final String CHECKED_AT = "onboarding.checked-at";
    /**
     * User attribute: when a stage change last narrowed the user's access. Notes written before it
     * come from a login that passed the gate before the change, and are not trusted.
     */
    public static final String NARROWED_AT_ATTRIBUTE = "onboarding-narrowed-at";

    static final String LOGIN_METHOD = "onboarding.login";
    public static final String LOGIN_PASSKEY = PasskeyBinding.METHOD_PASSKEY;
    public static final String LOGIN_SSO = PasskeyBinding.METHOD_SSO;
    public static final String LOGIN_OTHER = "other";

    private SessionNotes() {}

    public record Noted(Stage stage, long deadline, long checkedAt) {}

    /** At login, before the user session exists: Keycloak copies these notes into it. */
    public static void write(AuthenticationSessionModel authSession, Stage stage, long deadline) {
        authSession.setUserSessionNote(STAGE, stage.name());
        authSession.setUserSessionNote(DEADLINE, Long.toString(deadline));
        authSession.setUserSessionNote(CHECKED_AT, Long.toString(System.currentTimeMillis()));
    }

    public static void writeLoginMethod(AuthenticationSessionModel authSession, String method) {
        authSession.setUserSessionNote(LOGIN_METHOD, method);
    }

    /** How the session's login proved identity: passkey, SSO cookie, or something else (password, OTP). */
    public static Optional<String> loginMethod(UserSessionModel userSession) {
        return userSession == null ? Optional.empty() : Optional.ofNullable(userSession.getNote(LOGIN_METHOD));
    }

    /**
     * The notes, unless they are older than the user's last narrowing of access (a login that passed
     * the gate, then finished after a re-verification or suspension): then the caller asks the database.
     */
    public static Optional<Noted> read(UserSessionModel userSession) {
        String stage = userSession.getNote(STAGE);
        String deadline = userSession.getNote(DEADLINE);
        if (stage == null || deadline == null) {
            return Optional.empty();
        }
        try {
            String checked = userSession.getNote(CHECKED_AT);
            Noted noted = new Noted(
                    Stage.valueOf(stage), Long.parseLong(deadline), checked == null ? 0 : Long.parseLong(checked));
            String narrowed = userSession.getUser().getFirstAttribute(NARROWED_AT_ATTRIBUTE);
            return narrowed != null && noted.checkedAt() <= Long.parseLong(narrowed)
                    ? Optional.empty()
                    : Optional.of(noted);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A stage change took access away: notes written before now are no longer trusted. */
    static void markNarrowed(UserModel user) {
        user.setSingleAttribute(NARROWED_AT_ATTRIBUTE, Long.toString(System.currentTimeMillis()));
    }

    /** The login's own session, which a parallel transaction cannot see yet. */
    static void updateStage(UserSessionModel userSession, Stage stage) {
        if (userSession != null && userSession.getNote(STAGE) != null) {
            userSession.setNote(STAGE, stage.name());
        }
    }

    /** After a change that keeps the user's sessions: bring their notes up to date. */
    static void update(KeycloakSession session, RealmModel realm, UserModel user, OnboardingCaseEntity onboardingCase) {
        Stream.concat(
                        session.sessions().getUserSessionsStream(realm, user),
                        session.sessions().getOfflineUserSessionsStream(realm, user))
                .filter(userSession -> userSession.getNote(STAGE) != null)
                .forEach(userSession -> {
                    userSession.setNote(STAGE, onboardingCase.getStage().name());
                    userSession.setNote(DEADLINE, Long.toString(onboardingCase.getDeadline()));
                    userSession.setNote(CHECKED_AT, Long.toString(System.currentTimeMillis()));
                });
    }
}

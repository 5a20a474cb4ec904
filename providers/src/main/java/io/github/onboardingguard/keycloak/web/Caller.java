package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.verification.Appointments;
import io.github.onboardingguard.onboarding.Stage;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The signed-in user behind a request to the realm-level onboarding API: a bearer token issued by
 * this realm, checked by Keycloak. Roles come from the user's current role mappings, not from
 * the token, so a role removed a minute ago no longer counts. Verifier and auditor duties need a
 * token of the console client (or one that names it as audience): a verifier's token for any
 * other app of the realm, leaked or stolen from that app, opens no ceremony and no audit trail.
 */
public record Caller(
        UserModel user,
        boolean verifier,
        boolean auditor,
        boolean helpdesk,
        boolean verifiedOrNoCase,
        boolean throughConsole,
        Long authTime) {

    public static final String VERIFIER_ROLE = Appointments.VERIFIER_ROLE;
    public static final String AUDITOR_ROLE = Appointments.AUDITOR_ROLE;
    public static final String HELPDESK_ROLE = Appointments.HELPDESK_ROLE;
    /** The client of the verifier and auditor console; its id is also the audience other clients may carry. */
    public static final String CONSOLE_CLIENT = "onboarding-console";

    public static Caller authenticate(KeycloakSession session, RealmModel realm) {
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session)
                .setRealm(realm)
                .authenticate();
        if (auth == null || auth.user() == null) {
            Optional<String> otherRealm = issuingRealm(session).filter(name -> !name.equals(realm.getName()));
            if (otherRealm.isPresent()) {
                // Someone signed in elsewhere: a refusal of access, not a request to sign in here.
                throw ApiError.forbidden(
                        "cross_realm",
                        "A token of realm '" + otherRealm.get() + "' gives no access to realm '" + realm.getName()
                                + "'");
            }
            throw ApiError.unauthorized("A valid bearer token of realm '" + realm.getName() + "' is required");
        }
        UserModel user = auth.user();
        // A hire who is not verified yet holds no onboarding duty, even if a role was granted by mistake.
        boolean unverifiedHire = new CaseLookup(session, realm)
                .caseOf(user)
                .map(OnboardingCaseEntity::getStage)
                .filter(stage -> stage != Stage.VERIFIED)
                .isPresent();
        AccessToken token = auth.token();
        boolean throughConsole = CONSOLE_CLIENT.equals(token.getIssuedFor()) || token.hasAudience(CONSOLE_CLIENT);
        return new Caller(
                user,
                !unverifiedHire && hasRole(realm, user, VERIFIER_ROLE),
                !unverifiedHire && hasRole(realm, user, AUDITOR_ROLE),
                !unverifiedHire && hasRole(realm, user, HELPDESK_ROLE),
                !unverifiedHire,
                throughConsole,
                signInTime(auth.session()));
    }

    /**
     * When the user last entered their credentials in the session behind the token: Keycloak's
     * session note, updated by every re-authentication; read on the server, so it does not depend
     * on the token carrying {@code auth_time}.
     */
    private static Long signInTime(UserSessionModel userSession) {
        if (userSession == null) {
            return null;
        }
        String note = userSession.getNote(AuthenticationManager.AUTH_TIME);
        try {
            return note == null ? (long) userSession.getStarted() : Long.parseLong(note);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public Caller requireVerifier() {
        if (!verifier) {
            throw ApiError.forbidden("Verifier endpoints need the '" + VERIFIER_ROLE + "' realm role");
        }
        return requireConsole("Verifier");
    }

    public Caller requireAuditor() {
        if (!auditor) {
            throw ApiError.forbidden("Audit endpoints need the '" + AUDITOR_ROLE + "' realm role");
        }
        return requireConsole("Audit");
    }

    public Caller requireHelpdesk() {
        if (!helpdesk) {
            throw ApiError.forbidden("Helpdesk endpoints need the '" + HELPDESK_ROLE + "' realm role");
        }
        return requireConsole("Helpdesk");
    }

    /** Any signed-in user of the realm who is not a hire still in onboarding, through the console: e.g. a sponsor. */
    public Caller requireColleague() {
        if (verifiedOrNoCase) {
            return requireConsole("Sponsor");
        }
        throw ApiError.forbidden("A hire who is not verified yet sponsors nobody");
    }

    public Caller requireConsole(String endpoints) {
        if (!throughConsole) {
            throw ApiError.forbidden(
                    "console_token_required",
                    endpoints + " endpoints take tokens of the '" + CONSOLE_CLIENT + "' client, or tokens with '"
                            + CONSOLE_CLIENT + "' as audience");
        }
        return this;
    }

    /**
     * Step-up as in RFC 9470: the sign-in behind the token must be at most {@code maxAge} old, so a
     * console left open, or a token taken from it, cannot record a verification later.
     */
    public void requireSignInWithin(Duration maxAge, Instant now) {
        if (authTime == null || Instant.ofEpochSecond(authTime).isBefore(now.minus(maxAge))) {
            String message = "Sign in again: recording a result needs a sign-in within the last " + maxAge.toMinutes()
                    + " minutes";
            throw ApiError.withHeader(
                    401,
                    "insufficient_user_authentication",
                    message,
                    Map.of("maxAge", maxAge.toSeconds()),
                    "WWW-Authenticate",
                    "Bearer error=\"insufficient_user_authentication\", error_description=\"" + message + "\", max_age="
                            + maxAge.toSeconds());
        }
    }

    /**
     * The realm named in the token's issuer, read without trusting the token: only used to choose
     * between two refusals, never to grant anything.
     */
    private static Optional<String> issuingRealm(KeycloakSession session) {
        String header = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        try {
            JWSInput jws = new JWSInput(header.substring(7).trim());
            AccessToken token = jws.readJsonContent(AccessToken.class);
            String issuer = token.getIssuer();
            String baseRealms =
                    session.getContext().getUri().getBaseUri().toString().replaceAll("/$", "") + "/realms/";
            if (issuer == null || !issuer.startsWith(baseRealms)) {
                return Optional.empty();
            }
            String name = issuer.substring(baseRealms.length());
            return session.realms().getRealmByName(name) == null ? Optional.empty() : Optional.of(name);
        } catch (JWSInputException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean hasRole(RealmModel realm, UserModel user, String roleName) {
        RoleModel role = realm.getRole(roleName);
        return role != null && user.hasRole(role);
    }
}

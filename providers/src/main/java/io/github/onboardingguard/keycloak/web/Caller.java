package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.onboarding.Stage;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

import java.util.Optional;

/**
 * The signed-in user behind a request to the realm-level onboarding API: a bearer token issued by
 * this realm, checked by Keycloak. Roles come from the user's current role mappings, not from
 * the token, so a role removed a minute ago no longer counts.
 */
public record Caller(UserModel user, boolean verifier, boolean auditor) {

    public static final String VERIFIER_ROLE = "onboarding-verifier";
    public static final String AUDITOR_ROLE = "onboarding-auditor";

    public static Caller authenticate(KeycloakSession session, RealmModel realm) {
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm).authenticate();
        if (auth == null || auth.user() == null) {
            Optional<String> otherRealm = issuingRealm(session).filter(name -> !name.equals(realm.getName()));
            if (otherRealm.isPresent()) {
                // Someone signed in elsewhere: a refusal of access, not a request to sign in here.
                throw ApiError.forbidden("cross_realm", "A token of realm '" + otherRealm.get()
                        + "' gives no access to realm '" + realm.getName() + "'");
            }
            throw ApiError.unauthorized("A valid bearer token of realm '" + realm.getName() + "' is required");
        }
        UserModel user = auth.user();
        // A hire who is not verified yet holds no onboarding duty, even if a role was granted by mistake.
        boolean unverifiedHire = new OnboardingCases(session, realm).caseOf(user).map(OnboardingCaseEntity::getStage)
                .filter(stage -> stage != Stage.VERIFIED).isPresent();
        return new Caller(user,
                !unverifiedHire && hasRole(realm, user, VERIFIER_ROLE),
                !unverifiedHire && hasRole(realm, user, AUDITOR_ROLE));
    }

    public Caller requireVerifier() {
        if (!verifier) {
            throw ApiError.forbidden("Verifier endpoints need the '" + VERIFIER_ROLE + "' realm role");
        }
        return this;
    }

    public Caller requireAuditor() {
        if (!auditor) {
            throw ApiError.forbidden("Audit endpoints need the '" + AUDITOR_ROLE + "' realm role");
        }
        return this;
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
            String baseRealms = session.getContext().getUri().getBaseUri().toString().replaceAll("/$", "") + "/realms/";
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

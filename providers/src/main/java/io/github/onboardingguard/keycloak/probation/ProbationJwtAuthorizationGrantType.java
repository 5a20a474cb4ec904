package io.github.onboardingguard.keycloak.probation;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.authenticators.client.ClientAssertionState;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.grants.JWTAuthorizationGrantType;
import org.keycloak.services.CorsErrorResponseException;

/**
 * Keycloak's JWT authorization grant (RFC 7523, and the identity-assertion grants built on it) with
 * the probation check where Keycloak has found the user: the assertion's identity provider link.
 * No authentication flow runs for this grant and its token response raises no client-policy event
 * that carries the user, so this is the one place that sees both the user and the client.
 */
final class ProbationJwtAuthorizationGrantType extends JWTAuthorizationGrantType {

    @Override
    protected UserModel lookupUserByFederatedIdentity(FederatedIdentityModel identity, ClientAssertionState assertion) {
        UserModel user = super.lookupUserByFederatedIdentity(identity, assertion);
        if (user == null) {
            return null;
        }
        Optional<ProbationRefusal.Refused> refused = ProbationRefusal.refusal(session, realm, user, List.of(client));
        if (refused.isPresent()) {
            ProbationRefusal.record(
                    session, realm, user, refused.get(), getEventType().name());
            // Keycloak's grant passes this exception on as it is: an OAuth error, no token.
            throw new CorsErrorResponseException(
                    cors, OAuthErrorException.INVALID_GRANT, refused.get().description(), Response.Status.BAD_REQUEST);
        }
        return user;
    }
}

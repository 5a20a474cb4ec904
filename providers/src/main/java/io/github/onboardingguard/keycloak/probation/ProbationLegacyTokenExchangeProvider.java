package io.github.onboardingguard.keycloak.probation;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.keycloak.OAuthErrorException;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.ClientModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.tokenexchange.V1TokenExchangeProvider;
import org.keycloak.services.CorsErrorResponseException;

/**
 * Keycloak's legacy token exchange (preview feature {@code token-exchange}) with the probation check
 * where it links a token of another issuer to a user of this realm. The client-policy executor runs
 * before that link exists, so for an external subject token this is the first place that knows whose
 * token it is; the user's stage is judged against the requesting client and every requested audience.
 */
final class ProbationLegacyTokenExchangeProvider extends V1TokenExchangeProvider {

    @Override
    protected UserModel importUserFromExternalIdentity(BrokeredIdentityContext identity) {
        UserModel user = super.importUserFromExternalIdentity(identity);
        Set<ClientModel> targets = new LinkedHashSet<>();
        targets.add(client);
        targets.addAll(getTargetAudienceClients());
        Optional<ProbationRefusal.Refused> refused = ProbationRefusal.refusal(session, realm, user, targets);
        if (refused.isPresent()) {
            ProbationRefusal.record(session, realm, user, refused.get(), "TOKEN_EXCHANGE_EXTERNAL");
            // Keycloak passes this exception on as it is: an OAuth error, no token; the request's
            // transaction (and an account this very exchange imported) is rolled back.
            throw new CorsErrorResponseException(
                    cors, OAuthErrorException.INVALID_GRANT, refused.get().description(), Response.Status.BAD_REQUEST);
        }
        return user;
    }
}

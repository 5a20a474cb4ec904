package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.Users;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.OAuthErrorException;
import org.keycloak.authorization.authorization.AuthorizationTokenService;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.PermissionGrantType;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.authorization.PermissionTicketToken;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyException;

/**
 * Keycloak's UMA grant (Authorization Services) with the probation check in front. Keycloak
 * raises no client-policy event for this grant, so a hire holding an open client's token could
 * otherwise obtain a requesting party token for a closed resource server. Requests the check lets
 * through go to Keycloak's own implementation unchanged.
 */
final class ProbationUmaGrantType implements OAuth2GrantType {

    private final OAuth2GrantType keycloakGrant = new PermissionGrantType();

    @Override
    public EventType getEventType() {
        return keycloakGrant.getEventType();
    }

    @Override
    public Set<String> getSupportedMultivaluedRequestParameters() {
        return keycloakGrant.getSupportedMultivaluedRequestParameters();
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return keycloakGrant.getTokenParameterNames();
    }

    @Override
    public void preProcess(KeycloakSession session, MultivaluedMap<String, String> formParams)
            throws ClientPolicyException {
        keycloakGrant.preProcess(session, formParams);
    }

    @Override
    public Response process(Context context) {
        refuseClosedResourceServer(context);
        return keycloakGrant.process(context);
    }

    @Override
    public void close() {
        keycloakGrant.close();
    }

    /**
     * The requesting party is the user of the bearer token, the ID token claim or the subject
     * token, found as Keycloak finds it (session first, so a token without {@code sub} counts);
     * the resource server is the ticket's, else the audience asked for. Tokens that do not verify
     * are left to Keycloak, which refuses them; a verified token that leads to no user is refused.
     */
    private void refuseClosedResourceServer(Context context) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        MultivaluedMap<String, String> form = context.getFormParams();
        Optional<AccessToken> party = requestingPartyToken(session, context.getHeaders(), form);
        if (party.isEmpty()) {
            return;
        }
        String resourceServer = Optional.ofNullable(form.getFirst("ticket"))
                .map(ticket -> session.tokens().decode(ticket, PermissionTicketToken.class))
                .map(PermissionTicketToken::getIssuedFor)
                .orElseGet(() -> Optional.ofNullable(form.getFirst("audience"))
                        .orElse(party.get().getIssuedFor()));
        ClientModel client = resourceServer == null ? null : realm.getClientByClientId(resourceServer);
        if (client == null) {
            return;
        }
        Optional<UserModel> user = Users.ofToken(session, realm, party.get());
        Optional<ProbationRefusal.Refused> refused = user.isPresent()
                ? ProbationRefusal.refusal(session, realm, user.get(), List.of(client))
                : Optional.of(ProbationRefusal.unattributed(client.getClientId()));
        if (refused.isPresent()) {
            ProbationRefusal.record(
                    session,
                    realm,
                    user.orElse(null),
                    refused.get(),
                    getEventType().name());
            throw new CorsErrorResponseException(
                    context.getCors(),
                    OAuthErrorException.ACCESS_DENIED,
                    refused.get().description(),
                    Response.Status.FORBIDDEN);
        }
    }

    private static Optional<AccessToken> requestingPartyToken(
            KeycloakSession session, HttpHeaders headers, MultivaluedMap<String, String> form) {
        String authorization = headers.getRequestHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        String claimToken = form.getFirst("claim_token");
        String claimFormat = form.getFirst("claim_token_format");
        String idTokenClaim = claimToken != null
                        && (claimFormat == null
                                || AuthorizationTokenService.CLAIM_TOKEN_FORMAT_ID_TOKEN.equalsIgnoreCase(claimFormat))
                ? claimToken
                : null;
        return Stream.of(bearer, idTokenClaim, form.getFirst("subject_token"))
                .filter(token -> token != null && !token.isBlank())
                .findFirst()
                .map(token -> session.tokens().decode(token, AccessToken.class))
                // An expired token is Keycloak's to refuse; it must not let anyone record refusals in a hire's name.
                .filter(token -> !token.isExpired());
    }
}

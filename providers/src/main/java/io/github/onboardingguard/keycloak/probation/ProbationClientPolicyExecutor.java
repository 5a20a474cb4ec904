package io.github.onboardingguard.keycloak.probation;

import org.keycloak.OAuthErrorException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.grants.ciba.clientpolicy.context.BackchannelTokenResponseContext;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceTokenResponseContext;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ClientPolicyClientSessionContext;
import org.keycloak.services.clientpolicy.context.ResourceOwnerPasswordCredentialsResponseContext;
import org.keycloak.services.clientpolicy.context.TokenExchangeRequestContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The probation check on every token Keycloak issues without an authentication flow, or after a
 * flow that did not pass the gate: code to token, refresh, password grant, token exchange, device
 * and CIBA tokens, userinfo. A hire who is not verified gets tokens only for the policy's
 * clients; a closed case gets none. The refusal is an OAuth error and a LOGIN_ERROR event with
 * the gate's error code, so the attempt reaches the audit trail and the risk rules.
 */
final class ProbationClientPolicyExecutor implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {

    private final KeycloakSession session;

    ProbationClientPolicyExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getProviderId() {
        return ProbationClientPolicyExecutorFactory.PROVIDER_ID;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        switch (context.getEvent()) {
            case TOKEN_RESPONSE, TOKEN_REFRESH_RESPONSE, USERINFO_REQUEST ->
                    checkSession(((ClientPolicyClientSessionContext) context).getClientSession(), context);
            case DEVICE_TOKEN_RESPONSE -> checkSession(((DeviceTokenResponseContext) context).getClientSession(), context);
            case RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE ->
                    checkSession(((ResourceOwnerPasswordCredentialsResponseContext) context).getClientSessionContext().getClientSession(), context);
            case BACKCHANNEL_TOKEN_RESPONSE ->
                    checkSession(((BackchannelTokenResponseContext) context).getClientSessionContext().getClientSession(), context);
            case TOKEN_EXCHANGE_REQUEST -> checkExchange(((TokenExchangeRequestContext) context).getTokenExchangeContext(), context);
            default -> {
                // Flows with an authentication step are checked by the gate; other events carry no user.
            }
        }
    }

    private void checkSession(AuthenticatedClientSessionModel clientSession, ClientPolicyContext context) throws ClientPolicyException {
        if (clientSession == null || clientSession.getUserSession() == null) {
            return;
        }
        UserSessionModel userSession = clientSession.getUserSession();
        Optional<ProbationDecision> decision = ProbationDecision.forSession(session, userSession);
        if (decision.isPresent()) {
            refuseIfClosed(decision.get(), userSession.getUser(), Set.of(clientSession.getClient()), context);
        }
    }

    /** The subject token's user may not be exchanged into a client their probation does not open. */
    private void checkExchange(TokenExchangeContext exchange, ClientPolicyContext context) throws ClientPolicyException {
        String subjectToken = exchange.getParams().getSubjectToken();
        if (subjectToken == null) {
            return;
        }
        AccessToken token = session.tokens().decode(subjectToken, AccessToken.class);
        RealmModel realm = exchange.getRealm();
        UserModel user = token == null || token.getSubject() == null ? null : session.users().getUserById(realm, token.getSubject());
        if (user == null) {
            // An invalid subject token: Keycloak refuses it itself.
            return;
        }
        Optional<ProbationDecision> decision = ProbationDecision.forUser(session, realm, user);
        if (decision.isEmpty()) {
            return;
        }
        Set<ClientModel> targets = new LinkedHashSet<>();
        targets.add(exchange.getClient());
        for (String audience : exchange.getParams().getAudience() == null ? java.util.List.<String>of() : exchange.getParams().getAudience()) {
            ClientModel client = realm.getClientByClientId(audience);
            if (client != null) {
                targets.add(client);
            }
        }
        refuseIfClosed(decision.get(), user, targets, context);
    }

    private void refuseIfClosed(ProbationDecision decision, UserModel user, Set<ClientModel> clients, ClientPolicyContext context)
            throws ClientPolicyException {
        RealmModel realm = session.getContext().getRealm();
        for (ClientModel client : clients) {
            Optional<String> error = ProbationRefusal.errorFor(session, realm, decision, client);
            if (error.isPresent()) {
                ProbationRefusal.record(session, realm, user, client.getClientId(), error.get(), context.getEvent().name());
                throw new ClientPolicyException(OAuthErrorException.INVALID_GRANT,
                        ProbationRefusal.description(error.get(), client.getClientId()));
            }
        }
    }
}

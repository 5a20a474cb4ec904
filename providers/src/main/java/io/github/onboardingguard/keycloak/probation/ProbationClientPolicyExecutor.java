package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.Stage;
import org.jboss.logging.Logger;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
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

    private static final Logger LOG = Logger.getLogger(ProbationClientPolicyExecutor.class);

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
            String error = null;
            if (decision.stage().blocksLogin()) {
                error = OnboardingGateAuthenticatorFactory.ERROR_ACCESS_CLOSED;
            } else if (RealmPolicies.problem(session, realm).isPresent() && decision.stage() != Stage.VERIFIED) {
                error = OnboardingGateAuthenticatorFactory.ERROR_POLICY_INVALID;
            } else if (decision.restricted() && !decision.policy().allowsClient(client.getClientId())) {
                error = OnboardingGateAuthenticatorFactory.ERROR_CLIENT_NOT_ALLOWED;
            }
            if (error != null) {
                recordRefusal(realm, user, client, error, context.getEvent().name());
                throw new ClientPolicyException(OAuthErrorException.INVALID_GRANT,
                        OnboardingGateAuthenticatorFactory.ERROR_ACCESS_CLOSED.equals(error)
                                ? "Onboarding access is closed for this account"
                                : "Access to client '" + client.getClientId() + "' opens after identity verification");
            }
        }
    }

    /**
     * The refusal rolls back the request's transaction, so the event that records it is sent from
     * a transaction of its own: the audit trail and the restricted-client rule see every attempt.
     */
    private void recordRefusal(RealmModel realm, UserModel user, ClientModel client, String error, String door) {
        ClientConnection connection = session.getContext().getConnection();
        String realmId = realm.getId();
        String userId = user.getId();
        String clientId = client.getClientId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), tx -> {
                RealmModel txRealm = tx.realms().getRealm(realmId);
                tx.getContext().setRealm(txRealm);
                UserModel txUser = tx.users().getUserById(txRealm, userId);
                new EventBuilder(txRealm, tx, connection).event(EventType.LOGIN_ERROR).user(txUser).client(clientId)
                        .detail("onboarding_door", door).detail("onboarding_client", clientId).error(error);
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not record the refusal of user %s at %s for client %s", userId, door, clientId);
        }
    }
}

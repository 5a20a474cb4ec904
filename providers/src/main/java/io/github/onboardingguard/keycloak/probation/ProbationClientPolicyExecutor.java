package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.ciba.clientpolicy.context.BackchannelTokenResponseContext;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceTokenResponseContext;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.ClientPolicyClientSessionContext;
import org.keycloak.services.clientpolicy.context.ImplicitHybridTokenResponse;
import org.keycloak.services.clientpolicy.context.ResourceOwnerPasswordCredentialsResponseContext;
import org.keycloak.services.clientpolicy.context.TokenExchangeRequestContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshResponseContext;
import org.keycloak.services.clientpolicy.context.TokenResponseContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.util.TokenUtil;

/**
 * The probation check on every token Keycloak issues without an authentication flow, or after a
 * flow that did not pass the gate: code to token, refresh, password grant, token exchange, device
 * and CIBA tokens, userinfo, implicit and hybrid responses. A hire who is not verified gets tokens only for the policy's
 * clients; a closed case gets none. The refusal is an OAuth error and a LOGIN_ERROR event with
 * the gate's error code, so the attempt reaches the audit trail and the risk rules.
 */
final class ProbationClientPolicyExecutor
        implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {

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
            case DEVICE_TOKEN_RESPONSE ->
                checkSession(((DeviceTokenResponseContext) context).getClientSession(), context);
            case RESOURCE_OWNER_PASSWORD_CREDENTIALS_RESPONSE ->
                checkSession(
                        ((ResourceOwnerPasswordCredentialsResponseContext) context)
                                .getClientSessionContext()
                                .getClientSession(),
                        context);
            case BACKCHANNEL_TOKEN_RESPONSE ->
                checkSession(
                        ((BackchannelTokenResponseContext) context)
                                .getClientSessionContext()
                                .getClientSession(),
                        context);
            case IMPLICIT_HYBRID_TOKEN_RESPONSE ->
                checkSession(
                        ((ImplicitHybridTokenResponse) context)
                                .getClientSessionContext()
                                .getClientSession(),
                        context);
            case TOKEN_EXCHANGE_REQUEST ->
                checkExchange(((TokenExchangeRequestContext) context).getTokenExchangeContext(), context);
            default -> {
                // Flows with an authentication step are checked by the gate; other events carry no user.
            }
        }
    }

    private void checkSession(AuthenticatedClientSessionModel clientSession, ClientPolicyContext context)
            throws ClientPolicyException {
        if (clientSession == null || clientSession.getUserSession() == null) {
            return;
        }
        UserSessionModel userSession = clientSession.getUserSession();
        Optional<ProbationDecision> decision = ProbationDecision.forSession(session, userSession);
        if (decision.isPresent()) {
            refuseIfClosed(decision.get(), userSession.getUser(), Set.of(clientSession.getClient()), context);
            if (decision.get().restricted()) {
                refuseBeyondProbationSession(
                        decision.get().policy(),
                        clientSession.getUserSession(),
                        clientSession.getClient().getClientId(),
                        offline(context, clientSession),
                        context);
            }
        }
    }

    /**
     * The policy's limits on the sessions of hires who are not verified yet: no offline token unless
     * allowed, and no token from a session older than the probation session lifetime. An over-age or
     * offline session is ended (in a transaction of its own: the refusal rolls the request back), so
     * its SSO cookie and refresh token are dead too and the hire signs in afresh.
     */
    private void refuseBeyondProbationSession(
            OnboardingPolicy policy,
            UserSessionModel userSession,
            String clientId,
            boolean offline,
            ClientPolicyContext context)
            throws ClientPolicyException {
        if (!policy.probationOfflineTokens() && offline) {
            if (userSession.isOffline()) {
                // An offline session held from before (a re-verification): it ends. A request that merely asks
                // for offline_access is refused and the online session it came from lives on, so a hostile page
                // cannot sign a hire out by sending their browser to ask.
                ProbationRefusal.endSession(session, userSession);
            }
            throw refuse(
                    userSession.getUser(),
                    new ProbationRefusal.Refused(
                            OnboardingGateAuthenticatorFactory.ERROR_OFFLINE_NOT_ALLOWED, clientId),
                    context);
        }
        Optional<Duration> maxAge = policy.probationSessionMaxAge();
        long startedMillis = userSession.getStarted() * 1000L;
        if (maxAge.isPresent()
                && System.currentTimeMillis() - startedMillis > maxAge.get().toMillis()) {
            ProbationRefusal.endSession(session, userSession);
            throw refuse(
                    userSession.getUser(),
                    new ProbationRefusal.Refused(OnboardingGateAuthenticatorFactory.ERROR_SESSION_TOO_OLD, clientId),
                    context);
        }
    }

    /** An offline session, or a response that would hand out an offline token. */
    private static boolean offline(ClientPolicyContext context, AuthenticatedClientSessionModel clientSession) {
        if (clientSession.getUserSession().isOffline()) {
            return true;
        }
        if (context instanceof ImplicitHybridTokenResponse) {
            // No refresh token from the authorization endpoint; a hybrid flow's code is checked at the token endpoint.
            return false;
        }
        TokenManager.AccessTokenResponseBuilder response = null;
        if (context instanceof TokenResponseContext tokenResponse) {
            response = tokenResponse.getAccessTokenResponseBuilder();
        } else if (context instanceof TokenRefreshResponseContext refreshResponse) {
            response = refreshResponse.getAccessTokenResponseBuilder();
        } else if (context instanceof ResourceOwnerPasswordCredentialsResponseContext passwordResponse) {
            response = passwordResponse.getAccessTokenResponseBuilder();
        }
        if (response != null && response.getRefreshToken() != null) {
            return TokenUtil.TOKEN_TYPE_OFFLINE.equals(
                    response.getRefreshToken().getType());
        }
        // Device and CIBA responses: what the client asked for.
        return TokenUtil.isOfflineTokenRequested(clientSession.getNote(OIDCLoginProtocol.SCOPE_PARAM));
    }

    /**
     * Neither the subject token's user nor the {@code requested_subject} may be exchanged into a
     * client their probation does not open. Both are found as Keycloak finds them; a subject token
     * of this realm that leads to no user is refused. Tokens this realm did not sign (external
     * issuers) are left to Keycloak, whose legacy exchange links them to a user only later.
     */
    private void checkExchange(TokenExchangeContext exchange, ClientPolicyContext context)
            throws ClientPolicyException {
        RealmModel realm = exchange.getRealm();
        Set<ClientModel> targets = new LinkedHashSet<>();
        targets.add(exchange.getClient());
        for (String audience : exchange.getParams().getAudience() == null
                ? List.<String>of()
                : exchange.getParams().getAudience()) {
            ClientModel client = realm.getClientByClientId(audience);
            if (client != null) {
                targets.add(client);
            }
        }
        String subjectToken = exchange.getParams().getSubjectToken();
        AccessToken token = subjectToken == null ? null : session.tokens().decode(subjectToken, AccessToken.class);
        // An expired token is Keycloak's to refuse; it must not let anyone record refusals in a hire's name.
        if (token != null && !token.isExpired()) {
            Optional<UserModel> user = Users.ofToken(session, realm, token);
            if (user.isEmpty()) {
                throw refuse(
                        null, ProbationRefusal.unattributed(exchange.getClient().getClientId()), context);
            }
            refuseIfClosed(user.get(), targets, context);
            refuseExchangeBeyondProbationSession(exchange, token, context);
        }
        Optional<UserModel> requested = Users.requestedSubject(
                session, realm, exchange.getFormParams().getFirst(OAuth2Constants.REQUESTED_SUBJECT));
        if (requested.isPresent()) {
            refuseIfClosed(requested.get(), targets, context);
        }
    }

    /**
     * A token of a session past probation's limits is not exchanged into fresh ones: the session the
     * subject token names is held to the same lifetime and offline rule as a refresh would be.
     */
    private void refuseExchangeBeyondProbationSession(
            TokenExchangeContext exchange, AccessToken token, ClientPolicyContext context)
            throws ClientPolicyException {
        if (token.getSessionId() == null) {
            return;
        }
        RealmModel realm = exchange.getRealm();
        UserSessionModel subjectSession = session.sessions().getUserSession(realm, token.getSessionId());
        if (subjectSession == null) {
            subjectSession = session.sessions().getOfflineUserSession(realm, token.getSessionId());
        }
        if (subjectSession == null) {
            return;
        }
        Optional<ProbationDecision> decision = ProbationDecision.forSession(session, subjectSession);
        if (decision.isPresent() && decision.get().restricted()) {
            boolean offline = subjectSession.isOffline()
                    || TokenUtil.isOfflineTokenRequested(exchange.getParams().getScope());
            refuseBeyondProbationSession(
                    decision.get().policy(),
                    subjectSession,
                    exchange.getClient().getClientId(),
                    offline,
                    context);
        }
    }

    private void refuseIfClosed(UserModel user, Set<ClientModel> clients, ClientPolicyContext context)
            throws ClientPolicyException {
        RealmModel realm = session.getContext().getRealm();
        Optional<ProbationRefusal.Refused> refused = ProbationRefusal.refusal(session, realm, user, clients);
        if (refused.isPresent()) {
            throw refuse(user, refused.get(), context);
        }
    }

    /** Records the refusal and returns the error for the caller to throw. */
    private ClientPolicyException refuse(
            UserModel user, ProbationRefusal.Refused refused, ClientPolicyContext context) {
        ProbationRefusal.record(
                session,
                session.getContext().getRealm(),
                user,
                refused,
                context.getEvent().name());
        return new ClientPolicyException(OAuthErrorException.INVALID_GRANT, refused.description());
    }

    private void refuseIfClosed(
            ProbationDecision decision, UserModel user, Set<ClientModel> clients, ClientPolicyContext context)
            throws ClientPolicyException {
        Optional<ProbationRefusal.Refused> refused =
                ProbationRefusal.refusal(session, session.getContext().getRealm(), decision, clients);
        if (refused.isPresent()) {
            throw refuse(user, refused.get(), context);
        }
    }
}

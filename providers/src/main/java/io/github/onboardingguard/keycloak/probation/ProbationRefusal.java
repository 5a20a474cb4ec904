package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.onboarding.Access;
import java.util.Collection;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Whether a user's onboarding lets a token for a client be issued now, for the token paths that
 * run no authentication flow, and the audit record of a refused attempt.
 */
final class ProbationRefusal {

    private static final Logger LOG = Logger.getLogger(ProbationRefusal.class);

    private ProbationRefusal() {}

    /** The gate's error code when {@code client} is closed to this user, empty when it is open. */
    static Optional<String> errorFor(
            KeycloakSession session, RealmModel realm, ProbationDecision decision, ClientModel client) {
        return errorOf(decision.accessTo(session, realm, client));
    }

    /** The public error code of a refusal ({@link OnboardingGateAuthenticatorFactory}); empty for {@link Access#OPEN}. */
    static Optional<String> errorOf(Access access) {
        return switch (access) {
            case OPEN -> Optional.empty();
            case CLOSED -> Optional.of(OnboardingGateAuthenticatorFactory.ERROR_ACCESS_CLOSED);
            case POLICY_INVALID -> Optional.of(OnboardingGateAuthenticatorFactory.ERROR_POLICY_INVALID);
            case NOT_YET -> Optional.of(OnboardingGateAuthenticatorFactory.ERROR_CLIENT_NOT_ALLOWED);
        };
    }

    /** A refused token: the gate's error code and the client it was refused for. */
    record Refused(String error, String clientId) {

        /** The OAuth error description a refused client application receives. */
        String description() {
            return switch (error) {
                case OnboardingGateAuthenticatorFactory.ERROR_ACCESS_CLOSED ->
                    "Onboarding access is closed for this account";
                case OnboardingGateAuthenticatorFactory.ERROR_TOKEN_UNATTRIBUTED ->
                    "The token leads to no user of this realm";
                case OnboardingGateAuthenticatorFactory.ERROR_OFFLINE_NOT_ALLOWED ->
                    "Offline tokens are issued after identity verification";
                case OnboardingGateAuthenticatorFactory.ERROR_SESSION_TOO_OLD ->
                    "The session has reached the probation session lifetime; sign in again";
                default -> "Access to client '" + clientId + "' opens after identity verification";
            };
        }
    }

    /**
     * For token paths that find the user themselves (UMA, token exchange, JWT authorization grant):
     * the first of {@code clients} the user's onboarding closes, from the database.
     */
    static Optional<Refused> refusal(
            KeycloakSession session, RealmModel realm, UserModel user, Collection<ClientModel> clients) {
        Optional<ProbationDecision> decision = ProbationDecision.forUser(session, realm, user);
        return decision.isEmpty() ? Optional.empty() : refusal(session, realm, decision.get(), clients);
    }

    static Optional<Refused> refusal(
            KeycloakSession session, RealmModel realm, ProbationDecision decision, Collection<ClientModel> clients) {
        for (ClientModel client : clients) {
            Optional<String> error = errorFor(session, realm, decision, client);
            if (error.isPresent()) {
                return Optional.of(new Refused(error.get(), client.getClientId()));
            }
        }
        return Optional.empty();
    }

    /** A token that leads to no user: it may be a hire's, so it is refused. */
    static Refused unattributed(String clientId) {
        return new Refused(OnboardingGateAuthenticatorFactory.ERROR_TOKEN_UNATTRIBUTED, clientId);
    }

    /**
     * Ends a session (online or offline) in a transaction of its own, since the refusal that follows
     * rolls the request's transaction back.
     */
    static void endSession(KeycloakSession session, UserSessionModel userSession) {
        String realmId = userSession.getRealm().getId();
        String sessionId = userSession.getId();
        boolean offline = userSession.isOffline();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), tx -> {
                RealmModel realm = tx.realms().getRealm(realmId);
                tx.getContext().setRealm(realm);
                UserSessionModel found = offline
                        ? tx.sessions().getOfflineUserSession(realm, sessionId)
                        : tx.sessions().getUserSession(realm, sessionId);
                if (found == null) {
                    return;
                }
                if (offline) {
                    tx.sessions().removeOfflineUserSession(realm, found);
                } else {
                    tx.sessions().removeUserSession(realm, found);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not end session %s; it is refused at each use", sessionId);
        }
    }

    /**
     * A refusal rolls back the request's transaction, so the LOGIN_ERROR event that records it is
     * sent from a transaction of its own: the audit trail and the restricted-client rule see every
     * attempt. {@code door} names the token path, e.g. the client-policy event.
     *
     * @param user null for a token that led to no user
     */
    static void record(KeycloakSession session, RealmModel realm, UserModel user, Refused refused, String door) {
        String clientId = refused.clientId();
        OnboardingMetrics.gateRefusal(realm.getName(), refused.error(), door);
        ClientConnection connection = session.getContext().getConnection();
        String realmId = realm.getId();
        String userId = user == null ? null : user.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), tx -> {
                RealmModel txRealm = tx.realms().getRealm(realmId);
                tx.getContext().setRealm(txRealm);
                EventBuilder event = new EventBuilder(txRealm, tx, connection)
                        .event(EventType.LOGIN_ERROR)
                        .client(clientId)
                        .detail("onboarding_door", door)
                        .detail("onboarding_client", clientId);
                if (userId != null) {
                    event.user(tx.users().getUserById(txRealm, userId));
                }
                event.error(refused.error());
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not record the refusal of user %s at %s for client %s", userId, door, clientId);
        }
    }
}

package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.Stage;
import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.Optional;

/**
 * Whether a user's onboarding lets a token for a client be issued now, for the token paths that
 * run no authentication flow, and the audit record of a refused attempt.
 */
final class ProbationRefusal {

    private static final Logger LOG = Logger.getLogger(ProbationRefusal.class);

    private ProbationRefusal() {
    }

    /** The gate's error code when {@code client} is closed to this user, empty when it is open. */
    static Optional<String> errorFor(KeycloakSession session, RealmModel realm, ProbationDecision decision, ClientModel client) {
        if (decision.closed()) {
            return Optional.of(OnboardingGateAuthenticatorFactory.ERROR_ACCESS_CLOSED);
        }
        if (decision.stage() != Stage.VERIFIED && RealmPolicies.problem(session, realm).isPresent()) {
            return Optional.of(OnboardingGateAuthenticatorFactory.ERROR_POLICY_INVALID);
        }
        if (decision.restricted() && !decision.policy().allowsClient(client.getClientId())) {
            return Optional.of(OnboardingGateAuthenticatorFactory.ERROR_CLIENT_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    /** The OAuth error description a refused client application receives. */
    static String description(String error, String clientId) {
        return OnboardingGateAuthenticatorFactory.ERROR_ACCESS_CLOSED.equals(error)
                ? "Onboarding access is closed for this account"
                : "Access to client '" + clientId + "' opens after identity verification";
    }

    /**
     * A refusal rolls back the request's transaction, so the LOGIN_ERROR event that records it is
     * sent from a transaction of its own: the audit trail and the restricted-client rule see every
     * attempt. {@code door} names the token path, e.g. the client-policy event.
     */
    static void record(KeycloakSession session, RealmModel realm, UserModel user, String clientId, String error, String door) {
        OnboardingMetrics.gateRefusal(realm.getName(), error, door);
        ClientConnection connection = session.getContext().getConnection();
        String realmId = realm.getId();
        String userId = user.getId();
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

package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * INVITED → PROBATION at the hire's first successful login. Keycloak fires LOGIN only after the
 * required actions from the invitation are done, which is exactly the moment probation starts.
 */
public final class FirstLogin {

    private static final Logger LOG = Logger.getLogger(FirstLogin.class);

    private FirstLogin() {}

    /**
     * @param clientId  the client the hire logged in to, for the stage history
     * @param sessionId the login's user session, whose notes follow the new stage (may be null)
     */
    public static void startProbation(
            KeycloakSession session, RealmModel realm, UserModel user, String clientId, String sessionId) {
        boolean invited = new CaseLookup(session, realm)
                .caseOf(user)
                .map(c -> c.getStage() == Stage.INVITED)
                .orElse(false);
        if (!invited) {
            return;
        }
        String realmId = realm.getId();
        String userId = user.getId();
        // Own transaction: two first logins at once must not fail either login; one of them wins.
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), inner -> {
                RealmModel innerRealm = inner.realms().getRealm(realmId);
                inner.getContext().setRealm(innerRealm);
                OnboardingCases cases = new OnboardingCases(inner, innerRealm);
                cases.store()
                        .findByUser(realmId, userId)
                        .filter(c -> c.getStage() == Stage.INVITED)
                        .ifPresent(c -> {
                            cases.apply(c, StageEvent.FIRST_LOGIN, Actors.FIRST_LOGIN, "first login to " + clientId);
                            cases.store().flush();
                        });
            });
        } catch (RuntimeException e) {
            LOG.debugf("First-login transition of user %s lost a race, another login made it: %s", userId, e);
        }
        if (sessionId != null) {
            SessionNotes.updateStage(session.sessions().getUserSession(realm, sessionId), Stage.PROBATION);
        }
    }
}

package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.SessionNotes;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.Access;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import java.util.Optional;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/**
 * What probation means for one user right now. Users without a case are answered from the
 * cached user and realm alone; users with a case cost one indexed query per login, and nothing
 * on refresh when the login left the stage in the user session's notes.
 */
record ProbationDecision(OnboardingPolicy policy, Stage stage, long deadline) {

    /** At login: from the database (once per request). */
    static Optional<ProbationDecision> forUser(KeycloakSession session, RealmModel realm, UserModel user) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        return new CaseLookup(session, realm)
                .caseOf(user)
                .map(c -> new ProbationDecision(policy, c.getStage(), c.getDeadline()));
    }

    /**
     * For a token of an existing session: the notes the gate left, else the database (sessions
     * that did not pass the gate, such as impersonation). Every change that narrows access also
     * ends the user's sessions, so notes never grant more than the case allows.
     */
    static Optional<ProbationDecision> forSession(KeycloakSession session, UserSessionModel userSession) {
        RealmModel realm = userSession.getRealm();
        UserModel user = userSession.getUser();
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (!CaseLookup.mayHaveCase(user, policy, realm)) {
            return Optional.empty();
        }
        Optional<SessionNotes.Noted> noted = SessionNotes.read(userSession);
        if (noted.isPresent()) {
            return Optional.of(new ProbationDecision(
                    policy, noted.get().stage(), noted.get().deadline()));
        }
        return forUser(session, realm, user);
    }

    /** Not verified yet: tokens are filtered to what probation allows. */
    boolean restricted() {
        return stage != Stage.VERIFIED;
    }

    /** What this user meets at {@code client} now ({@link Access}: the one decision every door takes). */
    Access accessTo(KeycloakSession session, RealmModel realm, ClientModel client) {
        return Access.decide(
                stage,
                deadline,
                System.currentTimeMillis(),
                () -> RealmPolicies.problem(session, realm).isEmpty(),
                () -> policy.allowsClient(client.getClientId()));
    }
}

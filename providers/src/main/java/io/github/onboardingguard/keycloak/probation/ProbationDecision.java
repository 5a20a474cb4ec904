package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Optional;

/**
 * What probation means for one user right now. Users without a case are answered from the
 * cached user and realm alone; only users that carry a case marker cost one indexed query.
 */
record ProbationDecision(OnboardingPolicy policy, OnboardingCaseEntity onboardingCase) {

    static Optional<ProbationDecision> forUser(KeycloakSession session, RealmModel realm, UserModel user) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (!OnboardingCases.mayHaveCase(user, policy, realm)) {
            return Optional.empty();
        }
        return new OnboardingCases(session, realm).findFor(user).map(c -> new ProbationDecision(policy, c));
    }

    Stage stage() {
        return onboardingCase.getStage();
    }

    /** Not verified yet, so probation limits apply (blocking stages are handled before this). */
    boolean restricted() {
        return stage() != Stage.VERIFIED;
    }
}

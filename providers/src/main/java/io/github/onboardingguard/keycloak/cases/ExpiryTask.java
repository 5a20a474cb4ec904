package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.StageEvent;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Expires cases whose probation deadline passed: EXPIRED through the stage machine, which disables
 * the hire and revokes their sessions; then tells the sponsor. Runs on one cluster node at a time.
 */
final class ExpiryTask implements ScheduledTask {

    static final String NAME = "onboarding-guard-expiry";
    /** Bounded so one run stays short; the next run continues with the rest. */
    static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(ExpiryTask.class);

    @Override
    public void run(KeycloakSession session) {
        List<OnboardingCaseEntity> overdue = new CaseStore(session).overdue(System.currentTimeMillis(), BATCH);
        for (OnboardingCaseEntity onboardingCase : overdue) {
            RealmModel realm = session.realms().getRealm(onboardingCase.getRealmId());
            if (realm == null) {
                continue;
            }
            session.getContext().setRealm(realm);
            new OnboardingCases(session, realm).apply(onboardingCase, StageEvent.DEADLINE_PASSED,
                    OnboardingCases.SYSTEM_ACTOR_EXPIRY, "probation deadline " + Instant.ofEpochMilli(onboardingCase.getDeadline()) + " passed");
            SponsorNotifications.send(session, realm, onboardingCase, "onboardingExpiredSubject", "onboarding-expired.ftl",
                    Map.of("deadline", Instant.ofEpochMilli(onboardingCase.getDeadline()).toString()));
        }
        if (!overdue.isEmpty()) {
            LOG.infof("Expired %d overdue onboarding case(s)", overdue.size());
        }
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}

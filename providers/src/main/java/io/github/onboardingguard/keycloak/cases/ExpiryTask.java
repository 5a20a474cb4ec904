package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.onboarding.StageEvent;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

import java.util.List;
import java.util.Map;

/**
 * Expires cases whose probation deadline passed: EXPIRED through the stage machine, which disables
 * the hire and revokes their sessions; then tells the sponsor once the run has committed. Runs on one cluster node at a time.
 */
public final class ExpiryTask implements ScheduledTask {

    public static final String NAME = "onboarding-guard-expiry";
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
            String deadline = Instants.iso(onboardingCase.getDeadline());
            new OnboardingCases(session, realm).apply(onboardingCase, StageEvent.DEADLINE_PASSED,
                    Actors.EXPIRY, "probation deadline " + deadline + " passed");
            Notifications.toSponsor(session, realm, onboardingCase,
                    new Notifications.Mail("onboardingExpiredSubject", "onboarding-expired.ftl", Map.of("deadline", deadline)));
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

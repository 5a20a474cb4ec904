package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import io.github.onboardingguard.onboarding.StageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

/**
 * Expires cases whose probation deadline passed: EXPIRED through the stage machine, which disables
 * the hire and revokes their sessions; then tells the sponsor once that case has committed. Each
 * case in a transaction of its own, so one that fails neither undoes nor holds up the others. Runs
 * on one cluster node at a time. (The gate refuses an overdue hire even before this runs.) Also
 * rejects the open cases whose user Keycloak removed without an event, and sends the reminders
 * before deadlines ({@link Reminders}).
 */
public final class ExpiryTask implements ScheduledTask {

    public static final String NAME = "onboarding-guard-expiry";
    /** Bounded so one run stays short; the next run continues with the rest. */
    static final int BATCH = 100;

    private static final Logger LOG = Logger.getLogger(ExpiryTask.class);

    @Override
    public void run(KeycloakSession session) {
        long started = System.nanoTime();
        try {
            expireOverdue(session);
            Reminders.remindDue(session, BATCH);
            Reverifications.run(session, BATCH);
            removeOrphans(session);
            OnboardingMetrics.cases(
                    OnboardingMetrics.byRealmName(session, new CaseStore(session).countsByRealmAndStage()));
        } finally {
            OnboardingMetrics.taskRun(NAME, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void expireOverdue(KeycloakSession session) {
        long now = System.currentTimeMillis();
        List<Due> overdue = new CaseStore(session)
                .overdue(now, BATCH).stream()
                        .map(c -> new Due(c.getId(), c.getRealmId()))
                        .toList();
        int expired = 0;
        for (Due due : overdue) {
            try {
                KeycloakModelUtils.runJobInTransaction(
                        session.getKeycloakSessionFactory(), caseSession -> expire(caseSession, due, now));
                expired++;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not expire onboarding case %s; the next run tries again", due.caseId());
            }
        }
        if (expired > 0) {
            LOG.infof("Expired %d overdue onboarding case(s)", expired);
        }
    }

    private record Due(String caseId, String realmId) {}

    /** Realm by realm, each in a transaction of its own; a realm being removed takes its cases itself. */
    private void removeOrphans(KeycloakSession session) {
        List<String> realmIds = new CaseStore(session)
                .orphaned(null, BATCH).stream()
                        .map(OnboardingCaseEntity::getRealmId)
                        .distinct()
                        .toList();
        for (String realmId : realmIds) {
            try {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), realmSession -> {
                    RealmModel realm = realmSession.realms().getRealm(realmId);
                    if (realm != null) {
                        realmSession.getContext().setRealm(realm);
                        new CaseRemovals(realmSession, realm).rejectOrphans(BATCH);
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf(
                        e,
                        "Could not reject the onboarding cases of realm %s whose users are gone; the next run tries again",
                        realmId);
            }
        }
    }

    private static void expire(KeycloakSession session, Due due, long now) {
        OnboardingCaseEntity onboardingCase =
                new CaseStore(session).findById(due.realmId(), due.caseId()).orElse(null);
        // Looked at again in this transaction: another node, or an admin's new deadline, may have come first.
        if (onboardingCase == null || !onboardingCase.getStage().isPending() || onboardingCase.getDeadline() >= now) {
            return;
        }
        RealmModel realm = session.realms().getRealm(onboardingCase.getRealmId());
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        String deadline = Instants.iso(onboardingCase.getDeadline());
        new OnboardingCases(session, realm)
                .apply(
                        onboardingCase,
                        StageEvent.DEADLINE_PASSED,
                        Actors.EXPIRY,
                        "probation deadline " + deadline + " passed");
        Notifications.toSponsor(
                session,
                realm,
                onboardingCase,
                new Notifications.Mail(
                        "onboardingExpiredSubject",
                        "onboarding-expired.ftl",
                        Map.of("deadline", Instants.display(onboardingCase.getDeadline()))));
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}

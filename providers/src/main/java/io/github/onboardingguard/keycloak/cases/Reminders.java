package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Reminds the hire and their sponsor, on the policy's days before the deadline, that the identity
 * verification is still open. Each reminder is recorded on the case in the transaction that sends
 * it, and the mail leaves only after that commits; a second node doing the same case at the same
 * moment fails on the case's version and sends nothing, so a reminder goes out at most once.
 */
final class Reminders {

    private static final Logger LOG = Logger.getLogger(Reminders.class);

    private Reminders() {}

    static void remindDue(KeycloakSession session, int batch) {
        long now = System.currentTimeMillis();
        CaseStore store = new CaseStore(session);
        Set<Due> due = new LinkedHashSet<>();
        for (String realmId : store.countsByRealmAndStage().keySet()) {
            RealmModel realm = session.realms().getRealm(realmId);
            if (realm == null) {
                continue;
            }
            for (int days : RealmPolicies.of(session, realm).reminderDays()) {
                store.dueForReminder(realmId, now, days, batch).forEach(c -> due.add(new Due(c.getId(), realmId)));
            }
        }
        int sent = 0;
        for (Due reminder : due) {
            try {
                if (KeycloakModelUtils.runJobInTransactionWithResult(
                        session.getKeycloakSessionFactory(), caseSession -> remind(caseSession, reminder, now))) {
                    sent++;
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not remind onboarding case %s; the next run tries again", reminder.caseId());
            }
        }
        if (sent > 0) {
            LOG.infof("Reminded %d onboarding case(s) of their deadline", sent);
        }
    }

    private record Due(String caseId, String realmId) {}

    private static boolean remind(KeycloakSession session, Due due, long now) {
        RealmModel realm = session.realms().getRealm(due.realmId());
        OnboardingCaseEntity onboardingCase =
                new CaseStore(session).findById(due.realmId(), due.caseId()).orElse(null);
        // Looked at again in this transaction: the hire may have been verified, or the deadline moved.
        if (realm == null
                || onboardingCase == null
                || !onboardingCase.getStage().isPending()
                || onboardingCase.getDeadline() < now) {
            return false;
        }
        session.getContext().setRealm(realm);
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        Optional<Integer> days =
                policy.reminderDue(onboardingCase.getDeadline() - now, onboardingCase.getRemindedDays());
        if (days.isEmpty()) {
            return false;
        }
        onboardingCase.setRemindedDays(days.get());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("daysBefore", days.get());
        details.put("deadline", Instants.iso(onboardingCase.getDeadline()));
        AuditLog.append(
                session, realm.getId(), Actors.REMINDERS, onboardingCase.getUserId(), "case.reminder_sent", details);
        CaseEvent.afterCommit(
                session,
                realm,
                CaseEvent.Kind.DEADLINE_APPROACHING,
                onboardingCase.getUserId(),
                onboardingCase.getStage(),
                days.get());
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("deadline", Instants.display(onboardingCase.getDeadline()));
        attributes.put("bookingUrl", policy.verificationBookingUrl());
        Notifications.toHire(
                session,
                realm,
                onboardingCase,
                new Notifications.Mail("onboardingReminderSubject", "onboarding-reminder.ftl", attributes));
        Notifications.toSponsor(
                session,
                realm,
                onboardingCase,
                new Notifications.Mail(
                        "onboardingSponsorReminderSubject", "onboarding-sponsor-reminder.ftl", attributes));
        return true;
    }
}

package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Periodic re-verification (the policy's cadence): reminds a verified hire on the reminder days
 * before their due date, and at the due date sends them back to verification (REVERIFY: probation
 * until a verifier has seen them). Part of the case housekeeping task; each case in a transaction of
 * its own, the reminder recorded under the case's version so two nodes cannot both send it.
 */
public final class Reverifications {

    private static final Logger LOG = Logger.getLogger(Reverifications.class);

    private Reverifications() {}

    /** When a hire verified at {@code verifiedAt} is due again: 0 for never. */
    public static long dueAfter(OnboardingPolicy policy, UserModel user, long verifiedAt) {
        if (!policy.reverification().enabled()) {
            return 0;
        }
        List<String> groups =
                user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath).toList();
        int days = policy.reverification().daysFor(groups);
        return days == 0 ? 0 : verifiedAt + Duration.ofDays(days).toMillis();
    }

    static void run(KeycloakSession session, int batch) {
        CaseStore store = new CaseStore(session);
        for (Map.Entry<String, Map<String, Long>> realmCounts :
                store.countsByRealmAndStage().entrySet()) {
            if (!realmCounts.getValue().containsKey(Stage.VERIFIED.name())) {
                continue;
            }
            String realmId = realmCounts.getKey();
            try {
                KeycloakModelUtils.runJobInTransaction(
                        session.getKeycloakSessionFactory(), realmSession -> schedule(realmSession, realmId, batch));
                dueIn(session, realmId, batch);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not look at re-verifications in realm %s; the next run tries again", realmId);
            }
        }
    }

    /** Verified cases without a due date get one: from their verification, by the cadence that applies to them. */
    private static void schedule(KeycloakSession session, String realmId, int batch) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (!policy.reverification().enabled()) {
            return;
        }
        for (OnboardingCaseEntity onboardingCase : new CaseStore(session).reverificationUnscheduled(realmId, batch)) {
            UserModel user = session.users().getUserById(realm, onboardingCase.getUserId());
            long verifiedAt = onboardingCase.getVerifiedAt() != null
                    ? onboardingCase.getVerifiedAt()
                    : onboardingCase.getHistory().stream()
                            .filter(change -> change.getToStage() == Stage.VERIFIED)
                            .mapToLong(StageChangeEntity::getAt)
                            .max()
                            .orElse(System.currentTimeMillis());
            onboardingCase.setReverifyDueAt(user == null ? 0 : dueAfter(policy, user, verifiedAt));
        }
    }

    private static void dueIn(KeycloakSession session, String realmId, int batch) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (!policy.reverification().enabled()) {
            return;
        }
        long now = System.currentTimeMillis();
        int furthestReminder =
                policy.reminderDays().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> due = new CaseStore(session)
                        .reverificationDue(
                                realmId, now + Duration.ofDays(furthestReminder).toMillis(), batch)
                        .stream()
                        .map(OnboardingCaseEntity::getId)
                        .toList();
        for (String caseId : due) {
            try {
                KeycloakModelUtils.runJobInTransaction(
                        session.getKeycloakSessionFactory(), caseSession -> act(caseSession, realmId, caseId, now));
            } catch (RuntimeException e) {
                LOG.warnf(
                        e,
                        "Could not handle the re-verification of onboarding case %s; the next run tries again",
                        caseId);
            }
        }
    }

    private static void act(KeycloakSession session, String realmId, String caseId, long now) {
        RealmModel realm = session.realms().getRealm(realmId);
        OnboardingCaseEntity onboardingCase = realm == null
                ? null
                : new CaseStore(session).findById(realmId, caseId).orElse(null);
        // Looked at again in this transaction: another node, or a change of stage, may have come first.
        if (onboardingCase == null
                || onboardingCase.getStage() != Stage.VERIFIED
                || onboardingCase.getReverifyDueAt() == null
                || onboardingCase.getReverifyDueAt() <= 0) {
            return;
        }
        session.getContext().setRealm(realm);
        long dueAt = onboardingCase.getReverifyDueAt();
        if (dueAt <= now) {
            new OnboardingCases(session, realm)
                    .apply(
                            onboardingCase,
                            StageEvent.REVERIFY,
                            Actors.REVERIFICATION,
                            "periodic re-verification due " + Instants.iso(dueAt));
            return;
        }
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        Optional<Integer> days = policy.reminderDue(dueAt - now, onboardingCase.getRemindedDays());
        if (days.isEmpty()) {
            return;
        }
        onboardingCase.setRemindedDays(days.get());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("daysBefore", days.get());
        details.put("dueAt", Instants.iso(dueAt));
        AuditLog.append(
                session,
                realm.getId(),
                Actors.REVERIFICATION,
                onboardingCase.getUserId(),
                "case.reverification_reminder_sent",
                details);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("dueAt", Instants.display(dueAt));
        attributes.put("bookingUrl", policy.verificationBookingUrl());
        Notifications.toHire(
                session,
                realm,
                onboardingCase,
                new Notifications.Mail(
                        "onboardingReverifyReminderSubject", "onboarding-reverify-reminder.ftl", attributes));
    }
}

package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.StageEvent;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.timer.ScheduledTask;

import java.time.Instant;
import java.util.HashMap;
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
            notifySponsor(session, realm, onboardingCase);
        }
        if (!overdue.isEmpty()) {
            LOG.infof("Expired %d overdue onboarding case(s)", overdue.size());
        }
    }

    private static void notifySponsor(KeycloakSession session, RealmModel realm, OnboardingCaseEntity onboardingCase) {
        if (onboardingCase.getSponsorId() == null) {
            return;
        }
        UserModel sponsor = session.users().getUserById(realm, onboardingCase.getSponsorId());
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (sponsor == null || sponsor.getEmail() == null || hire == null) {
            return;
        }
        String hireName = displayName(hire);
        // Mutable: the template provider adds its own attributes. No request here, so the language
        // comes from the sponsor's profile or the realm default, not from Accept-Language.
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("hireName", hireName);
        attributes.put("hireUsername", hire.getUsername());
        attributes.put("deadline", Instant.ofEpochMilli(onboardingCase.getDeadline()).toString());
        attributes.put(Constants.IGNORE_ACCEPT_LANGUAGE_HEADER, true);
        try {
            session.getProvider(EmailTemplateProvider.class)
                    .setRealm(realm)
                    .setUser(sponsor)
                    .send("onboardingExpiredSubject", List.of(hireName), "onboarding-expired.ftl", attributes);
        } catch (EmailException | RuntimeException e) {
            // Expiry itself must not depend on the mail server; the case history records it either way.
            LOG.warnf(e, "Could not email sponsor %s about expired case %s", sponsor.getUsername(), onboardingCase.getId());
        }
    }

    private static String displayName(UserModel user) {
        String first = user.getFirstName();
        String last = user.getLastName();
        String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
        return name.isEmpty() ? user.getUsername() : name;
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}

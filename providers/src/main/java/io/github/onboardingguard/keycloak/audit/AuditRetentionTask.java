package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.timer.ScheduledTask;

import java.time.Duration;

/** Applies each realm's audit retention. Runs on one cluster node at a time. */
public final class AuditRetentionTask implements ScheduledTask {

    public static final String NAME = "onboarding-guard-audit-retention";
    private static final Logger LOG = Logger.getLogger(AuditRetentionTask.class);

    @Override
    public void run(KeycloakSession session) {
        long now = System.currentTimeMillis();
        session.realms().getRealmsStream().forEach(realm -> {
            int days = RealmPolicies.of(session, realm).auditRetentionDays();
            if (days > 0) {
                long removed = AuditRetention.prune(session, realm.getId(), now - Duration.ofDays(days).toMillis());
                if (removed > 0) {
                    LOG.infof("Removed %d audit entries older than %d days from realm %s", removed, days, realm.getName());
                }
            }
        });
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}

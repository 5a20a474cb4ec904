package io.github.onboardingguard.keycloak.audit;

import java.time.Duration;
import java.util.List;
import java.util.function.ToIntBiFunction;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

/** Applies each realm's audit retention. Runs on one cluster node at a time. */
public final class AuditRetentionTask implements ScheduledTask {

    public static final String NAME = "onboarding-guard-audit-retention";
    private static final Logger LOG = Logger.getLogger(AuditRetentionTask.class);

    /** Days a realm keeps its trail (0: all of it): the policy's setting, which sits above this layer. */
    private final ToIntBiFunction<KeycloakSession, RealmModel> retentionDays;

    public AuditRetentionTask(ToIntBiFunction<KeycloakSession, RealmModel> retentionDays) {
        this.retentionDays = retentionDays;
    }

    @Override
    public void run(KeycloakSession session) {
        long now = System.currentTimeMillis();
        List<String> realmIds =
                session.realms().getRealmsStream().map(RealmModel::getId).toList();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        for (String realmId : realmIds) {
            // Each realm in transactions of its own: a large prune in one realm neither holds the others' locks nor
            // fails them.
            try {
                applyRetention(factory, realmId, now, AuditRetention.DEFAULT_BATCH, retentionDays);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Audit retention failed for realm %s; the next run tries again", realmId);
            }
        }
    }

    /** Removes the realm's entries older than its retention allows at {@code now}; returns how many. */
    public static long applyRetention(
            KeycloakSessionFactory factory,
            String realmId,
            long now,
            int batchSize,
            ToIntBiFunction<KeycloakSession, RealmModel> retentionDays) {
        int days = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            return realm == null ? 0 : retentionDays.applyAsInt(session, realm);
        });
        if (days <= 0) {
            return 0;
        }
        long removed = AuditRetention.prune(
                factory, realmId, now - Duration.ofDays(days).toMillis(), batchSize);
        if (removed > 0) {
            LOG.infof("Removed %d audit entries older than %d days from realm %s", removed, days, realmId);
        }
        return removed;
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}

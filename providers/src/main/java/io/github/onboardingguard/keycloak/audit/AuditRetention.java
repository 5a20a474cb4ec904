package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.keycloak.support.Instants;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Removes audit entries older than a realm's retention period. The removed part is always a
 * prefix of the chain, and a checkpoint entry records where it ended and the last removed hash,
 * so what remains still verifies. A long prefix goes in bounded batches, one transaction and one
 * checkpoint each, so no single transaction deletes millions of rows or holds the head lock for long.
 */
public final class AuditRetention {

    public static final String CHECKPOINT_TYPE = "audit.pruned";
    public static final int DEFAULT_BATCH = 5_000;
    static final String PRUNED_THROUGH = "prunedThroughSeq";
    static final String LAST_PRUNED_HASH = "lastPrunedHash";

    private AuditRetention() {}

    /**
     * Removes every entry of the realm older than {@code cutoffMillis}, at most {@code batchSize}
     * per transaction. The target is fixed when the run starts, so the run's own checkpoints stay.
     *
     * @return how many entries were removed
     */
    public static long prune(KeycloakSessionFactory factory, String realmId, long cutoffMillis, int batchSize) {
        Optional<Long> target = KeycloakModelUtils.runJobInTransactionWithResult(
                factory, session -> lastSeqBefore(entityManager(session), realmId, cutoffMillis));
        if (target.isEmpty()) {
            return 0;
        }
        long total = 0;
        while (true) {
            long removed = KeycloakModelUtils.runJobInTransactionWithResult(
                    factory, session -> pruneBatch(session, realmId, target.get(), cutoffMillis, batchSize));
            total += removed;
            if (removed == 0) {
                return total;
            }
        }
    }

    private static Optional<Long> lastSeqBefore(EntityManager em, String realmId, long cutoffMillis) {
        return Optional.ofNullable(em.createQuery(
                        "select max(e.seq) from AuditEntryEntity e where e.realmId = :realm and e.at < :cutoff",
                        Long.class)
                .setParameter("realm", realmId)
                .setParameter("cutoff", cutoffMillis)
                .getSingleResult());
    }

    /** Removes the oldest entries up to {@code target}, at most {@code batchSize}, and appends their checkpoint. */
    private static long pruneBatch(
            KeycloakSession session, String realmId, long target, long cutoffMillis, int batchSize) {
        EntityManager em = entityManager(session);
        // Holding the head lock keeps writers out until the checkpoint is in place.
        AuditLog.lockHead(session, em, realmId);
        AuditStore store = new AuditStore(session);
        Optional<Long> first = store.firstSeq(realmId);
        if (first.isEmpty() || first.get() > target) {
            return 0;
        }
        long through = Math.min(target, first.get() + batchSize - 1);
        Optional<AuditEntryEntity> last = store.bySeq(realmId, through);
        long removed = em.createQuery("delete from AuditEntryEntity e where e.realmId = :realm and e.seq <= :through")
                .setParameter("realm", realmId)
                .setParameter("through", through)
                .executeUpdate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(PRUNED_THROUGH, through);
        details.put(LAST_PRUNED_HASH, last.map(AuditEntryEntity::getHash).orElse(null));
        details.put("removed", removed);
        details.put("cutoff", Instants.iso(cutoffMillis));
        AuditLog.append(session, realmId, Actors.AUDIT_RETENTION, null, CHECKPOINT_TYPE, details);
        return removed;
    }

    private static EntityManager entityManager(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}

package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.keycloak.support.Instants;
import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Removes audit entries older than a realm's retention period. The removed part is always a
 * prefix of the chain, and a checkpoint entry records where it ended and the last removed hash,
 * so what remains still verifies.
 */
public final class AuditRetention {

    public static final String CHECKPOINT_TYPE = "audit.pruned";
    static final String PRUNED_THROUGH = "prunedThroughSeq";
    static final String LAST_PRUNED_HASH = "lastPrunedHash";

    private AuditRetention() {
    }

    /** @return how many entries were removed */
    public static long prune(KeycloakSession session, String realmId, long cutoffMillis) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        // Holding the head lock keeps writers out until the checkpoint is in place.
        AuditLog.lockHead(session, em, realmId);
        Long through = em.createQuery("select max(e.seq) from AuditEntryEntity e where e.realmId = :realm and e.at < :cutoff",
                        Long.class)
                .setParameter("realm", realmId).setParameter("cutoff", cutoffMillis).getSingleResult();
        if (through == null) {
            return 0;
        }
        Optional<AuditEntryEntity> last = new AuditStore(session).bySeq(realmId, through);
        long removed = em.createQuery("delete from AuditEntryEntity e where e.realmId = :realm and e.seq <= :through")
                .setParameter("realm", realmId).setParameter("through", through).executeUpdate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(PRUNED_THROUGH, through);
        details.put(LAST_PRUNED_HASH, last.map(AuditEntryEntity::getHash).orElse(null));
        details.put("removed", removed);
        details.put("cutoff", Instants.iso(cutoffMillis));
        AuditLog.append(session, realmId, Actors.AUDIT_RETENTION, null, CHECKPOINT_TYPE, details);
        return removed;
    }
}

package io.github.onboardingguard.keycloak.audit;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Reads a realm's audit chain, always in sequence order and through an index. */
public final class AuditStore {

    private final EntityManager em;

    public AuditStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** Null fields do not filter; {@code type} ending in '*' matches a prefix. */
    public record Filter(String subject, String actor, String type, Long from, Long to) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /** Entries after {@code afterSeq}, oldest first: the cursor is the last sequence number seen. */
    public List<AuditEntryEntity> page(String realmId, Filter filter, long afterSeq, int limit) {
        return page(realmId, filter, afterSeq, limit, null, false);
    }

    /** The newest entry that matches and whose details contain {@code fragment}. */
    public Optional<AuditEntryEntity> newestContaining(String realmId, String subject, String type, String fragment) {
        return em.createQuery(
                        "select e from AuditEntryEntity e where e.realmId = :realm and e.subject = :subject"
                                + " and e.type = :type and e.details like :fragment order by e.seq desc",
                        AuditEntryEntity.class)
                .setParameter("realm", realmId)
                .setParameter("subject", subject)
                .setParameter("type", type)
                .setParameter(
                        "fragment",
                        "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    /** The newest entries that match, newest first. */
    public List<AuditEntryEntity> newest(String realmId, Filter filter, int limit) {
        return page(realmId, filter, 0, limit, null, true);
    }

    private List<AuditEntryEntity> page(
            String realmId, Filter filter, long afterSeq, int limit, Long upTo, boolean newestFirst) {
        List<String> conditions = new ArrayList<>(List.of("e.realmId = :realm", "e.seq > :after"));
        if (upTo != null) {
            conditions.add("e.seq <= :upTo");
        }
        if (filter.subject() != null) {
            conditions.add("e.subject = :subject");
        }
        if (filter.actor() != null) {
            conditions.add("e.actor = :actor");
        }
        if (filter.type() != null) {
            conditions.add(filter.type().endsWith("*") ? "e.type like :type" : "e.type = :type");
        }
        if (filter.from() != null) {
            conditions.add("e.at >= :from");
        }
        if (filter.to() != null) {
            conditions.add("e.at < :to");
        }
        TypedQuery<AuditEntryEntity> query = em.createQuery(
                "select e from AuditEntryEntity e where " + String.join(" and ", conditions) + " order by e.seq"
                        + (newestFirst ? " desc" : ""),
                AuditEntryEntity.class);
        query.setParameter("realm", realmId).setParameter("after", afterSeq);
        if (upTo != null) {
            query.setParameter("upTo", upTo);
        }
        if (filter.subject() != null) {
            query.setParameter("subject", filter.subject());
        }
        if (filter.actor() != null) {
            query.setParameter("actor", filter.actor());
        }
        if (filter.type() != null) {
            String type = filter.type();
            query.setParameter(
                    "type",
                    type.endsWith("*")
                            ? type.substring(0, type.length() - 1)
                                            .replace("\\", "\\\\")
                                            .replace("%", "\\%")
                                            .replace("_", "\\_")
                                    + "%"
                            : type);
        }
        if (filter.from() != null) {
            query.setParameter("from", filter.from());
        }
        if (filter.to() != null) {
            query.setParameter("to", filter.to());
        }
        return (limit == Integer.MAX_VALUE ? query : query.setMaxResults(limit)).getResultList();
    }

    /**
     * Entries with sequence numbers in [from, to]: an index range scan on every database, which a
     * long walk over the chain needs (a "next N after" query can degrade to a sort on some).
     */
    public List<AuditEntryEntity> range(String realmId, Filter filter, long from, long to) {
        return page(realmId, filter, from - 1, Integer.MAX_VALUE, to, false);
    }

    public Optional<Long> lastSeq(String realmId) {
        return Optional.ofNullable(
                em.createQuery("select max(e.seq) from AuditEntryEntity e where e.realmId = :realm", Long.class)
                        .setParameter("realm", realmId)
                        .getSingleResult());
    }

    /** The realm's chain head as last committed (no lock: verification only reads). */
    public Optional<AuditHeadEntity> head(String realmId) {
        return Optional.ofNullable(em.find(AuditHeadEntity.class, realmId));
    }

    public Optional<AuditEntryEntity> bySeq(String realmId, long seq) {
        return em.createQuery(
                        "select e from AuditEntryEntity e where e.realmId = :realm and e.seq = :seq",
                        AuditEntryEntity.class)
                .setParameter("realm", realmId)
                .setParameter("seq", seq)
                .getResultStream()
                .findFirst();
    }

    public Optional<Long> firstSeq(String realmId) {
        return Optional.ofNullable(
                em.createQuery("select min(e.seq) from AuditEntryEntity e where e.realmId = :realm", Long.class)
                        .setParameter("realm", realmId)
                        .getSingleResult());
    }

    public List<AuditEntryEntity> checkpoints(String realmId) {
        return em.createQuery(
                        "select e from AuditEntryEntity e where e.realmId = :realm and e.type = :type order by e.seq",
                        AuditEntryEntity.class)
                .setParameter("realm", realmId)
                .setParameter("type", AuditRetention.CHECKPOINT_TYPE)
                .getResultList();
    }

    /** Lets a long walk over the chain run in constant memory. */
    public void forget() {
        em.clear();
    }

    public void deleteRealm(String realmId) {
        em.createQuery("delete from AuditEntryEntity e where e.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
        em.createQuery("delete from AuditHeadEntity h where h.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
    }
}

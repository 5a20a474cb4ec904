package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.Stage;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Database access for onboarding cases. Every query is scoped to one realm and backed by an index. */
public final class CaseStore {

    private final EntityManager em;

    public CaseStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public Optional<OnboardingCaseEntity> findByUser(String realmId, String userId) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.userId = :user",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("user", userId)
                .getResultStream()
                .findFirst();
    }

    public Optional<OnboardingCaseEntity> findById(String realmId, String caseId) {
        OnboardingCaseEntity found = em.find(OnboardingCaseEntity.class, caseId);
        return found != null && found.getRealmId().equals(realmId) ? Optional.of(found) : Optional.empty();
    }

    /**
     * Filter for listing cases; null fields do not filter. {@code path}: how the hire arrived;
     * {@code deadlineBefore}: cases still in onboarding whose deadline comes before it; {@code search}:
     * a lower-case fragment of the hire's username, email or names.
     */
    public record Filter(
            Stage stage, String sponsorId, Boolean overdue, String path, Long deadlineBefore, String search, long now) {

        public Filter(Stage stage, String sponsorId, Boolean overdue, long now) {
            this(stage, sponsorId, overdue, null, null, null, now);
        }
    }

    public List<OnboardingCaseEntity> list(String realmId, Filter filter, int first, int max) {
        TypedQuery<OnboardingCaseEntity> query = em.createQuery(
                "select c from OnboardingCaseEntity c" + where(filter) + " order by c.createdAt desc, c.id",
                OnboardingCaseEntity.class);
        bind(query, realmId, filter);
        return query.setFirstResult(first).setMaxResults(max).getResultList();
    }

    public long count(String realmId, Filter filter) {
        TypedQuery<Long> query =
                em.createQuery("select count(c) from OnboardingCaseEntity c" + where(filter), Long.class);
        bind(query, realmId, filter);
        return query.getSingleResult();
    }

    /** Stages of an open case: waiting for verification, in recovery, or suspended (not verified, not closed). */
    public static final List<Stage> OPEN_STAGES =
            List.of(Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED, Stage.RECOVERY, Stage.SUSPENDED);

    /** Open cases, oldest first. */
    public List<OnboardingCaseEntity> notVerified(String realmId) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.stage in :stages"
                                + " order by c.createdAt, c.id",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("stages", OPEN_STAGES)
                .getResultList();
    }

    /** Cases a verifier can act on (probation, document verified, recovery), nearest deadline first. */
    public List<OnboardingCaseEntity> awaitingVerification(String realmId, int first, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.stage in :stages"
                                + " order by c.deadline, c.id",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("stages", List.of(Stage.PROBATION, Stage.DOCUMENT_VERIFIED, Stage.RECOVERY))
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultList();
    }

    /**
     * Other cases of a realm shipping to the building with this key that are still open or were
     * opened since {@code since}; at most {@code max}.
     */
    public List<OnboardingCaseEntity> sharingShippingAddress(
            String realmId, String shippingKey, String exceptCaseId, long since, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.shippingKey = :key"
                                + " and c.id <> :except and (c.stage in :open or c.createdAt >= :since)"
                                + " order by c.createdAt, c.id",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("key", shippingKey)
                .setParameter("except", exceptCaseId)
                .setParameter("open", List.of(Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED))
                .setParameter("since", since)
                .setMaxResults(max)
                .getResultList();
    }

    /** Other cases of a realm this user sponsors, newest first; at most {@code max}. */
    public List<OnboardingCaseEntity> sponsoredBy(String realmId, String sponsorId, String exceptCaseId, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.sponsorId = :sponsor"
                                + " and c.id <> :except order by c.createdAt desc, c.id",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("sponsor", sponsorId)
                .setParameter("except", exceptCaseId)
                .setMaxResults(max)
                .getResultList();
    }

    /** Verified cases of a realm whose next verification is not worked out yet. */
    public List<OnboardingCaseEntity> reverificationUnscheduled(String realmId, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.stage = :stage"
                                + " and c.reverifyDueAt is null order by c.id",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("stage", Stage.VERIFIED)
                .setMaxResults(max)
                .getResultList();
    }

    /** Verified cases of a realm due to be verified again by {@code until}, soonest first. */
    public List<OnboardingCaseEntity> reverificationDue(String realmId, long until, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.stage = :stage"
                                + " and c.reverifyDueAt > 0 and c.reverifyDueAt <= :until order by c.reverifyDueAt, c.id",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("stage", Stage.VERIFIED)
                .setParameter("until", until)
                .setMaxResults(max)
                .getResultList();
    }

    /** After the realm's cadence changed: every verified case's next verification is worked out again. */
    public int unscheduleReverifications(String realmId) {
        return em.createQuery("update OnboardingCaseEntity c set c.reverifyDueAt = null, c.remindedDays = null"
                        + " where c.realmId = :realm and c.stage = :stage")
                .setParameter("realm", realmId)
                .setParameter("stage", Stage.VERIFIED)
                .executeUpdate();
    }

    /** Cases of a realm this user sponsors that wait for the identity step (probation or document verified). */
    public List<OnboardingCaseEntity> awaitingIdentityOfSponsor(String realmId, String sponsorId, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.sponsorId = :sponsor"
                                + " and c.stage in :stages order by c.deadline, c.id",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("sponsor", sponsorId)
                .setParameter("stages", List.of(Stage.PROBATION, Stage.DOCUMENT_VERIFIED))
                .setMaxResults(max)
                .getResultList();
    }

    /** Per realm id and stage: how many cases are in it. */
    public Map<String, Map<String, Long>> countsByRealmAndStage() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        em.createQuery(
                        "select c.realmId, c.stage, count(c) from OnboardingCaseEntity c group by c.realmId, c.stage",
                        Object[].class)
                .getResultList()
                .forEach(row -> counts.computeIfAbsent((String) row[0], realm -> new TreeMap<>())
                        .put(((Enum<?>) row[1]).name(), ((Number) row[2]).longValue()));
        return counts;
    }

    /**
     * Open cases whose user has no row any more: Keycloak removed the user without the per-user event
     * the listener handles deletions on (a user federation's imported users, removed in bulk). Users of
     * a federation that does not import ({@code f:} ids) never have a row and are not orphans.
     *
     * @param realmId one realm, or null for all
     */
    public List<OnboardingCaseEntity> orphaned(String realmId, int max) {
        TypedQuery<OnboardingCaseEntity> query = em.createQuery(
                "select c from OnboardingCaseEntity c where c.stage in :stages and "
                        + (realmId == null ? "" : "c.realmId = :realm and ")
                        + "c.userId not like 'f:%' and not exists (select u.id from UserEntity u where u.id = c.userId) order by c.createdAt",
                OnboardingCaseEntity.class);
        if (realmId != null) {
            query.setParameter("realm", realmId);
        }
        return query.setParameter("stages", OPEN_STAGES).setMaxResults(max).getResultList();
    }

    /** Cases whose user a user federation provider imported (the user's federation link names it). */
    public List<OnboardingCaseEntity> ofFederation(String realmId, String componentId) {
        // Imported users name the provider in their row; users of a federation that does not import carry
        // it in their id ("f:<provider>:<external id>"); the case keeps the link it was opened with.
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and (c.federationLink = :component"
                                + " or c.userId like :storageIds"
                                + " or c.userId in (select u.id from UserEntity u where u.federationLink = :component))",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("component", componentId)
                .setParameter("storageIds", "f:" + componentId + ":%")
                .getResultList();
    }

    /** Cases in a stage that can expire whose deadline has passed, across all realms, oldest first. */
    public List<OnboardingCaseEntity> overdue(long now, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.stage in :stages and c.deadline < :now"
                                + " order by c.deadline",
                        OnboardingCaseEntity.class)
                .setParameter("stages", List.of(Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED))
                .setParameter("now", now)
                .setMaxResults(max)
                .getResultList();
    }

    /**
     * Cases of a realm still in onboarding whose deadline is at most {@code days} away and who have
     * not had the reminder {@code days} before it (or a later one), nearest deadline first.
     */
    public List<OnboardingCaseEntity> dueForReminder(String realmId, long now, int days, int max) {
        return em.createQuery(
                        "select c from OnboardingCaseEntity c where c.realmId = :realm and c.stage in :stages"
                                + " and c.deadline >= :now and c.deadline <= :until"
                                + " and (c.remindedDays is null or c.remindedDays > :days) order by c.deadline",
                        OnboardingCaseEntity.class)
                .setParameter("realm", realmId)
                .setParameter("stages", List.of(Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED))
                .setParameter("now", now)
                .setParameter("until", now + java.time.Duration.ofDays(days).toMillis())
                .setParameter("days", days)
                .setMaxResults(max)
                .getResultList();
    }

    /**
     * Counts a change of the case's children (a released grant) as a change of the case, now: the row is
     * locked and its version raised at once, so a concurrent change that committed first (or commits
     * while we wait for the lock) makes this fail here, not at commit.
     */
    public void touch(OnboardingCaseEntity onboardingCase) {
        try {
            em.lock(onboardingCase, jakarta.persistence.LockModeType.PESSIMISTIC_FORCE_INCREMENT);
        } catch (OptimisticLockException
                | jakarta.persistence.PessimisticLockException
                | jakarta.persistence.LockTimeoutException e) {
            throw new ConcurrentCaseChangeException(e);
        }
    }

    public void persist(Object entity) {
        em.persist(entity);
    }

    /**
     * Writes pending changes now, so a concurrent change of the same case surfaces here rather
     * than as a server error at commit.
     */
    public void flush() {
        try {
            em.flush();
        } catch (OptimisticLockException e) {
            throw new ConcurrentCaseChangeException(e);
        }
    }

    /** Someone else changed the case between our read and our write. */
    public static final class ConcurrentCaseChangeException extends RuntimeException {
        ConcurrentCaseChangeException(Throwable cause) {
            super("The onboarding case was changed by another request at the same time", cause);
        }
    }

    /** Removes every case of a realm with its grants and history; other records go with their own stores. */
    public void deleteRealm(String realmId) {
        em.createQuery("delete from DeferredGrantEntity g where g.onboardingCase.id in "
                        + "(select c.id from OnboardingCaseEntity c where c.realmId = :realm)")
                .setParameter("realm", realmId)
                .executeUpdate();
        em.createQuery("delete from StageChangeEntity h where h.onboardingCase.id in "
                        + "(select c.id from OnboardingCaseEntity c where c.realmId = :realm)")
                .setParameter("realm", realmId)
                .executeUpdate();
        em.createQuery("delete from OnboardingCaseEntity c where c.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
    }

    public void delete(OnboardingCaseEntity onboardingCase) {
        em.remove(onboardingCase);
    }

    private static String where(Filter filter) {
        List<String> conditions = new ArrayList<>();
        conditions.add("c.realmId = :realm");
        if (filter.stage() != null) {
            conditions.add("c.stage = :stage");
        }
        if (filter.sponsorId() != null) {
            conditions.add("c.sponsorId = :sponsor");
        }
        if (Boolean.TRUE.equals(filter.overdue())) {
            conditions.add("c.stage in :pending and c.deadline < :now");
        } else if (Boolean.FALSE.equals(filter.overdue())) {
            conditions.add("not (c.stage in :pending and c.deadline < :now)");
        }
        if (filter.path() != null) {
            conditions.add("c.path = :path");
        }
        if (filter.deadlineBefore() != null) {
            conditions.add("c.stage in :pending and c.deadline < :deadlineBefore");
        }
        if (filter.search() != null) {
            conditions.add("c.userId in (select u.id from UserEntity u where u.realmId = :realm and (u.username like"
                    + " :search escape '!' or lower(u.email) like :search escape '!' or lower(u.firstName) like :search"
                    + " escape '!' or lower(u.lastName) like :search escape '!'))");
        }
        return " where " + String.join(" and ", conditions);
    }

    private static void bind(TypedQuery<?> query, String realmId, Filter filter) {
        query.setParameter("realm", realmId);
        if (filter.stage() != null) {
            query.setParameter("stage", filter.stage());
        }
        if (filter.sponsorId() != null) {
            query.setParameter("sponsor", filter.sponsorId());
        }
        if (filter.overdue() != null || filter.deadlineBefore() != null) {
            query.setParameter("pending", List.of(Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED));
        }
        if (filter.overdue() != null) {
            query.setParameter("now", filter.now());
        }
        if (filter.path() != null) {
            query.setParameter("path", filter.path());
        }
        if (filter.deadlineBefore() != null) {
            query.setParameter("deadlineBefore", filter.deadlineBefore());
        }
        if (filter.search() != null) {
            query.setParameter("search", "%" + escapeLike(filter.search()) + "%");
        }
    }

    /** The searched text taken literally in a LIKE pattern ('!' is the escape character). */
    private static String escapeLike(String text) {
        // '[' is a wildcard on SQL Server.
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace("[", "![");
    }
}

package io.github.onboardingguard.keycloak.verification;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Database access for ceremonies and verification records, always scoped to one realm. */
public final class CeremonyStore {

    private final EntityManager em;

    public CeremonyStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    Optional<CeremonyEntity> findById(String realmId, String ceremonyId) {
        CeremonyEntity found = em.find(CeremonyEntity.class, ceremonyId);
        return found != null && found.getRealmId().equals(realmId) ? Optional.of(found) : Optional.empty();
    }

    /** The newest ceremony of the case that is still open; a case has at most one. */
    Optional<CeremonyEntity> openForCase(String caseId, long now) {
        return em.createQuery(
                        "select c from CeremonyEntity c where c.caseId = :case and c.status = :open"
                                + " and c.expiresAt > :now order by c.openedAt desc",
                        CeremonyEntity.class)
                .setParameter("case", caseId)
                .setParameter("open", CeremonyEntity.Status.OPEN)
                .setParameter("now", now)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    List<CeremonyEntity> allOpenForCase(String caseId) {
        return em.createQuery(
                        "select c from CeremonyEntity c where c.caseId = :case and c.status = :open",
                        CeremonyEntity.class)
                .setParameter("case", caseId)
                .setParameter("open", CeremonyEntity.Status.OPEN)
                .getResultList();
    }

    List<CeremonyEntity> ceremoniesOf(String realmId, String caseId) {
        return em.createQuery(
                        "select c from CeremonyEntity c where c.realmId = :realm and c.caseId = :case"
                                + " order by c.openedAt, c.id",
                        CeremonyEntity.class)
                .setParameter("realm", realmId)
                .setParameter("case", caseId)
                .getResultList();
    }

    List<VerificationEntity> verificationsOf(String realmId, String caseId) {
        return em.createQuery(
                        "select v from VerificationEntity v where v.realmId = :realm and v.caseId = :case"
                                + " order by v.at, v.id",
                        VerificationEntity.class)
                .setParameter("realm", realmId)
                .setParameter("case", caseId)
                .getResultList();
    }

    /**
     * Counts a wrong code atomically in the database, so parallel guesses cannot share an attempt;
     * the version bump makes a concurrent approval of the same ceremony fail instead of winning.
     *
     * @return the attempts counted so far
     */
    int countFailedAttempt(String ceremonyId) {
        em.createQuery("update CeremonyEntity c set c.failedAttempts = c.failedAttempts + 1, c.version = c.version + 1"
                        + " where c.id = :id")
                .setParameter("id", ceremonyId)
                .executeUpdate();
        return em.createQuery("select c.failedAttempts from CeremonyEntity c where c.id = :id", Integer.class)
                .setParameter("id", ceremonyId)
                .getSingleResult();
    }

    /** @return true for the one request that moved the ceremony from OPEN to LOCKED */
    boolean lock(String ceremonyId, long now) {
        return em.createQuery(
                                "update CeremonyEntity c set c.status = :locked, c.closedAt = :now, c.version = c.version + 1"
                                        + " where c.id = :id and c.status = :open")
                        .setParameter("locked", CeremonyEntity.Status.LOCKED)
                        .setParameter("open", CeremonyEntity.Status.OPEN)
                        .setParameter("now", now)
                        .setParameter("id", ceremonyId)
                        .executeUpdate()
                == 1;
    }

    void persist(Object entity) {
        em.persist(entity);
    }

    public void deleteRealm(String realmId) {
        em.createQuery("delete from CeremonyEntity c where c.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
        em.createQuery("delete from VerificationEntity v where v.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
    }
}

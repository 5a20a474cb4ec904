package io.github.onboardingguard.keycloak.risk;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.UUID;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Where monitored users log in from, for the country and laptop-farm rules. Every query is
 * scoped to a realm and a time window and backed by an index.
 */
public final class LoginTraces {

    private final EntityManager em;

    public LoginTraces(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    void record(String realmId, String userId, String kind, String prefix, String country, long at) {
        LoginTraceEntity trace = new LoginTraceEntity();
        trace.setId(UUID.randomUUID().toString());
        trace.setRealmId(realmId);
        trace.setUserId(userId);
        trace.setAt(at);
        trace.setKind(kind);
        trace.setAddressPrefix(prefix);
        trace.setCountry(country);
        em.persist(trace);
        // Written now, so the rule queries that follow in this event see it.
        em.flush();
    }

    /** A successful login from this network and country since {@code since}? */
    boolean seenSince(String realmId, String userId, String prefix, String country, long since) {
        TypedQuery<String> query = em.createQuery(
                        "select t.id from LoginTraceEntity t where t.realmId = :realm"
                                + " and t.userId = :user and t.kind = :kind and t.at >= :since"
                                + (prefix == null ? " and t.addressPrefix is null" : " and t.addressPrefix = :prefix")
                                + (country == null ? " and t.country is null" : " and t.country = :country"),
                        String.class)
                .setParameter("realm", realmId)
                .setParameter("user", userId)
                .setParameter("kind", LoginTraceEntity.SUCCESS)
                .setParameter("since", since);
        if (prefix != null) {
            query.setParameter("prefix", prefix);
        }
        if (country != null) {
            query.setParameter("country", country);
        }
        return !query.setMaxResults(1).getResultList().isEmpty();
    }

    /** Countries the user logged in from since {@code since}. */
    List<String> countriesSince(String realmId, String userId, long since) {
        return em.createQuery(
                        "select distinct t.country from LoginTraceEntity t where t.realmId = :realm"
                                + " and t.userId = :user and t.kind = :kind and t.at >= :since and t.country is not null",
                        String.class)
                .setParameter("realm", realmId)
                .setParameter("user", userId)
                .setParameter("kind", LoginTraceEntity.SUCCESS)
                .setParameter("since", since)
                .getResultList();
    }

    /** Users of the realm who logged in from this network since {@code since}. */
    List<String> usersAtSince(String realmId, String prefix, long since) {
        return em.createQuery(
                        "select distinct t.userId from LoginTraceEntity t where t.realmId = :realm"
                                + " and t.addressPrefix = :prefix and t.kind = :kind and t.at >= :since",
                        String.class)
                .setParameter("realm", realmId)
                .setParameter("prefix", prefix)
                .setParameter("kind", LoginTraceEntity.SUCCESS)
                .setParameter("since", since)
                .getResultList();
    }

    /** Some users who signed in from this network at any time traces are kept; at most {@code max}. */
    List<String> usersAt(String realmId, String prefix, int max) {
        return em.createQuery(
                        "select distinct t.userId from LoginTraceEntity t where t.realmId = :realm"
                                + " and t.addressPrefix = :prefix and t.kind = :kind",
                        String.class)
                .setParameter("realm", realmId)
                .setParameter("prefix", prefix)
                .setParameter("kind", LoginTraceEntity.SUCCESS)
                .setMaxResults(max)
                .getResultList();
    }

    /** The networks the user signed in from, as far back as traces are kept. */
    List<String> prefixesOf(String realmId, String userId, int max) {
        return em.createQuery(
                        "select distinct t.addressPrefix from LoginTraceEntity t where t.realmId = :realm"
                                + " and t.userId = :user and t.kind = :kind and t.addressPrefix is not null",
                        String.class)
                .setParameter("realm", realmId)
                .setParameter("user", userId)
                .setParameter("kind", LoginTraceEntity.SUCCESS)
                .setMaxResults(max)
                .getResultList();
    }

    long failuresSince(String realmId, String userId, long since) {
        return em.createQuery(
                        "select count(t) from LoginTraceEntity t where t.realmId = :realm and t.userId = :user"
                                + " and t.kind = :kind and t.at >= :since",
                        Long.class)
                .setParameter("realm", realmId)
                .setParameter("user", userId)
                .setParameter("kind", LoginTraceEntity.FAILURE)
                .setParameter("since", since)
                .getSingleResult();
    }

    /** @return how many traces older than the cutoff were removed, across all realms */
    int pruneBefore(long cutoff) {
        return em.createQuery("delete from LoginTraceEntity t where t.at < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate();
    }

    public void deleteRealm(String realmId) {
        em.createQuery("delete from LoginTraceEntity t where t.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
    }
}

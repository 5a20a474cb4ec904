package io.github.onboardingguard.keycloak.webhooks;

import io.github.onboardingguard.audit.CanonicalJson;
import io.github.onboardingguard.keycloak.support.BoundedJson;
import io.github.onboardingguard.webhooks.WebhookSubscription;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Queues webhook events in the current transaction, one copy per subscription that takes the event's
 * type; {@link WebhookDeliveryTask} sends them.
 */
public final class WebhookOutbox {

    /** Tie-breaker for alerts created in the same millisecond on this node. */
    private static final AtomicLong ORDINAL = new AtomicLong();

    private final EntityManager em;

    public WebhookOutbox(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** The body follows the Standard Webhooks shape: {@code type}, {@code timestamp}, {@code data}. */
    private static final int ENVELOPE = 200;

    /** Queues the event for every subscription of the realm whose filter takes its type. */
    public static void publish(KeycloakSession session, RealmModel realm, String type, Map<String, Object> data) {
        WebhookOutbox outbox = null;
        for (WebhookSubscription subscription : WebhookSubscriptions.of(session, realm)) {
            if (subscription.filter().matches(type)) {
                outbox = outbox == null ? new WebhookOutbox(session) : outbox;
                outbox.enqueue(realm.getId(), subscription.id(), type, data);
            }
        }
    }

    public OutboxEntity enqueue(String realmId, String subscriptionId, String type, Map<String, Object> data) {
        long now = System.currentTimeMillis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", Instant.ofEpochMilli(now).toString());
        // The envelope is small; the data gets the rest of the column.
        body.put("data", BoundedJson.shrink(data, BoundedJson.COLUMN - ENVELOPE));
        OutboxEntity entry = new OutboxEntity();
        entry.setId("msg_" + UUID.randomUUID().toString().replace("-", ""));
        entry.setRealmId(realmId);
        entry.setSubscriptionId(subscriptionId);
        entry.setCreatedAt(now);
        entry.setOrdinal(ORDINAL.incrementAndGet());
        entry.setEventType(type);
        entry.setPayload(CanonicalJson.write(body));
        entry.setStatus(OutboxEntity.Status.PENDING);
        entry.setNextAttemptAt(now);
        em.persist(entry);
        return entry;
    }

    public List<OutboxEntity> recent(String realmId, int max) {
        return em.createQuery(
                        "select o from OutboxEntity o where o.realmId = :realm order by o.createdAt desc, o.ordinal desc",
                        OutboxEntity.class)
                .setParameter("realm", realmId)
                .setMaxResults(max)
                .getResultList();
    }

    /** One subscription's queue. */
    record Queue(String realmId, String subscriptionId) {}

    /** Per realm id: how many messages wait for delivery and when the oldest was queued. */
    public Map<String, long[]> backlog() {
        Map<String, long[]> byRealm = new LinkedHashMap<>();
        em.createQuery(
                        "select o.realmId, count(o), min(o.createdAt) from OutboxEntity o where o.status = :pending"
                                + " group by o.realmId",
                        Object[].class)
                .setParameter("pending", OutboxEntity.Status.PENDING)
                .getResultList()
                .forEach(row -> byRealm.put(
                        (String) row[0], new long[] {((Number) row[1]).longValue(), ((Number) row[2]).longValue()}));
        return byRealm;
    }

    /** Queues with an alert due now. */
    List<Queue> queuesDue(long now) {
        return em
                .createQuery(
                        "select distinct o.realmId, o.subscriptionId from OutboxEntity o"
                                + " where o.status = :pending and o.nextAttemptAt <= :now",
                        Object[].class)
                .setParameter("pending", OutboxEntity.Status.PENDING)
                .setParameter("now", now)
                .getResultList()
                .stream()
                .map(row -> new Queue((String) row[0], (String) row[1]))
                .toList();
    }

    /** The ids of a queue's undelivered alerts, oldest first: delivery never overtakes an earlier alert. */
    List<String> pendingIds(Queue queue, int max) {
        return em.createQuery(
                        "select o.id from OutboxEntity o where o.realmId = :realm and o.subscriptionId = :subscription"
                                + " and o.status = :pending order by o.createdAt, o.ordinal",
                        String.class)
                .setParameter("realm", queue.realmId())
                .setParameter("subscription", queue.subscriptionId())
                .setParameter("pending", OutboxEntity.Status.PENDING)
                .setMaxResults(max)
                .getResultList();
    }

    /** Settles a queue whose receiver was removed: its alerts stay listed as DEAD, and can be retried. */
    int abandon(Queue queue, long now) {
        return em.createQuery("update OutboxEntity o set o.status = :dead, o.lastError = :error, o.nextAttemptAt = :now"
                        + " where o.realmId = :realm and o.subscriptionId = :subscription and o.status = :pending")
                .setParameter("dead", OutboxEntity.Status.DEAD)
                .setParameter("error", "receiver removed")
                .setParameter("now", now)
                .setParameter("realm", queue.realmId())
                .setParameter("subscription", queue.subscriptionId())
                .setParameter("pending", OutboxEntity.Status.PENDING)
                .executeUpdate();
    }

    /**
     * Takes an alert that is due and held by no other node, in one conditional update, so of two
     * nodes that try at once exactly one succeeds. The caller sends it, then records the outcome.
     */
    boolean claim(String id, long now, long until) {
        return em.createQuery(
                                "update OutboxEntity o set o.claimedUntil = :until where o.id = :id and o.status = :pending"
                                        + " and o.nextAttemptAt <= :now and (o.claimedUntil is null or o.claimedUntil < :now)")
                        .setParameter("until", until)
                        .setParameter("id", id)
                        .setParameter("pending", OutboxEntity.Status.PENDING)
                        .setParameter("now", now)
                        .executeUpdate()
                == 1;
    }

    /** Delivered alerts are kept this long for the delivery status; the audit trail keeps the signal itself. */
    static final Duration KEEP_DELIVERED = Duration.ofDays(30);
    /** Dead-lettered alerts wait this long for an admin's retry. */
    static final Duration KEEP_DEAD = Duration.ofDays(180);

    /**
     * Removes settled alerts (they carry addresses and evidence) once they are old enough; returns how
     * many. {@code realmId} null: every realm's.
     */
    public int prune(String realmId, long now) {
        String realm = realmId == null ? "" : " and o.realmId = :realm";
        var delivered = em.createQuery(
                        "delete from OutboxEntity o where o.status = :delivered and o.deliveredAt < :cutoff" + realm)
                .setParameter("delivered", OutboxEntity.Status.DELIVERED)
                .setParameter("cutoff", now - KEEP_DELIVERED.toMillis());
        var dead = em.createQuery("delete from OutboxEntity o where o.status = :dead and o.createdAt < :cutoff" + realm)
                .setParameter("dead", OutboxEntity.Status.DEAD)
                .setParameter("cutoff", now - KEEP_DEAD.toMillis());
        if (realmId != null) {
            delivered.setParameter("realm", realmId);
            dead.setParameter("realm", realmId);
        }
        return delivered.executeUpdate() + dead.executeUpdate();
    }

    /** One of the realm's alerts, if it is one. */
    public Optional<OutboxEntity> find(String realmId, String id) {
        OutboxEntity alert = id == null ? null : em.find(OutboxEntity.class, id);
        return alert != null && alert.getRealmId().equals(realmId) ? Optional.of(alert) : Optional.empty();
    }

    public void deleteRealm(String realmId) {
        em.createQuery("delete from OutboxEntity o where o.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
    }
}

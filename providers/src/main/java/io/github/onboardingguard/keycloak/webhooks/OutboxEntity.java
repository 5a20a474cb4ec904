package io.github.onboardingguard.keycloak.webhooks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A webhook alert waiting to be delivered, written in the transaction that raised it. The delivery
 * task sends a realm's alerts strictly in order and retries with backoff until the receiver takes them.
 */
@Entity
@Table(name = "OG_OUTBOX")
public class OutboxEntity {

    /** DEAD: refused for good by the receiver, given up after the last attempt, or skipped by an admin. */
    public enum Status {
        PENDING,
        DELIVERED,
        DEAD
    }

    /** Also the {@code webhook-id}, stable across retries so receivers can drop duplicates. */
    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    /** Orders alerts created in the same millisecond. */
    @Column(name = "ORDINAL", nullable = false)
    private long ordinal;

    @Column(name = "EVENT_TYPE", nullable = false, length = 64)
    private String eventType;

    @Column(name = "PAYLOAD", nullable = false, length = 4000)
    private String payload;

    @Column(name = "STATUS", nullable = false, length = 16)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private Status status;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "NEXT_ATTEMPT_AT", nullable = false)
    private long nextAttemptAt;

    @Column(name = "LAST_ERROR", length = 255)
    private String lastError;

    @Column(name = "DELIVERED_AT")
    private Long deliveredAt;

    /** Until when a node sending this alert holds it; others leave it alone until then. */
    @Column(name = "CLAIMED_UNTIL")
    private Long claimedUntil;

    /** The subscription this copy of the event is for; each subscription's queue is sent in order. */
    @Column(name = "SUBSCRIPTION_ID", nullable = false, length = 36)
    private String subscriptionId;

    public String getSubscriptionId() {
        return subscriptionId;
    }

    public void setSubscriptionId(String subscriptionId) {
        this.subscriptionId = subscriptionId;
    }

    public Long getClaimedUntil() {
        return claimedUntil;
    }

    public void setClaimedUntil(Long claimedUntil) {
        this.claimedUntil = claimedUntil;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getOrdinal() {
        return ordinal;
    }

    public void setOrdinal(long ordinal) {
        this.ordinal = ordinal;
    }

    public String getEventType() {
        return eventType;
    }

    public void setEventType(String eventType) {
        this.eventType = eventType;
    }

    public String getPayload() {
        return payload;
    }

    public void setPayload(String payload) {
        this.payload = payload;
    }

    public Status getStatus() {
        return status;
    }

    public void setStatus(Status status) {
        this.status = status;
    }

    public int getAttempts() {
        return attempts;
    }

    public void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    public long getNextAttemptAt() {
        return nextAttemptAt;
    }

    public void setNextAttemptAt(long nextAttemptAt) {
        this.nextAttemptAt = nextAttemptAt;
    }

    public String getLastError() {
        return lastError;
    }

    public void setLastError(String lastError) {
        this.lastError = lastError;
    }

    public Long getDeliveredAt() {
        return deliveredAt;
    }

    public void setDeliveredAt(Long deliveredAt) {
        this.deliveredAt = deliveredAt;
    }
}

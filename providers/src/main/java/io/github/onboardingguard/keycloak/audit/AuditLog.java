package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.audit.AuditChain;
import io.github.onboardingguard.keycloak.support.BoundedJson;
import io.github.onboardingguard.keycloak.support.ServerOptions;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Appends to a realm's audit chain in the same transaction as the change being recorded. Entries
 * are collected during the request and written just before it commits, so the chain's lock is
 * held only for that moment, and a rolled-back change leaves no entry behind.
 */
public final class AuditLog {

    /** User ids (up to 255 characters for a federation without import) and system actor names. */
    static final int MAX_ID = 255;

    public static final int MAX_DETAILS = BoundedJson.COLUMN;
    private static final String PENDING = "onboarding-guard.audit.pending";
    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private AuditLog() {}

    /** @param realmName only while the log stream is on: looked up now, as the realm cannot be read during commit */
    private record Pending(
            String realmId, String realmName, long at, String actor, String subject, String type, String details) {}

    /** A transaction's entries, and whether the operator has them copied to the log stream once committed. */
    private record Batch(List<Pending> entries, boolean streaming, List<String> streamLines) {}

    /**
     * For a refusal that rolls its request back: the entry is written in a transaction of its own, so
     * the attempt stays in the trail. A failure to write it is logged, not thrown: the refusal stands.
     */
    public static void appendApart(
            KeycloakSession session,
            String realmId,
            String actor,
            String subject,
            String type,
            Map<String, Object> details) {
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), tx -> {
                tx.getContext().setRealm(tx.realms().getRealm(realmId));
                append(tx, realmId, actor, subject, type, details);
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not record %s (actor %s, subject %s) in realm %s", type, actor, subject, realmId);
        }
    }

    /**
     * @param actor   user id, or an {@link Actors} name for the extension's own work
     * @param subject the user the entry is about (the hire), or null
     */
    public static void append(
            KeycloakSession session,
            String realmId,
            String actor,
            String subject,
            String type,
            Map<String, Object> details) {
        Batch batch = session.getAttribute(PENDING, Batch.class);
        if (batch == null) {
            batch = new Batch(new ArrayList<>(), ServerOptions.of(session).auditLogStream(), new ArrayList<>());
            session.setAttribute(PENDING, batch);
            Batch toWrite = batch;
            session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    session.removeAttribute(PENDING);
                    write(session, toWrite);
                }

                @Override
                protected void rollbackImpl() {
                    session.removeAttribute(PENDING);
                }
            });
            if (batch.streaming()) {
                session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                    @Override
                    protected void commitImpl() {
                        AuditLogStream.publish(toWrite.streamLines());
                    }

                    @Override
                    protected void rollbackImpl() {
                        // Nothing was written, so there is nothing to stream.
                    }
                });
            }
        }
        String realmName = null;
        if (batch.streaming()) {
            RealmModel realm = session.realms().getRealm(realmId);
            realmName = realm == null ? null : realm.getName();
        }
        batch.entries()
                .add(new Pending(
                        realmId,
                        realmName,
                        System.currentTimeMillis(),
                        actor == null ? "unknown" : truncate(actor, MAX_ID),
                        subject,
                        type,
                        fit(details)));
    }

    private static void write(KeycloakSession session, Batch batch) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Map<String, AuditHeadEntity> heads = new LinkedHashMap<>();
        for (Pending entry : batch.entries()) {
            AuditHeadEntity head = heads.computeIfAbsent(entry.realmId(), realmId -> lockHead(session, em, realmId));
            long seq = head.getLastSeq() + 1;
            AuditEntryEntity row = new AuditEntryEntity();
            row.setId(UUID.randomUUID().toString());
            row.setRealmId(entry.realmId());
            row.setSeq(seq);
            row.setAt(entry.at());
            row.setActor(entry.actor());
            row.setSubject(entry.subject());
            row.setType(entry.type());
            row.setDetails(entry.details());
            row.setPrevHash(head.getLastHash());
            row.setHash(AuditChain.hash(
                    head.getLastHash(),
                    entry.realmId(),
                    seq,
                    entry.at(),
                    entry.actor(),
                    entry.subject(),
                    entry.type(),
                    entry.details()));
            em.persist(row);
            head.setLastSeq(seq);
            head.setLastHash(row.getHash());
            if (batch.streaming()) {
                batch.streamLines().add(AuditExport.jsonLine(row, entry.realmName()));
            }
        }
        em.flush();
    }

    /** Locks the realm's chain head until commit, creating it the first time (in its own transaction). */
    static AuditHeadEntity lockHead(KeycloakSession session, EntityManager em, String realmId) {
        AuditHeadEntity head = em.find(AuditHeadEntity.class, realmId, LockModeType.PESSIMISTIC_WRITE);
        if (head != null) {
            return head;
        }
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), inner -> {
                EntityManager innerEm =
                        inner.getProvider(JpaConnectionProvider.class).getEntityManager();
                if (innerEm.find(AuditHeadEntity.class, realmId) == null) {
                    AuditHeadEntity created = new AuditHeadEntity();
                    created.setRealmId(realmId);
                    created.setLastSeq(0);
                    created.setLastHash(AuditChain.GENESIS);
                    innerEm.persist(created);
                }
            });
        } catch (RuntimeException concurrentlyCreated) {
            // Another writer created it first; the lock below waits for that writer.
        }
        return em.find(AuditHeadEntity.class, realmId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Details as canonical JSON, shortened to fit the column while staying valid JSON. */
    static String fit(Map<String, Object> details) {
        return BoundedJson.fit(details, MAX_DETAILS);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}

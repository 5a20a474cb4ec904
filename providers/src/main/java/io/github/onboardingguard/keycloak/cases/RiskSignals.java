package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.support.BoundedJson;
import io.github.onboardingguard.keycloak.support.OnboardingMetrics;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The case's log of risk signals: written by the risk rules and by ceremonies (a locked ceremony
 * is a signal too), in the current transaction, and read back per case.
 */
public final class RiskSignals {

    private static final Logger LOG = Logger.getLogger(RiskSignals.class);

    private final EntityManager em;

    private final KeycloakSession session;

    public RiskSignals(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public RiskSignalEntity record(
            String realmId, String caseId, String userId, String rule, String action, Map<String, Object> evidence) {
        RiskSignalEntity signal = new RiskSignalEntity();
        signal.setId(UUID.randomUUID().toString());
        signal.setRealmId(realmId);
        signal.setCaseId(caseId);
        signal.setUserId(userId);
        signal.setRule(rule);
        signal.setAction(action);
        signal.setAt(System.currentTimeMillis());
        signal.setEvidence(BoundedJson.fit(evidence, BoundedJson.COLUMN));
        em.persist(signal);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("signalId", signal.getId());
        details.put("caseId", caseId);
        details.put("rule", rule);
        details.put("action", action);
        details.put("evidence", evidence);
        AuditLog.append(session, realmId, Actors.RISK, userId, "risk.signal", details);
        LOG.warnf("Risk signal %s (action %s) for user %s, case %s", rule, action, userId, caseId);
        RealmModel realm = session.realms().getRealm(realmId);
        OnboardingMetrics.riskSignal(session, realm == null ? realmId : realm.getName(), rule, action);
        return signal;
    }

    public List<RiskSignalEntity> forCase(String realmId, String caseId) {
        return em.createQuery(
                        "select s from RiskSignalEntity s where s.realmId = :realm and s.caseId = :case"
                                + " order by s.at, s.id",
                        RiskSignalEntity.class)
                .setParameter("realm", realmId)
                .setParameter("case", caseId)
                .getResultList();
    }

    /** The user's signals of one rule since {@code since}, across their cases. */
    public List<RiskSignalEntity> recentOfUser(String realmId, String userId, String rule, long since) {
        return em.createQuery(
                        "select s from RiskSignalEntity s where s.realmId = :realm"
                                + " and s.userId = :user and s.rule = :rule and s.at >= :since",
                        RiskSignalEntity.class)
                .setParameter("realm", realmId)
                .setParameter("user", userId)
                .setParameter("rule", rule)
                .setParameter("since", since)
                .getResultList();
    }

    /** The user's newest signal of one rule recorded since {@code since}, across their cases. */
    public Optional<RiskSignalEntity> latestOfUser(String realmId, String userId, String rule, long since) {
        return em.createQuery(
                        "select s from RiskSignalEntity s where s.realmId = :realm"
                                + " and s.userId = :user and s.rule = :rule and s.at >= :since order by s.at desc",
                        RiskSignalEntity.class)
                .setParameter("realm", realmId)
                .setParameter("user", userId)
                .setParameter("rule", rule)
                .setParameter("since", since)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    /**
     * The rule fired again within the signal's window: counted on it, not recorded anew, so a flood
     * of events (wrong passwords, refused logins, repeated changes) costs one row and one audit entry.
     */
    public void repeat(RiskSignalEntity signal, long at) {
        signal.setRepeats(signal.getRepeats() + 1);
        signal.setLastAt(at);
    }

    public void deleteRealm(String realmId) {
        em.createQuery("delete from RiskSignalEntity s where s.realmId = :realm")
                .setParameter("realm", realmId)
                .executeUpdate();
    }
}

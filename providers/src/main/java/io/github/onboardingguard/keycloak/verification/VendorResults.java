package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.StoredJson;
import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/** Identity-verification vendors' results on cases: stored once per callback message, shown with the case. */
public final class VendorResults {

    private final EntityManager em;

    public VendorResults(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public boolean seen(String realmId, String vendor, String messageId) {
        return em.createQuery(
                                "select count(r) from VendorResultEntity r where r.realmId = :realm"
                                        + " and r.vendor = :vendor and r.messageId = :message",
                                Long.class)
                        .setParameter("realm", realmId)
                        .setParameter("vendor", vendor)
                        .setParameter("message", messageId)
                        .getSingleResult()
                > 0;
    }

    /** Persists and flushes, so a message recorded meanwhile by another request fails here (unique key). */
    public void record(VendorResultEntity result) {
        em.persist(result);
        em.flush();
    }

    public List<VendorResultEntity> ofCase(String realmId, String caseId) {
        return em.createQuery(
                        "select r from VendorResultEntity r where r.realmId = :realm and r.caseId = :case"
                                + " order by r.receivedAt, r.id",
                        VendorResultEntity.class)
                .setParameter("realm", realmId)
                .setParameter("case", caseId)
                .getResultList();
    }

    /** As verifiers, auditors and admins see a result. */
    public static Map<String, Object> view(VendorResultEntity result) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", result.getId());
        view.put("vendor", result.getVendor());
        view.put("messageId", result.getMessageId());
        view.put("status", result.getStatus());
        view.put("result", StoredJson.parse(result.getResult()));
        view.put(
                "stoodInFor",
                result.getStoodInFor() == null
                        ? List.of()
                        : Arrays.asList(result.getStoodInFor().split(",")));
        view.put("receivedAt", Instants.iso(result.getReceivedAt()));
        return view;
    }
}

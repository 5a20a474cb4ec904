package io.github.onboardingguard.keycloak.webhooks;

import io.github.onboardingguard.keycloak.policy.OnboardingPolicyPageFactory;
import io.github.onboardingguard.webhooks.WebhookEvents;
import io.github.onboardingguard.webhooks.WebhookSubscription;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.jpa.entities.ComponentEntity;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * Earlier versions had a second kind of receiver: the onboarding policy's own alert webhook (risk
 * alerts only, one secret). A realm whose policy still names one gets an equivalent subscription —
 * same URL, same secret, risk alerts only — its alerts waiting in the outbox move to it, and the
 * policy's two settings are cleared. Run at start for every realm (before the delivery task), when a
 * realm is imported and when a policy is created with them.
 *
 * <p>The URL is moved as it is, even where today's server rules would refuse it in a new
 * subscription (a host the operator no longer allows, plain http outside development mode): every
 * delivery checks those rules again, so such a receiver gets nothing, as it would have before, and
 * its refused alerts show why. A URL or secret that is not even well-formed (a database edit) has
 * nothing to move to: it is dropped, audited, and its queued alerts are dead-lettered.
 */
public final class PolicyReceiverMigration {

    /** What became of the policy's receiver. */
    public sealed interface Outcome permits Moved, Dropped {}

    /** It is now this subscription, with the alerts that waited for it. */
    public record Moved(String subscriptionId, String url, int queuedAlerts) implements Outcome {}

    /** It could not be a receiver at all. */
    public record Dropped(String url, List<String> problems) implements Outcome {}

    private static final String MOVING = "onboarding-guard.receiver-move";

    private PolicyReceiverMigration() {}

    /** Whether the realm's policy still names its former receiver. */
    public static boolean pending(RealmModel realm) {
        return policyOf(realm)
                .map(policy ->
                        !valueOf(policy, WebhookSubscription.FORMER_POLICY_URL).isEmpty())
                .orElse(false);
    }

    /** While a receiver moves: its URL is kept as it was stored, not checked against today's server rules. */
    static boolean moving(KeycloakSession session) {
        return Boolean.TRUE.equals(session.getAttribute(MOVING));
    }

    public static Optional<Outcome> migrate(KeycloakSession session, RealmModel realm) {
        Optional<ComponentModel> found = policyOf(realm);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ComponentModel policy = found.get();
        // The policy's row is the lock: a second node starting at the same moment waits here, then reads
        // the settings from the database (its realm cache may still show them) and finds them gone.
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        if (em.find(ComponentEntity.class, policy.getId(), LockModeType.PESSIMISTIC_WRITE) == null) {
            return Optional.empty();
        }
        String url = storedValue(em, policy.getId(), WebhookSubscription.FORMER_POLICY_URL);
        String secret = storedValue(em, policy.getId(), WebhookSubscription.FORMER_POLICY_SECRET);
        if (url.isEmpty() && secret.isEmpty()) {
            return Optional.empty();
        }
        Outcome outcome = null;
        if (!url.isEmpty()) {
            ComponentModel subscription = new ComponentModel();
            subscription.setName("Alert webhook (moved from the onboarding policy)");
            subscription.setProviderId(WebhookSubscriptionPageFactory.PROVIDER_ID);
            subscription.setProviderType(UiPageProvider.class.getName());
            subscription.setParentId(realm.getId());
            subscription.put(WebhookSubscription.URL, url);
            subscription.put(WebhookSubscription.SECRET, secret);
            subscription.put(WebhookSubscription.EVENTS, WebhookEvents.RISK_SIGNAL);
            List<String> problems = new ArrayList<>();
            WebhookSubscription.parse(null, subscription.getName(), subscription.getConfig(), problems);
            if (problems.isEmpty()) {
                String id = store(session, realm, subscription);
                outcome = new Moved(id, url, moveQueuedAlerts(em, realm, id));
            } else {
                outcome = new Dropped(url, List.copyOf(problems));
            }
        }
        policy.getConfig().remove(WebhookSubscription.FORMER_POLICY_URL);
        policy.getConfig().remove(WebhookSubscription.FORMER_POLICY_SECRET);
        realm.updateComponent(policy);
        return Optional.ofNullable(outcome);
    }

    /** Stores the subscription as it was configured; returns its id. */
    private static String store(KeycloakSession session, RealmModel realm, ComponentModel subscription) {
        session.setAttribute(MOVING, Boolean.TRUE);
        try {
            return realm.importComponentModel(subscription).getId();
        } finally {
            session.removeAttribute(MOVING);
        }
    }

    private static String storedValue(EntityManager em, String componentId, String name) {
        return em.createQuery(
                        "select c.value from ComponentConfigEntity c where c.component.id = :component and c.name = :name",
                        String.class)
                .setParameter("component", componentId)
                .setParameter("name", name)
                .getResultStream()
                .filter(value -> value != null && !value.isBlank())
                .map(String::trim)
                .findFirst()
                .orElse("");
    }

    private static int moveQueuedAlerts(EntityManager em, RealmModel realm, String subscriptionId) {
        return em.createQuery("update OutboxEntity o set o.subscriptionId = :to"
                        + " where o.realmId = :realm and o.subscriptionId = :from")
                .setParameter("to", subscriptionId)
                .setParameter("realm", realm.getId())
                .setParameter("from", WebhookSubscription.FORMER_POLICY_ID)
                .executeUpdate();
    }

    private static Optional<ComponentModel> policyOf(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(component -> OnboardingPolicyPageFactory.PROVIDER_ID.equals(component.getProviderId()))
                .findFirst();
    }

    private static String valueOf(ComponentModel component, String key) {
        String value = component.get(key);
        return value == null ? "" : value.trim();
    }
}

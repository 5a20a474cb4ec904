package io.github.onboardingguard.keycloak.webhooks;

import io.github.onboardingguard.keycloak.policy.OnboardingPolicyPageFactory;
import io.github.onboardingguard.webhooks.WebhookEvents;
import io.github.onboardingguard.webhooks.WebhookSubscription;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * Earlier versions had a second kind of receiver: the onboarding policy's own alert webhook (risk
 * alerts only, one secret). A realm whose policy still names one gets an equivalent subscription —
 * same URL, same secret, risk alerts only — its alerts waiting in the outbox move to it, and the
 * policy's two settings are cleared. Run at start for every realm (before the delivery task), when a
 * realm is imported and after a policy save that names them.
 */
public final class PolicyReceiverMigration {

    /** The subscription the policy's receiver became. */
    public record Moved(String subscriptionId, String url, int queuedAlerts) {}

    private PolicyReceiverMigration() {}

    /** Whether the realm's policy still names its former receiver. */
    public static boolean pending(RealmModel realm) {
        return policyOf(realm)
                .map(policy ->
                        !valueOf(policy, WebhookSubscription.FORMER_POLICY_URL).isEmpty())
                .orElse(false);
    }

    private static Optional<ComponentModel> policyOf(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(component -> OnboardingPolicyPageFactory.PROVIDER_ID.equals(component.getProviderId()))
                .findFirst();
    }

    public static Optional<Moved> migrate(KeycloakSession session, RealmModel realm) {
        Optional<ComponentModel> found = policyOf(realm);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ComponentModel policy = found.get();
        String url = valueOf(policy, WebhookSubscription.FORMER_POLICY_URL);
        String secret = valueOf(policy, WebhookSubscription.FORMER_POLICY_SECRET);
        if (url.isEmpty() && secret.isEmpty()) {
            return Optional.empty();
        }
        Moved moved = null;
        if (!url.isEmpty()) {
            ComponentModel subscription = new ComponentModel();
            subscription.setName("Alert webhook (moved from the onboarding policy)");
            subscription.setProviderId(WebhookSubscriptionPageFactory.PROVIDER_ID);
            subscription.setProviderType(UiPageProvider.class.getName());
            subscription.setParentId(realm.getId());
            subscription.put(WebhookSubscription.URL, url);
            subscription.put(WebhookSubscription.SECRET, secret);
            subscription.put(WebhookSubscription.EVENTS, WebhookEvents.RISK_SIGNAL);
            // Keycloak checks it like a save: a destination today's rules refuse fails the move, which is
            // logged and tried again at the next start; its alerts wait meanwhile (see pending).
            ComponentModel created = realm.importComponentModel(subscription);
            moved = new Moved(created.getId(), url, moveQueuedAlerts(session, realm, created.getId()));
        }
        policy.getConfig().remove(WebhookSubscription.FORMER_POLICY_URL);
        policy.getConfig().remove(WebhookSubscription.FORMER_POLICY_SECRET);
        realm.updateComponent(policy);
        return Optional.ofNullable(moved);
    }

    private static int moveQueuedAlerts(KeycloakSession session, RealmModel realm, String subscriptionId) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        return em.createQuery("update OutboxEntity o set o.subscriptionId = :to"
                        + " where o.realmId = :realm and o.subscriptionId = :from")
                .setParameter("to", subscriptionId)
                .setParameter("realm", realm.getId())
                .setParameter("from", WebhookSubscription.FORMER_POLICY_ID)
                .executeUpdate();
    }

    private static String valueOf(ComponentModel component, String key) {
        String value = component.get(key);
        return value == null ? "" : value.trim();
    }
}

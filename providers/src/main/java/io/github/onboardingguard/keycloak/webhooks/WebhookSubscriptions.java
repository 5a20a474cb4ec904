package io.github.onboardingguard.keycloak.webhooks;

import io.github.onboardingguard.keycloak.policy.WebhookServerRules;
import io.github.onboardingguard.webhooks.WebhookSubscription;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * A realm's webhook receivers: every subscription on the "Onboarding webhooks" page, from
 * Keycloak's realm cache.
 */
public final class WebhookSubscriptions {

    private static final Logger LOG = Logger.getLogger(WebhookSubscriptions.class);

    private WebhookSubscriptions() {}

    public static List<WebhookSubscription> of(KeycloakSession session, RealmModel realm) {
        List<WebhookSubscription> subscriptions = new ArrayList<>();
        Set<String> localReceivers = WebhookServerRules.of(session).localReceivers();
        stored(realm)
                .forEach(component -> parse(realm, component, localReceivers).ifPresent(subscriptions::add));
        return subscriptions;
    }

    public static Optional<WebhookSubscription> find(KeycloakSession session, RealmModel realm, String id) {
        return of(session, realm).stream()
                .filter(subscription -> subscription.id().equals(id))
                .findFirst();
    }

    /**
     * Whether the database still holds the subscription, read past this node's realm cache: a node
     * may not have heard yet of a receiver saved on another one a moment ago.
     */
    public static boolean inDatabase(KeycloakSession session, RealmModel realm, String id) {
        if (WebhookSubscription.FORMER_POLICY_ID.equals(id)) {
            // Not moved yet (the move failed, or runs on another node): its alerts wait rather than die.
            return PolicyReceiverMigration.pending(realm);
        }
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        return em.createQuery(
                                "select count(c) from ComponentEntity c where c.realm.id = :realm and c.id = :id"
                                        + " and c.providerId = :page",
                                Long.class)
                        .setParameter("realm", realm.getId())
                        .setParameter("id", id)
                        .setParameter("page", WebhookSubscriptionPageFactory.PROVIDER_ID)
                        .getSingleResult()
                > 0;
    }

    static Stream<ComponentModel> stored(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(component -> WebhookSubscriptionPageFactory.PROVIDER_ID.equals(component.getProviderId()));
    }

    private static Optional<WebhookSubscription> parse(
            RealmModel realm, ComponentModel component, Set<String> localReceivers) {
        List<String> problems = new ArrayList<>();
        WebhookSubscription subscription = WebhookSubscription.parse(
                component.getId(), component.getName(), component.getConfig(), problems, localReceivers);
        if (!problems.isEmpty()) {
            // Saved through the admin console it was valid; an import or a database edit can break it.
            LOG.warnf(
                    "Webhook subscription '%s' of realm %s is invalid and gets nothing: %s",
                    component.getName(), realm.getName(), String.join("; ", problems));
            return Optional.empty();
        }
        return Optional.of(subscription);
    }
}

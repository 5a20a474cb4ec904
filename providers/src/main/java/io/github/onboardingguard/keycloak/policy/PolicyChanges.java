package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.webhooks.WebhookSubscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * Tells the audit trail that the onboarding policy (or a webhook subscription) was saved, by whom
 * and with which settings, in the saving transaction. Keycloak
 * sends the admin event before it saves a component, so the listener notes the admin first and the
 * save reports the change. Secrets never leave as values.
 */
public final class PolicyChanges {

    private static final String ACTOR = "onboarding-guard.policy.actor";
    private static final String REDACTED = "(redacted)";

    private PolicyChanges() {}

    /** From the admin event of a component change: who is about to save it. */
    public static void noteActor(KeycloakSession session, String userId) {
        session.setAttribute(ACTOR, userId == null ? "" : userId);
    }

    /**
     * A page's component was created ({@code before} null), changed, or removed ({@code after} null).
     */
    public static void report(KeycloakSession session, RealmModel realm, ComponentModel before, ComponentModel after) {
        MultivaluedHashMap<String, String> old = before == null ? new MultivaluedHashMap<>() : before.getConfig();
        MultivaluedHashMap<String, String> now = after == null ? new MultivaluedHashMap<>() : after.getConfig();
        ComponentModel component = after == null ? before : after;
        TreeSet<String> keys = new TreeSet<>(old.keySet());
        keys.addAll(now.keySet());
        List<String> changed = new ArrayList<>();
        for (String key : keys) {
            if (!Objects.equals(old.get(key), now.get(key))) {
                changed.add(key);
            }
        }
        Map<String, Object> settings = new TreeMap<>();
        Set<String> secrets = secretKeys(session, component.getProviderId());
        now.forEach((key, values) -> settings.put(
                key,
                secrets.contains(key) || isSecret(key)
                        ? REDACTED
                        : values == null || values.size() != 1 ? values : values.get(0)));
        Object actor = session.getAttribute(ACTOR);
        if (!(actor instanceof String noted && !noted.isEmpty())
                && session.getContext().getBearerToken() instanceof JsonWebToken token) {
            // A removal: Keycloak sends its admin event only after the component is gone.
            actor = token.getSubject();
        }
        Map<String, Object> change = new TreeMap<>();
        change.put("page", component.getProviderId());
        change.put("componentId", component.getId());
        change.put("name", component.getName());
        change.put("operation", before == null ? "create" : after == null ? "remove" : "update");
        change.put("changed", changed);
        change.put("settings", settings);
        AuditLog.append(
                session,
                realm.getId(),
                actor instanceof String id && !id.isEmpty() ? id : null,
                null,
                "policy.changed",
                change);
        session.getKeycloakSessionFactory()
                .publish(new PolicySaved(session, realm, component.getProviderId(), changed));
    }

    /** Every setting a page declares secret or as a password: never written to the trail, whatever the page. */
    private static Set<String> secretKeys(KeycloakSession session, String providerId) {
        ProviderFactory<?> factory =
                session.getKeycloakSessionFactory().getProviderFactory(UiPageProvider.class, providerId);
        if (!(factory instanceof ConfiguredProvider configured) || configured.getConfigProperties() == null) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        for (ProviderConfigProperty property : configured.getConfigProperties()) {
            if (property.isSecret() || ProviderConfigProperty.PASSWORD.equals(property.getType())) {
                keys.add(property.getName());
            }
        }
        return keys;
    }

    private static boolean isSecret(String key) {
        return WebhookSubscription.FORMER_POLICY_SECRET.equals(key)
                || WebhookSubscription.SECRET_KEYS.contains(key)
                || key.toLowerCase(java.util.Locale.ROOT).contains("secret");
    }
}

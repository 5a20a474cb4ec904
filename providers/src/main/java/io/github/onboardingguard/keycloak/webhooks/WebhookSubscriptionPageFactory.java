package io.github.onboardingguard.keycloak.webhooks;

import io.github.onboardingguard.keycloak.policy.AuditedPageFactory;
import io.github.onboardingguard.keycloak.policy.PolicyChanges;
import io.github.onboardingguard.keycloak.policy.WebhookServerRules;
import io.github.onboardingguard.webhooks.WebhookEvents;
import io.github.onboardingguard.webhooks.WebhookSubscription;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The "Onboarding webhooks" page of the admin console: any number of receivers per realm, each with
 * its own event filter and secret (two while rotating). Stored as components, so they travel with
 * the realm JSON, and every change is an audited policy change.
 */
public final class WebhookSubscriptionPageFactory extends AuditedPageFactory {

    public static final String PROVIDER_ID = "onboarding-webhook";
    /** Each subscription is its own delivery queue and thread per run. */
    private static final int MAX_PER_REALM = 20;

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
            .name(WebhookSubscription.URL)
            .label("URL")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("")
            .helpText("https address the events are POSTed to as signed Standard Webhooks, in order, retried until "
                    + "accepted. Internal addresses only if the server's operator allows the host.")
            .add()
            .property()
            .name(WebhookSubscription.SECRET)
            .label("Signing secret")
            .type(ProviderConfigProperty.PASSWORD)
            .defaultValue("")
            .secret(true)
            .helpText("'whsec_' followed by base64 of 24 to 64 random bytes; receivers verify signatures with it.")
            .add()
            .property()
            .name(WebhookSubscription.PREVIOUS_SECRET)
            .label("Previous signing secret (during rotation)")
            .type(ProviderConfigProperty.PASSWORD)
            .defaultValue("")
            .secret(true)
            .helpText("To rotate without downtime: put the new secret above and the old one here. Every message is "
                    + "signed with both until you clear this field, after the receivers use the new secret.")
            .add()
            .property()
            .name(WebhookSubscription.EVENTS)
            .label("Event types")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue("")
            .helpText("Which events this receiver gets; empty for all. An event type, a family such as 'case.*', or "
                    + "'*'. Types: " + String.join(", ", WebhookEvents.ALL) + ".")
            .add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Receivers of onboarding events (risk alerts and case lifecycle) as signed Standard Webhooks. "
                + "Delivery status: GET /admin/realms/{realm}/onboarding/alerts.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        List<String> problems = new ArrayList<>();
        WebhookSubscription subscription = WebhookSubscription.parse(
                model.getId(),
                model.getName(),
                model.getConfig(),
                problems,
                WebhookServerRules.of(session).localReceivers());
        // An earlier version's receiver moves as it was stored: deliveries still check the server's rules.
        if (!PolicyReceiverMigration.moving(session)
                && !subscription.url().isEmpty()
                && problems.stream().noneMatch(p -> p.startsWith(WebhookSubscription.URL))) {
            WebhookServerRules.of(session)
                    .problem(subscription.url())
                    .ifPresent(problem -> problems.add(WebhookSubscription.URL + " " + problem));
        }
        long others = WebhookSubscriptions.stored(realm)
                .filter(c -> !c.getId().equals(model.getId()))
                .count();
        if (others >= MAX_PER_REALM) {
            problems.add("a realm can have at most " + MAX_PER_REALM + " webhook subscriptions");
        }
        refuseIfAny(problems);
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        PolicyChanges.report(session, realm, model, null);
    }
}

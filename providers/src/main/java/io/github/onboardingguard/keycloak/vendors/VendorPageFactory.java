package io.github.onboardingguard.keycloak.vendors;

import io.github.onboardingguard.keycloak.policy.AuditedPageFactory;
import io.github.onboardingguard.keycloak.policy.PolicyChanges;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The "Identity verification vendors" page of the admin console: each entry is a vendor whose signed
 * callbacks may record results on cases, with its signing secret (two while rotating) and which
 * verifier steps its approved result may stand in for. Stored as components, every change audited.
 */
public final class VendorPageFactory extends AuditedPageFactory {

    public static final String PROVIDER_ID = "onboarding-idv-vendor";
    private static final int MAX_PER_REALM = 10;

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
            .name(VendorSettings.SECRET)
            .label("Callback signing secret")
            .type(ProviderConfigProperty.PASSWORD)
            .defaultValue("")
            .secret(true)
            .helpText("'whsec_' followed by base64 of 24 to 64 random bytes, shared with the vendor, which signs each "
                    + "callback with it as Standard Webhooks do.")
            .add()
            .property()
            .name(VendorSettings.PREVIOUS_SECRET)
            .label("Previous signing secret (during rotation)")
            .type(ProviderConfigProperty.PASSWORD)
            .defaultValue("")
            .secret(true)
            .helpText("Callbacks signed with this one are accepted too until you clear it.")
            .add()
            .property()
            .name(VendorSettings.DOCUMENT_STEP)
            .label("Stands in for the document step")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText(
                    "On: an approved result (document genuine, no failed liveness or face match) of a hire waiting for "
                            + "the document step approves that step, with the vendor as verifier. Off: the result is "
                            + "recorded for the verifier to see.")
            .add()
            .property()
            .name(VendorSettings.IDENTITY_STEP)
            .label("Also stands in for the live identity step")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText("Only with the document step, and only where no verifier must see the person otherwise (no "
                    + "passkey binding, sponsor confirmation or dual control): a result with passed liveness and "
                    + "face match then verifies the hire without anyone of yours seeing them. Leave it off unless your "
                    + "security team has decided so.")
            .add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Identity-verification vendors (document and selfie checks) whose signed results reach cases at "
                + "POST /realms/{realm}/onboarding/vendors/{name}/results. The entry's name is the vendor's name.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        List<String> problems = new ArrayList<>();
        VendorSettings.parse(model.getName(), model.getConfig(), problems);
        List<ComponentModel> others = VendorSettings.stored(realm)
                .filter(c -> !c.getId().equals(model.getId()))
                .toList();
        if (others.stream().anyMatch(c -> c.getName().equals(model.getName()))) {
            problems.add("another vendor of this realm is named '" + model.getName() + "'");
        }
        if (others.size() >= MAX_PER_REALM) {
            problems.add("a realm can have at most " + MAX_PER_REALM + " identity-verification vendors");
        }
        refuseIfAny(problems);
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        PolicyChanges.report(session, realm, model, null);
    }
}

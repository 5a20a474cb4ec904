package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import java.util.List;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * An admin-console page of the extension whose components are onboarding settings: every save is a
 * {@code policy.changed} audit entry, and validation refuses with all problems at once.
 */
public abstract class AuditedPageFactory
        implements UiPageProviderFactory<ComponentModel>, UiPageProvider, OnboardingProviderFactory<UiPageProvider> {

    /** Refuses the save, naming every problem; does nothing when there is none. */
    protected static void refuseIfAny(List<String> problems) throws ComponentValidationException {
        if (!problems.isEmpty()) {
            // Keycloak formats this message with MessageFormat, where a single quote is an escape.
            throw new ComponentValidationException(String.join("; ", problems).replace("'", "''"));
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        PolicyChanges.report(session, realm, null, model);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        PolicyChanges.report(session, realm, oldModel, newModel);
    }

    @Override
    public UiPageProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void close() {
        // Both the factory and the provider; neither holds resources.
    }
}

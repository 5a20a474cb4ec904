package io.github.onboardingguard.keycloak.admin;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Mounts the onboarding admin API at {@code /admin/realms/{realm}/onboarding}. */
public final class OnboardingAdminResourceProviderFactory
        implements AdminRealmResourceProviderFactory,
                AdminRealmResourceProvider,
                OnboardingProviderFactory<AdminRealmResourceProvider> {

    public static final String PROVIDER_ID = "onboarding";

    @Override
    public Object getResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new CasesAdminResource(session, realm, auth, adminEvent);
    }

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void close() {
        // Both the factory and the per-request provider; neither holds resources.
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}

package io.github.onboardingguard.keycloak.web;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts the onboarding console and its APIs at {@code /realms/{realm}/onboarding}. */
public final class OnboardingRealmResourceProviderFactory
        implements RealmResourceProviderFactory, OnboardingProviderFactory<RealmResourceProvider> {

    public static final String PROVIDER_ID = "onboarding";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new OnboardingRealmResource(session, session.getContext().getRealm());
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}

package io.github.onboardingguard.keycloak.support;

import java.util.Map;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * The lifecycle every factory of this extension shares: no state to set up or tear down, and the
 * extension's version in the admin console's provider info. Factories with work to do override.
 */
public interface OnboardingProviderFactory<T extends Provider>
        extends ProviderFactory<T>, ServerInfoAwareProviderFactory {

    @Override
    default void init(Config.Scope config) {}

    @Override
    default void postInit(KeycloakSessionFactory factory) {}

    @Override
    default void close() {}

    @Override
    default Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}

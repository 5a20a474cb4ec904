package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import org.keycloak.Config;
import org.keycloak.common.Profile;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.protocol.oidc.TokenExchangeProviderFactory;
import org.keycloak.provider.EnvironmentDependentProviderFactory;

/**
 * Takes the legacy token exchange's id so that Keycloak uses {@link ProbationLegacyTokenExchangeProvider}
 * for it (of two factories with one id, Keycloak keeps the one with the higher order). Standard token
 * exchange keeps its precedence (order 10) and is checked by the client-policy executor. Present only
 * where the preview feature is on, so it never turns on an exchange the server has switched off.
 */
public final class ProbationLegacyTokenExchangeProviderFactory
        implements TokenExchangeProviderFactory,
                EnvironmentDependentProviderFactory,
                OnboardingProviderFactory<TokenExchangeProvider> {

    /** The id of Keycloak's own legacy (V1) token exchange provider. */
    static final String LEGACY_PROVIDER_ID = "default";

    @Override
    public String getId() {
        return LEGACY_PROVIDER_ID;
    }

    @Override
    public TokenExchangeProvider create(KeycloakSession session) {
        return new ProbationLegacyTokenExchangeProvider();
    }

    @Override
    public boolean isSupported(Config.Scope config) {
        return Profile.isFeatureEnabled(Profile.Feature.TOKEN_EXCHANGE);
    }

    @Override
    public int order() {
        return 1;
    }
}

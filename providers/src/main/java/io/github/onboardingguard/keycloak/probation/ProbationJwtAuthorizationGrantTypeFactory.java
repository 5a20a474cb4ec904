package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import org.keycloak.Config;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.Profile;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;
import org.keycloak.provider.EnvironmentDependentProviderFactory;

/**
 * Takes the JWT authorization grant's id so that Keycloak uses {@link ProbationJwtAuthorizationGrantType}
 * for it (of two factories with one id, Keycloak keeps the one with the higher order). Present only
 * where Keycloak's own grant is, so it never turns on a grant the server has switched off.
 */
public final class ProbationJwtAuthorizationGrantTypeFactory
        implements OAuth2GrantTypeFactory,
                EnvironmentDependentProviderFactory,
                OnboardingProviderFactory<OAuth2GrantType> {

    @Override
    public String getId() {
        return OAuth2Constants.JWT_AUTHORIZATION_GRANT;
    }

    @Override
    public String getShortcut() {
        // Keycloak's own shortcut for this grant, used in its metrics and events.
        return "ag";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ProbationJwtAuthorizationGrantType();
    }

    @Override
    public boolean isSupported(Config.Scope config) {
        try {
            // By name: a Keycloak older than the grant has no such feature, and the extension must get as far
            // as its version check there (which refuses to start with a message) instead of failing to load.
            return Profile.isFeatureEnabled(Profile.Feature.valueOf(FEATURE));
        } catch (IllegalArgumentException olderKeycloak) {
            return false;
        }
    }

    private static final String FEATURE = "JWT_AUTHORIZATION_GRANT";

    @Override
    public int order() {
        return 1;
    }
}

package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/**
 * Takes the UMA grant's id so that Keycloak uses {@link ProbationUmaGrantType} for it: of two
 * factories with one id, Keycloak keeps the one with the higher order.
 */
public final class ProbationUmaGrantTypeFactory
        implements OAuth2GrantTypeFactory, OnboardingProviderFactory<OAuth2GrantType> {

    @Override
    public String getId() {
        return OAuth2Constants.UMA_GRANT_TYPE;
    }

    @Override
    public String getShortcut() {
        // Keycloak's own shortcut for this grant, used in its metrics and events.
        return "pg";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ProbationUmaGrantType();
    }

    @Override
    public int order() {
        return 1;
    }
}

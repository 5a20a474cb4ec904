package io.github.onboardingguard.keycloak.probation;

import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/**
 * Client-policy executor "onboarding-probation": put it in a client profile and apply that profile
 * to all clients with a client policy (condition "any-client"), as realm-config/ does.
 */
public final class ProbationClientPolicyExecutorFactory
        implements ClientPolicyExecutorProviderFactory, OnboardingProviderFactory<ClientPolicyExecutorProvider> {

    public static final String PROVIDER_ID = "onboarding-probation";

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new ProbationClientPolicyExecutor(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Refuses tokens to onboarding hires who are not verified yet for clients outside the onboarding policy, "
                + "and to hires whose case is closed, on every token request: code to token, refresh, password grant, "
                + "token exchange, device and CIBA tokens, userinfo. Users without an onboarding case are not affected.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}

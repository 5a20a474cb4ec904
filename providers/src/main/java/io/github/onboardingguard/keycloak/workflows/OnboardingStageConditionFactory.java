package io.github.onboardingguard.keycloak.workflows;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.workflow.WorkflowConditionProvider;
import org.keycloak.models.workflow.WorkflowConditionProviderFactory;

/** Workflows condition {@value #ID}{@code (STAGE)}: the user's onboarding case is in that stage. */
public final class OnboardingStageConditionFactory
        implements WorkflowConditionProviderFactory<WorkflowConditionProvider> {

    public static final String ID = "onboarding-stage";

    @Override
    public WorkflowConditionProvider create(KeycloakSession session, String configParameter) {
        return new OnboardingStageCondition(session, configParameter);
    }

    @Override
    public String getId() {
        return ID;
    }
}

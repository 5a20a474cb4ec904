package io.github.onboardingguard.keycloak.workflows;

import io.github.onboardingguard.keycloak.cases.CaseEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.workflow.WorkflowEventProvider;
import org.keycloak.models.workflow.WorkflowEventProviderFactory;

/** Workflows event {@value #ID}: the hire's user when their case changed stage; narrow it with a stage, e.g. onboarding-stage-changed(VERIFIED). */
public final class StageChangedEventFactory implements WorkflowEventProviderFactory<WorkflowEventProvider> {

    public static final String ID = "onboarding-stage-changed";

    @Override
    public WorkflowEventProvider create(KeycloakSession session, String configParameter) {
        return new CaseEventProvider(session, configParameter, ID, CaseEvent.Kind.STAGE_CHANGED);
    }

    @Override
    public String getId() {
        return ID;
    }
}

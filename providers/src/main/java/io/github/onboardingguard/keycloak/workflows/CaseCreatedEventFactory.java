package io.github.onboardingguard.keycloak.workflows;

import io.github.onboardingguard.keycloak.cases.CaseEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.workflow.WorkflowEventProvider;
import org.keycloak.models.workflow.WorkflowEventProviderFactory;

/** Workflows event {@value #ID}: the hire's user when its case opened (through the API, an enrollment rule, a bulk file or an adoption). */
public final class CaseCreatedEventFactory implements WorkflowEventProviderFactory<WorkflowEventProvider> {

    public static final String ID = "onboarding-case-created";

    @Override
    public WorkflowEventProvider create(KeycloakSession session, String configParameter) {
        return new CaseEventProvider(session, configParameter, ID, CaseEvent.Kind.CREATED);
    }

    @Override
    public String getId() {
        return ID;
    }
}

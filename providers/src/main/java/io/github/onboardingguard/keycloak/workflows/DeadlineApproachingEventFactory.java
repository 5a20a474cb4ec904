package io.github.onboardingguard.keycloak.workflows;

import io.github.onboardingguard.keycloak.cases.CaseEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.workflow.WorkflowEventProvider;
import org.keycloak.models.workflow.WorkflowEventProviderFactory;

/** Workflows event {@value #ID}: the hire's user when a reminder before their deadline went out; narrow it with the reminder's days, e.g. onboarding-deadline-approaching(2). */
public final class DeadlineApproachingEventFactory implements WorkflowEventProviderFactory<WorkflowEventProvider> {

    public static final String ID = "onboarding-deadline-approaching";

    @Override
    public WorkflowEventProvider create(KeycloakSession session, String configParameter) {
        return new CaseEventProvider(session, configParameter, ID, CaseEvent.Kind.DEADLINE_APPROACHING);
    }

    @Override
    public String getId() {
        return ID;
    }
}

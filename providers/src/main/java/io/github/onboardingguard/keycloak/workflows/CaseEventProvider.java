package io.github.onboardingguard.keycloak.workflows;

import io.github.onboardingguard.keycloak.cases.CaseEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.workflow.AbstractWorkflowEventProvider;
import org.keycloak.models.workflow.ResourceType;
import org.keycloak.models.workflow.WorkflowEvent;
import org.keycloak.models.workflow.WorkflowExecutionContext;
import org.keycloak.provider.ProviderEvent;

/**
 * A case moment as a Workflows event on the hire's user: {@code onboarding-case-created},
 * {@code onboarding-stage-changed} or {@code onboarding-deadline-approaching}. The optional
 * parameter narrows it: a stage ({@code onboarding-stage-changed(VERIFIED)}) or the reminder's
 * days ({@code onboarding-deadline-approaching(2)}).
 */
final class CaseEventProvider extends AbstractWorkflowEventProvider {

    private final CaseEvent.Kind kind;

    CaseEventProvider(KeycloakSession session, String configParameter, String providerId, CaseEvent.Kind kind) {
        super(session, configParameter, providerId);
        this.kind = kind;
    }

    @Override
    public ResourceType getSupportedResourceType() {
        return ResourceType.USERS;
    }

    @Override
    public boolean supports(ProviderEvent event) {
        return event instanceof CaseEvent caseEvent && caseEvent.kind() == kind;
    }

    @Override
    protected String resolveResourceId(ProviderEvent event) {
        return ((CaseEvent) event).userId();
    }

    @Override
    public boolean evaluate(WorkflowExecutionContext context) {
        if (!super.evaluate(context)) {
            return false;
        }
        if (configParameter == null || configParameter.isBlank()) {
            return true;
        }
        WorkflowEvent event = context.getEvent();
        if (!(event.getEvent() instanceof CaseEvent caseEvent)) {
            return false;
        }
        String wanted = configParameter.trim();
        return switch (kind) {
            case STAGE_CHANGED ->
                caseEvent.stage() != null && caseEvent.stage().name().equalsIgnoreCase(wanted);
            case DEADLINE_APPROACHING -> String.valueOf(caseEvent.daysBefore()).equals(wanted);
            case CREATED -> false;
        };
    }
}

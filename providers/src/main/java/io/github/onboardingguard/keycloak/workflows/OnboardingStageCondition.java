package io.github.onboardingguard.keycloak.workflows;

import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.onboarding.Stage;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import jakarta.persistence.criteria.Subquery;
import java.util.Locale;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.workflow.ResourceType;
import org.keycloak.models.workflow.WorkflowConditionProvider;
import org.keycloak.models.workflow.WorkflowExecutionContext;
import org.keycloak.models.workflow.WorkflowInvalidStateException;

/** Whether the user's onboarding case is in the named stage; a user without a case is in none. */
final class OnboardingStageCondition implements WorkflowConditionProvider {

    private final KeycloakSession session;
    private final String stageName;

    OnboardingStageCondition(KeycloakSession session, String stageName) {
        this.session = session;
        this.stageName = stageName;
    }

    @Override
    public ResourceType getSupportedResourceType() {
        return ResourceType.USERS;
    }

    /** A stage that does not exist holds for nobody (Keycloak saves a workflow without asking {@link #validate}). */
    @Override
    public boolean evaluate(WorkflowExecutionContext context) {
        Stage stage;
        try {
            stage = stage();
        } catch (WorkflowInvalidStateException e) {
            return false;
        }
        RealmModel realm = session.getContext().getRealm();
        return new CaseStore(session)
                .findByUser(realm.getId(), context.getResourceId())
                .map(OnboardingCaseEntity::getStage)
                .filter(stage::equals)
                .isPresent();
    }

    /** For a workflow run over the users that exist already: those whose case is in the stage. */
    @Override
    public Predicate toPredicate(CriteriaBuilder cb, CriteriaQuery<String> query, Root<?> user) {
        Subquery<Integer> inStage = query.subquery(Integer.class);
        Root<OnboardingCaseEntity> onboardingCase = inStage.from(OnboardingCaseEntity.class);
        inStage.select(cb.literal(1))
                .where(
                        cb.equal(onboardingCase.get("userId"), user.get("id")),
                        cb.equal(
                                onboardingCase.get("realmId"),
                                session.getContext().getRealm().getId()),
                        cb.equal(onboardingCase.get("stage"), stage()));
        return cb.exists(inStage);
    }

    @Override
    public void validate() throws WorkflowInvalidStateException {
        stage();
    }

    private Stage stage() {
        try {
            return Stage.valueOf(stageName == null ? "" : stageName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new WorkflowInvalidStateException("onboarding-stage needs one of the stages "
                    + java.util.Arrays.toString(Stage.values()) + "; was '" + stageName + "'");
        }
    }

    @Override
    public void close() {
        // Nothing held.
    }
}

package io.github.onboardingguard.workflows;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestRealms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Keycloak Workflows: onboarding events and the onboarding-stage condition in an admin's own workflow")
class OnboardingWorkflowsIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("workflows");
        realm.letAdminsEditAnyAttribute();
        workflow("tag-new-cases", "onboarding-case-created", "onboarding-stage(PROBATION)", "adopted-on-probation");
        workflow("tag-suspensions", "onboarding-stage-changed(SUSPENDED)", null, "suspended-workflow");
        workflow("tag-deadlines", "onboarding-deadline-approaching(7)", null, "deadline-workflow");
    }

    /** A workflow whose one step sets the attribute {@code attribute} to "ran" on the user. */
    private static void workflow(String name, String on, String condition, String attribute) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("on", on);
        if (condition != null) {
            body.put("if", condition);
        }
        body.put("steps", List.of(Map.of("uses", "set-user-attribute", "with", Map.of(attribute, "ran"))));
        Api.Reply created =
                Api.post("/admin/realms/" + realm.name + "/workflows", realm.adminToken(), Api.toJson(body));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static String attribute(String userId, String name) {
        Map<String, List<String>> attributes = realm.user(userId).getAttributes();
        List<String> values = attributes == null ? null : attributes.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void awaitAttribute(String userId, String name) {
        assertThat(Poll.until(Duration.ofSeconds(20), () -> attribute(userId, name), "ran"::equals))
                .as("attribute %s set by the workflow", name)
                .isEqualTo("ran");
    }

    @Test
    @DisplayName("a case opened on probation runs the admin's workflow; one opened INVITED does not pass its "
            + "onboarding-stage(PROBATION) condition")
    void caseCreatedWithStageCondition() {
        String invited = DemoRealm.userId(realm.createHire("workflow-invited", Map.of()));
        String employee = TestRealms.createUser(realm.resource, "workflow-adopted", PASSWORD, "employee");
        Api.Reply adopted = Api.post(
                realm.casesPath() + "/adopt",
                realm.adminToken(),
                Api.toJson(Map.of("user", "workflow-adopted", "sponsor", "hiring-manager", "stage", "PROBATION")));
        assertThat(adopted.status()).as(adopted.body()).isEqualTo(201);

        awaitAttribute(employee, "adopted-on-probation");
        assertThat(attribute(invited, "adopted-on-probation")).isNull();
    }

    @Test
    @DisplayName("suspending a case runs the workflow on onboarding-stage-changed(SUSPENDED)")
    void stageChanged() {
        Map<String, Object> hireCase = realm.createHire("workflow-suspended", Map.of());
        String hire = DemoRealm.userId(hireCase);
        assertThat(attribute(hire, "suspended-workflow")).isNull();
        Api.Reply suspended = Api.post(
                realm.casesPath() + "/" + hireCase.get("id") + "/suspend",
                realm.adminToken(),
                Api.toJson(Map.of("reason", "workflow test")));
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        awaitAttribute(hire, "suspended-workflow");
    }

    @Test
    @DisplayName("the 7-day reminder runs the workflow on onboarding-deadline-approaching(7)")
    void deadlineApproaching() {
        String hire = DemoRealm.userId(realm.createHire(
                "workflow-deadline",
                Map.of("deadline", Instant.now().plus(Duration.ofDays(5)).toString())));
        awaitAttribute(hire, "deadline-workflow");
    }

    @Test
    @DisplayName(
            "a condition naming an onboarding stage that does not exist holds for nobody; the same workflow with a "
                    + "real stage runs")
    void unknownStage() {
        workflow("misspelt-stage", "onboarding-case-created", "onboarding-stage(HIRED)", "misspelt-workflow");
        workflow("invited-stage", "onboarding-case-created", "onboarding-stage(INVITED)", "invited-workflow");
        String hire = DemoRealm.userId(realm.createHire("workflow-misspelt", Map.of()));
        awaitAttribute(hire, "invited-workflow");
        assertThat(attribute(hire, "misspelt-workflow")).isNull();
    }
}

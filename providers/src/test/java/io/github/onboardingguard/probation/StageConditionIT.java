package io.github.onboardingguard.probation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.AuthenticationManagementResource;
import org.keycloak.representations.idm.AuthenticationExecutionInfoRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

@DisplayName("Condition - onboarding stage, composed into a flow by an admin")
class StageConditionIT extends KeycloakIntegrationTest {

    private static final String FLOW = "deny probation direct grant";
    private static final String SUBFLOW = "deny while in probation";
    private static DemoRealm realm;

    /** Direct grant that denies users whose case is INVITED or PROBATION, built through the admin API. */
    @BeforeAll
    static void composeFlow() {
        realm = DemoRealm.importFresh("condition");
        AuthenticationManagementResource flows = realm.resource.flows();
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias(FLOW);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flow.setBuiltIn(false);
        try (Response response = flows.createFlow(flow)) {
            assertThat(response.getStatus()).isEqualTo(201);
        }
        flows.addExecution(FLOW, Map.of("provider", "direct-grant-validate-username"));
        flows.addExecution(FLOW, Map.of("provider", "direct-grant-validate-password"));
        flows.addExecutionFlow(
                FLOW,
                Map.of(
                        "alias",
                        SUBFLOW,
                        "type",
                        "basic-flow",
                        "provider",
                        "registration-page-form",
                        "description",
                        "deny hires in probation"));
        flows.addExecution(SUBFLOW, Map.of("provider", "conditional-onboarding-stage"));
        flows.addExecution(SUBFLOW, Map.of("provider", "deny-access-authenticator"));

        for (AuthenticationExecutionInfoRepresentation execution : flows.getExecutions(FLOW)) {
            execution.setRequirement(SUBFLOW.equals(execution.getDisplayName()) ? "CONDITIONAL" : "REQUIRED");
            flows.updateExecutions(FLOW, execution);
            if ("conditional-onboarding-stage".equals(execution.getProviderId())) {
                AuthenticatorConfigRepresentation config = new AuthenticatorConfigRepresentation();
                config.setAlias("probation-stages");
                // As an admin can store it: a stage twice and a blank entry. Every login used to fail on it.
                config.setConfig(Map.of("stages", "INVITED##PROBATION##PROBATION## ", "negate", "false"));
                flows.newExecutionConfig(execution.getId(), config).close();
            }
        }
        RealmRepresentation rep = realm.resource.toRepresentation();
        rep.setDirectGrantFlow(FLOW);
        realm.resource.update(rep);
    }

    @Test
    @DisplayName(
            "matches a hire in a selected stage and not a user without a case, whatever repeats in its configuration")
    void matchesByStage() {
        realm.createHireWithPassword("condition-hire", Map.of());
        Tokens.TokenResponse hire = Tokens.passwordGrant(
                realm.name, DemoRealm.OPEN_CLIENT, DemoRealm.OPEN_CLIENT_SECRET, "condition-hire", DemoRealm.PASSWORD);
        assertThat(hire.status()).as(hire.body().toString()).isEqualTo(401);
        assertThat(hire.accessToken()).isNull();

        Tokens.TokenResponse staff = Tokens.passwordGrant(
                realm.name, DemoRealm.OPEN_CLIENT, DemoRealm.OPEN_CLIENT_SECRET, "hiring-manager", DemoRealm.PASSWORD);
        assertThat(staff.status()).isEqualTo(200);
    }
}

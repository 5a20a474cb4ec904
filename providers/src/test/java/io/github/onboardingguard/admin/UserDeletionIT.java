package io.github.onboardingguard.admin;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin who would erase a hire's traces: delete the account with its case, signals and held
 * grants, then create it again as a clean one.
 */
@DisplayName("A hire with an open case cannot be deleted")
class UserDeletionIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName("given a hire on probation, when an admin deletes the user, then 409 and nothing is removed; once the case is "
            + "rejected the deletion goes through and the trail names the admin who did it")
    void deletionNeedsAClosedCase() {
        DemoRealm realm = DemoRealm.importFresh("delete-hire");
        String caseId = realm.hireInProbation("leaver", Map.of());
        String userId = realm.userIdOf("leaver");
        String userPath = "/admin/realms/" + realm.name + "/users/" + userId;

        Api.Reply refused = Api.call("DELETE", userPath, realm.adminToken(), null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json()).containsEntry("error", "case_open");
        assertThat(realm.resource.users().searchByUsername("leaver", true)).hasSize(1);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");

        Api.Reply rejected = Api.post(realm.casesPath() + "/" + caseId + "/reject", realm.adminToken(),
                Api.toJson(Map.of("reason", "Left before the start date")));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(Api.call("DELETE", userPath, realm.adminToken(), null).status()).isEqualTo(204);
        assertThat(realm.resource.users().searchByUsername("leaver", true)).isEmpty();

        Api.Reply trail = Api.get("/realms/" + realm.name + "/onboarding/audit/entries?type=case.deleted&actor=iam-admin",
                realm.consoleTokenOf("auditor"));
        assertThat(trail.body()).contains("leaver", caseId, "REJECTED");
    }
}

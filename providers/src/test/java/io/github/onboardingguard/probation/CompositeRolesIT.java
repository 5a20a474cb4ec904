package io.github.onboardingguard.probation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * A role is what it gives: an admin who names a role after the allow-list, or adds to an allowed
 * role later, must not carry Keycloak admin power to a hire on probation.
 */
@DisplayName("The hold judges a role by everything it gives")
class CompositeRolesIT extends KeycloakIntegrationTest {

    private static RoleRepresentation compositeRole(DemoRealm realm, String name, List<RoleRepresentation> composites) {
        RoleRepresentation role = new RoleRepresentation();
        role.setName(name);
        realm.resource.roles().create(role);
        realm.resource.roles().get(name).addComposites(composites);
        return realm.resource.roles().get(name).toRepresentation();
    }

    private static RoleRepresentation clientRole(DemoRealm realm, String clientId, String role) {
        String id = realm.resource.clients().findByClientId(clientId).get(0).getId();
        return realm.resource.clients().get(id).roles().get(role).toRepresentation();
    }

    @Test
    @DisplayName(
            "given a realm role named like the default role but composed of view-users, when it is granted to a hire "
                    + "on probation, then it is held and signalled, and the hire's token cannot list users")
    void compositeNamedLikeDefaultRole() {
        DemoRealm realm = DemoRealm.importFresh("composite-default");
        String caseId = realm.hireInProbation("composed", Map.of());
        String userId = realm.userIdOf("composed");
        compositeRole(
                realm,
                "default-roles-eng",
                List.of(
                        realm.resource.roles().get("employee").toRepresentation(),
                        clientRole(realm, "realm-management", "view-users")));

        realm.grantRealmRole(userId, "default-roles-eng");

        assertThat(Api.get("/admin/realms/" + realm.name + "/users", realm.tokenOf("composed"))
                        .status())
                .isEqualTo(403);
        assertThat(realm.effectiveClientRoles(userId, "realm-management")).doesNotContain("view-users");
        Map<String, Object> onboardingCase = realm.getCase(caseId);
        assertThat(JsonFields.list(onboardingCase, "deferredGrants.held"))
                .extracting(h -> JsonFields.at(h, "grant"))
                .contains("default-roles-eng");
        assertThat(JsonFields.list(onboardingCase, "signals"))
                .extracting(s -> JsonFields.at(s, "rule"))
                .contains("privileged_grant");
    }

    @Test
    @DisplayName(
            "given a hire holding an allowed role, when an admin adds view-users to that role, then the hire's role is "
                    + "held and the health check names the allowed role that gives more")
    void allowedRoleGrowsLater() {
        DemoRealm realm = DemoRealm.importFresh("composite-grows");
        realm.allowAlsoInProbation("team-basic");
        String caseId = realm.hireInProbation("grown", Map.of());
        String userId = realm.userIdOf("grown");
        compositeRole(
                realm,
                "team-basic",
                List.of(realm.resource.roles().get("offline_access").toRepresentation()));
        realm.grantRealmRole(userId, "team-basic");
        assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held"))
                .isEmpty();

        realm.resource
                .roles()
                .get("team-basic")
                .addComposites(List.of(clientRole(realm, "realm-management", "view-users")));

        assertThat(realm.effectiveClientRoles(userId, "realm-management")).doesNotContain("view-users");
        assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held"))
                .extracting(h -> JsonFields.at(h, "grant"))
                .contains("team-basic");
        Api.Reply health = Api.get("/admin/realms/" + realm.name + "/onboarding/health", realm.adminToken());
        assertThat(JsonFields.list(health.json(), "holes"))
                .extracting(h -> JsonFields.at(h, "code") + " " + JsonFields.at(h, "subject"))
                .contains("allow_listed_composite team-basic > realm-management/view-users");
    }
}

package io.github.onboardingguard.admin;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestRealms;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ComponentRepresentation;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;

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

    @Test
    @DisplayName("given a hire whose account came from the directory, when a helpdesk account with manage-users removes the "
            + "directory's imported users (no per-user event, nothing can refuse it), then the case is recorded as deleted "
            + "in the trail instead of vanishing unnoticed")
    void bulkRemovalIsRecorded() {
        DemoRealm realm = DemoRealm.importFresh("delete-bulk");
        String caseId = realm.hireInProbation("directory-hire", Map.of());
        String directory = linkToDirectory(realm, realm.userIdOf("directory-hire"));
        String helpdesk = TestRealms.createUser(realm.resource, "helpdesk", PASSWORD, "employee");
        realm.grantClientRole(helpdesk, "realm-management", "manage-users");

        Api.Reply removed = Api.post("/admin/realms/" + realm.name + "/user-storage/" + directory + "/remove-imported-users",
                realm.tokenOf("helpdesk"), null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        assertThat(realm.resource.users().searchByUsername("directory-hire", true)).as("Keycloak removed the account").isEmpty();

        // Found by the case housekeeping task (every 2 s on the test server, 5 minutes by default).
        String trail = Poll.until(Duration.ofSeconds(30), () -> realm.auditEntries("type=case.deleted"), entries -> entries.contains(caseId));
        assertThat(trail).contains(caseId, "removed_without_event", "PROBATION", "system:unknown");
        assertThat(Api.get(realm.casesPath() + "/" + caseId, realm.adminToken()).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("given a hire whose account came from the directory, when an admin deletes the directory's provider (which "
            + "takes its imported users along), then the case is recorded as deleted by that admin in the same request")
    void providerDeletionIsRecordedWithTheAdmin() {
        DemoRealm realm = DemoRealm.importFresh("delete-provider");
        String caseId = realm.hireInProbation("provider-hire", Map.of());
        String directory = linkToDirectory(realm, realm.userIdOf("provider-hire"));

        Api.Reply deleted = Api.call("DELETE", "/admin/realms/" + realm.name + "/components/" + directory, realm.adminToken(), null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);

        assertThat(realm.auditEntries("type=case.deleted&actor=iam-admin")).contains(caseId, "federation_provider_deleted", "PROBATION", "provider-hire");
    }

    /**
     * A directory (LDAP) provider that imports users, switched off so that nothing reaches for a
     * server, and the user linked to it as its import would have done.
     */
    private static String linkToDirectory(DemoRealm realm, String userId) {
        ComponentRepresentation ldap = new ComponentRepresentation();
        ldap.setName("corporate-directory");
        ldap.setProviderId("ldap");
        ldap.setProviderType("org.keycloak.storage.UserStorageProvider");
        ldap.setParentId(realm.resource.toRepresentation().getId());
        var config = new org.keycloak.common.util.MultivaluedHashMap<String, String>();
        Map.of("enabled", "false", "vendor", "other", "connectionUrl", "ldap://localhost:1", "usersDn", "ou=people,dc=example,dc=com",
                        "usernameLDAPAttribute", "uid", "rdnLDAPAttribute", "uid", "uuidLDAPAttribute", "entryUUID",
                        "userObjectClasses", "inetOrgPerson", "editMode", "READ_ONLY", "authType", "none")
                .forEach(config::putSingle);
        config.put("importEnabled", List.of("true"));
        ldap.setConfig(config);
        try (var created = realm.resource.components().add(ldap)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        String directory = realm.resource.components().query(ldap.getParentId(), ldap.getProviderType(), ldap.getName()).get(0).getId();
        Api.Reply linked = Api.post("/realms/" + realm.name + "/onboarding-test-hooks/users/" + userId + "/federation-link/" + directory,
                null, null);
        assertThat(linked.status()).isEqualTo(204);
        return directory;
    }
}

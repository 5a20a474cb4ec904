package io.github.onboardingguard.admin;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestRealms;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ComponentRepresentation;

/**
 * The admin who would erase a hire's traces: delete the account with its case, signals and held
 * grants, then create it again as a clean one.
 */
@DisplayName("A hire with an open case cannot be deleted")
class UserDeletionIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName(
            "given a hire on probation, when an admin deletes the user, then 409 and nothing is removed; once the case is "
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

        Api.Reply rejected = Api.post(
                realm.casesPath() + "/" + caseId + "/reject",
                realm.adminToken(),
                Api.toJson(Map.of("reason", "Left before the start date")));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(Api.call("DELETE", userPath, realm.adminToken(), null).status())
                .isEqualTo(204);
        assertThat(realm.resource.users().searchByUsername("leaver", true)).isEmpty();

        Api.Reply trail = Api.get(
                "/realms/" + realm.name + "/onboarding/audit/entries?type=case.deleted&actor=iam-admin",
                realm.consoleTokenOf("auditor"));
        assertThat(trail.body()).contains("leaver", caseId, "REJECTED");
    }

    @Test
    @DisplayName(
            "given a hire allowed to delete their own account (Delete Account on, the role allow-listed), when they "
                    + "delete it during a login, then Keycloak shows its error and the account and the case stay")
    void hireCannotDeleteThemself() {
        DemoRealm realm = DemoRealm.importFresh("delete-self");
        realm.allowAlsoInProbation("account/delete-account");
        var deleteAccount = realm.resource.flows().getRequiredAction("delete_account");
        deleteAccount.setEnabled(true);
        realm.resource.flows().updateRequiredAction("delete_account", deleteAccount);
        String caseId = realm.hireInProbation("quitter", Map.of());
        realm.grantClientRole(realm.userIdOf("quitter"), "account", "delete-account");

        // Keycloak asks for the password again before an account is deleted.
        HireBrowser browser = HireBrowser.login(
                        realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "quitter", PASSWORD, null)
                .requestAction(realm.name, OPEN_CLIENT, "delete_account")
                .signIn("quitter", PASSWORD)
                .continuePastStatusPage();
        assertThat(browser.page()).as("the confirmation page").contains("delete-account");
        browser.submitFirstForm(Map.of());
        assertThat(browser.page()).doesNotContain("User deleted successfully");

        assertThat(realm.resource.users().searchByUsername("quitter", true))
                .as("the account stays")
                .hasSize(1);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");
    }

    @Test
    @DisplayName(
            "given a hire whose account came from the directory, when a helpdesk account with manage-users removes the "
                    + "directory's imported users (no per-user event, nothing can refuse it), then the case is rejected with its "
                    + "history kept and the removal is in the trail instead of vanishing unnoticed")
    void bulkRemovalIsRecorded() {
        DemoRealm realm = DemoRealm.importFresh("delete-bulk");
        String caseId = realm.hireInProbation("directory-hire", Map.of());
        String directory = createDirectory(realm);
        importedFrom(realm, realm.userIdOf("directory-hire"), directory);
        String helpdesk = helpdesk(realm);

        Api.Reply removed = Api.post(
                "/admin/realms/" + realm.name + "/user-storage/" + directory + "/remove-imported-users",
                realm.tokenOf("helpdesk"),
                null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        assertThat(realm.resource.users().searchByUsername("directory-hire", true))
                .as("Keycloak removed the account")
                .isEmpty();

        // Found by the case housekeeping task (every 2 s on the test server, 5 minutes by default).
        String trail = Poll.until(
                Duration.ofSeconds(30),
                () -> realm.auditEntries("type=case.deleted"),
                entries -> entries.contains(caseId));
        assertThat(trail)
                .contains(caseId, "removed_without_event", "PROBATION", "system:unknown")
                .doesNotContain(helpdesk);
        Map<String, Object> kept =
                Poll.until(Duration.ofSeconds(10), () -> realm.getCase(caseId), c -> "REJECTED".equals(c.get("stage")));
        assertThat(kept).containsEntry("stage", "REJECTED");
        assertThat(JsonFields.list(kept, "history")).as("the history stays").hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName(
            "given a hire with an open case, when a helpdesk account links the hire's account to a directory provider "
                    + "(so that its bulk removal would take it), then the change does not stand and the attempt is in the trail")
    void helpdeskCannotLinkHireToDirectory() {
        DemoRealm realm = DemoRealm.importFresh("delete-link");
        String caseId = realm.hireInProbation("linked-hire", Map.of());
        String userId = realm.userIdOf("linked-hire");
        String directory = createDirectory(realm);
        String helpdesk = helpdesk(realm);
        String token = realm.tokenOf("helpdesk");

        Map<String, Object> user = Api.get("/admin/realms/" + realm.name + "/users/" + userId, token)
                .json();
        Map<String, Object> linked = new java.util.LinkedHashMap<>(user);
        linked.put("federationLink", directory);
        Api.Reply refused =
                Api.call("PUT", "/admin/realms/" + realm.name + "/users/" + userId, token, Api.toJson(linked));
        assertThat(refused.status()).as(refused.body()).isBetween(400, 499);

        assertThat(realm.user(userId).getFederationLink())
                .as("the link does not stand")
                .isNull();
        // A provider that does not exist: Keycloak's next lookup of the account would remove it.
        linked.put("federationLink", "no-such-provider");
        assertThat(Api.call("PUT", "/admin/realms/" + realm.name + "/users/" + userId, token, Api.toJson(linked))
                        .status())
                .isBetween(400, 499);
        assertThat(realm.user(userId).getFederationLink()).isNull();
        assertThat(realm.auditEntries("actor=" + helpdesk + "&type=user.federation_link_refused"))
                .contains(caseId, directory);
        Api.post("/admin/realms/" + realm.name + "/user-storage/" + directory + "/remove-imported-users", token, null);
        assertThat(realm.resource.users().searchByUsername("linked-hire", true)).hasSize(1);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");
    }

    @Test
    @DisplayName("given a suspended verified hire in a realm where admins may edit any attribute, when a helpdesk "
            + "account takes the case marker away and links the account to a provider in one update, then the "
            + "change does not stand and the case stays")
    void linkRefusedWithoutTheMarker() {
        DemoRealm realm = DemoRealm.importFresh("delete-link-unmarked");
        realm.letAdminsEditAnyAttribute();
        String caseId = realm.hireInProbation("suspended-hire", Map.of());
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        realm.applyEvent(caseId, "IDENTITY_APPROVED");
        realm.applyEvent(caseId, "SUSPEND");
        String userId = realm.userIdOf("suspended-hire");
        helpdesk(realm);
        String token = realm.tokenOf("helpdesk");

        Map<String, Object> unmarked =
                new java.util.LinkedHashMap<>(Api.get("/admin/realms/" + realm.name + "/users/" + userId, token)
                        .json());
        unmarked.put("attributes", Map.of());
        unmarked.put("federationLink", "no-such-provider");
        Api.Reply refused =
                Api.call("PUT", "/admin/realms/" + realm.name + "/users/" + userId, token, Api.toJson(unmarked));
        assertThat(refused.status()).as(refused.body()).isBetween(400, 499);

        assertThat(realm.resource.users().searchByUsername("suspended-hire", true))
                .hasSize(1);
        assertThat(realm.user(userId).getFederationLink()).isNull();
        assertThat(realm.getCase(caseId)).containsEntry("stage", "SUSPENDED");
    }

    @Test
    @DisplayName("given a hire whose account Keycloak removes itself (its federation link names no provider), then the "
            + "open case is rejected and kept, and the removal is in the trail")
    void keycloakRemovalKeepsTheCase() {
        DemoRealm realm = DemoRealm.importFresh("delete-invalid");
        String caseId = realm.hireInProbation("vanishing-hire", Map.of());
        String userId = realm.userIdOf("vanishing-hire");
        importedFrom(realm, userId, "no-such-provider");

        // Keycloak's next lookup finds no provider for the account and removes it, in a transaction of its own.
        Api.get("/admin/realms/" + realm.name + "/users/" + userId, realm.adminToken());
        assertThat(realm.resource.users().searchByUsername("vanishing-hire", true))
                .isEmpty();

        assertThat(realm.getCase(caseId)).containsEntry("stage", "REJECTED");
        assertThat(realm.auditEntries("type=case.deleted")).contains(caseId, "removed_by_keycloak", "vanishing-hire");
    }

    @Test
    @DisplayName(
            "given a hire whose account came from the directory, when an admin deletes the directory's provider (which "
                    + "would take its imported users along), then it is refused while the case is open and the attempt is in the trail")
    void providerDeletionWaitsForOpenCases() {
        DemoRealm realm = DemoRealm.importFresh("delete-provider");
        String caseId = realm.hireInProbation("provider-hire", Map.of());
        String directory = createDirectory(realm);
        importedFrom(realm, realm.userIdOf("provider-hire"), directory);
        String componentPath = "/admin/realms/" + realm.name + "/components/" + directory;

        // Keycloak answers for itself and ignores the listener; the refusal rolls the request back.
        Api.call("DELETE", componentPath, realm.adminToken(), null);
        assertThat(Api.get(componentPath, realm.adminToken()).status())
                .as("the provider stays")
                .isEqualTo(200);
        assertThat(realm.resource.users().searchByUsername("provider-hire", true))
                .hasSize(1);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");
        assertThat(realm.auditEntries("type=federation.deletion_refused&actor=iam-admin"))
                .contains(caseId, directory);
    }

    @Test
    @DisplayName(
            "given a directory hire whose case is closed, when an admin deletes the directory's provider, then the case "
                    + "is recorded as deleted by that admin, naming the user, in the same request")
    void providerDeletionIsRecordedWithTheAdmin() {
        DemoRealm realm = DemoRealm.importFresh("delete-provider-closed");
        String caseId = realm.hireInProbation("retired-hire", Map.of());
        Api.Reply rejected = Api.post(
                realm.casesPath() + "/" + caseId + "/reject",
                realm.adminToken(),
                Api.toJson(Map.of("reason", "Did not start")));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        String directory = createDirectory(realm);
        importedFrom(realm, realm.userIdOf("retired-hire"), directory);

        Api.Reply deleted = Api.call(
                "DELETE", "/admin/realms/" + realm.name + "/components/" + directory, realm.adminToken(), null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(realm.resource.users().searchByUsername("retired-hire", true))
                .isEmpty();
        assertThat(realm.auditEntries("type=case.deleted&actor=iam-admin"))
                .contains(caseId, "federation_provider_deleted", "REJECTED", "retired-hire");
    }

    /** An account that may manage users and nothing else: what a helpdesk or an HR system gets. */
    private static String helpdesk(DemoRealm realm) {
        String helpdesk = TestRealms.createUser(realm.resource, "helpdesk", PASSWORD, "employee");
        realm.grantClientRole(helpdesk, "realm-management", "manage-users");
        return helpdesk;
    }

    /** A directory (LDAP) provider that imports users, switched off so that nothing reaches for a server. */
    private static String createDirectory(DemoRealm realm) {
        ComponentRepresentation ldap = new ComponentRepresentation();
        ldap.setName("corporate-directory");
        ldap.setProviderId("ldap");
        ldap.setProviderType("org.keycloak.storage.UserStorageProvider");
        ldap.setParentId(realm.resource.toRepresentation().getId());
        var config = new org.keycloak.common.util.MultivaluedHashMap<String, String>();
        Map.of(
                        "enabled",
                        "false",
                        "vendor",
                        "other",
                        "connectionUrl",
                        "ldap://localhost:1",
                        "usersDn",
                        "ou=people,dc=example,dc=com",
                        "usernameLDAPAttribute",
                        "uid",
                        "rdnLDAPAttribute",
                        "uid",
                        "uuidLDAPAttribute",
                        "entryUUID",
                        "userObjectClasses",
                        "inetOrgPerson",
                        "editMode",
                        "READ_ONLY",
                        "authType",
                        "none")
                .forEach(config::putSingle);
        config.put("importEnabled", List.of("true"));
        ldap.setConfig(config);
        try (var created = realm.resource.components().add(ldap)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        return realm.resource
                .components()
                .query(ldap.getParentId(), ldap.getProviderType(), ldap.getName())
                .get(0)
                .getId();
    }

    /**
     * Links the user to the provider as its import from the directory would have, before the case was
     * opened; the case takes the account's link as it is then.
     */
    private static void importedFrom(DemoRealm realm, String userId, String directory) {
        Api.Reply linked = Api.post(
                "/realms/" + realm.name + "/onboarding-test-hooks/users/" + userId + "/federation-link/" + directory,
                null,
                null);
        assertThat(linked.status()).isEqualTo(204);
    }
}

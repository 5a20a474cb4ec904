package io.github.onboardingguard.verification;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The low-privilege admin: a helpdesk account with {@code manage-users}, which Keycloak lets map
 * any realm role, trying to make itself a verifier or an auditor, and admins verifying hires they
 * brought in themselves.
 */
@DisplayName("Verifier and auditor roles are appointed, never taken")
class PrivilegedRolesIT extends KeycloakIntegrationTest {

    private static Api.Reply mapRealmRole(DemoRealm realm, String token, String userId, String role) {
        var representation = realm.resource.roles().get(role).toRepresentation();
        return Api.post(
                "/admin/realms/" + realm.name + "/users/" + userId + "/role-mappings/realm",
                token,
                Api.toJson(List.of(Map.of("id", representation.getId(), "name", role))));
    }

    /** An account that may manage users and nothing else: what a helpdesk or an HR system gets. */
    private static String helpdesk(DemoRealm realm) {
        String helpdesk = TestRealms.createUser(realm.resource, "helpdesk", PASSWORD, "employee");
        realm.grantClientRole(helpdesk, "realm-management", "manage-users");
        return helpdesk;
    }

    private static List<String> realmRoles(DemoRealm realm, String userId) {
        return realm.resource.users().get(userId).roles().realmLevel().listAll().stream()
                .map(r -> r.getName())
                .toList();
    }

    @Test
    @DisplayName(
            "given a helpdesk account with manage-users only, when it maps onboarding-verifier or onboarding-auditor "
                    + "to itself or to anyone, then 403, the role is not mapped, and the attempt is in the trail")
    void helpdeskCannotTakeVerifierOrAuditor() {
        DemoRealm realm = DemoRealm.importFresh("privileged-helpdesk");
        String helpdesk = helpdesk(realm);
        String colleague = TestRealms.createUser(realm.resource, "colleague", PASSWORD, "employee");
        String token = realm.tokenOf("helpdesk");

        for (String role : List.of("onboarding-verifier", "onboarding-auditor")) {
            Api.Reply self = mapRealmRole(realm, token, helpdesk, role);
            assertThat(self.status()).as(self.body()).isEqualTo(403);
            assertThat(self.json()).containsEntry("error", "privileged_role");
            Api.Reply other = mapRealmRole(realm, token, colleague, role);
            assertThat(other.status()).as(other.body()).isEqualTo(403);
        }
        assertThat(realmRoles(realm, helpdesk)).doesNotContain("onboarding-verifier", "onboarding-auditor");
        assertThat(realmRoles(realm, colleague)).doesNotContain("onboarding-verifier", "onboarding-auditor");
        assertThat(realm.auditEntries("actor=" + helpdesk + "&type=role.privileged_refused"))
                .contains("onboarding-verifier", "onboarding-auditor", colleague);

        // An ordinary role is still the helpdesk's to map.
        assertThat(mapRealmRole(realm, token, colleague, "employee").status()).isEqualTo(204);
    }

    @Test
    @DisplayName(
            "given a helpdesk account with manage-users only, when it maps onboarding-verifier to a group it made and "
                    + "joined a colleague to, then the mapping does not stand, nobody becomes a verifier, and the attempt is in the trail")
    void helpdeskCannotGiveTheRoleThroughAGroup() {
        DemoRealm realm = DemoRealm.importFresh("privileged-group");
        String helpdesk = helpdesk(realm);
        String colleague = TestRealms.createUser(realm.resource, "colleague", PASSWORD, "employee");
        String token = realm.tokenOf("helpdesk");
        Api.Reply created =
                Api.post("/admin/realms/" + realm.name + "/groups", token, Api.toJson(Map.of("name", "night-shift")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String groupId =
                realm.resource.groups().groups("night-shift", 0, 1).get(0).getId();
        assertThat(Api.call(
                                "PUT",
                                "/admin/realms/" + realm.name + "/users/" + colleague + "/groups/" + groupId,
                                token,
                                null)
                        .status())
                .isEqualTo(204);

        var verifierRole = realm.resource.roles().get("onboarding-verifier").toRepresentation();
        Api.post(
                "/admin/realms/" + realm.name + "/groups/" + groupId + "/role-mappings/realm",
                token,
                Api.toJson(List.of(Map.of("id", verifierRole.getId(), "name", "onboarding-verifier"))));

        assertThat(realm.resource.groups().group(groupId).roles().realmLevel().listAll())
                .extracting(r -> r.getName())
                .doesNotContain("onboarding-verifier");
        assertThat(realm.resource.users().get(colleague).roles().realmLevel().listEffective())
                .extracting(r -> r.getName())
                .doesNotContain("onboarding-verifier");
        assertThat(realm.auditEntries("actor=" + helpdesk + "&type=role.privileged_refused"))
                .contains("/night-shift");
    }

    @Test
    @DisplayName(
            "given an admin with manage-realm, when they appoint a verifier, then the mapping stands and is in the trail")
    void realmAdminAppointsVerifier() {
        DemoRealm realm = DemoRealm.importFresh("privileged-appointed");
        String appointee = TestRealms.createUser(realm.resource, "appointee", PASSWORD, "employee");
        Api.Reply appointed = mapRealmRole(realm, realm.adminToken(), appointee, "onboarding-verifier");
        assertThat(appointed.status()).as(appointed.body()).isEqualTo(204);
        assertThat(realmRoles(realm, appointee)).contains("onboarding-verifier");
        assertThat(realm.auditEntries("subject=" + appointee + "&type=role.privileged_granted"))
                .contains("onboarding-verifier", realm.userIdOf("iam-admin"));
    }

    @Test
    @DisplayName(
            "given a verifier who created the hire's case, when they open a ceremony for it, then 403 verifier_is_creator")
    void creatorCannotVerify() {
        DemoRealm realm = DemoRealm.importFresh("privileged-creator");
        String verifier = realm.userIdOf("verifier");
        realm.grantClientRole(verifier, "realm-management", "manage-users");
        Api.Reply created = Api.post(
                realm.casesPath(),
                realm.tokenOf("verifier"),
                Api.toJson(Map.of(
                        "username",
                        "own-hire",
                        "email",
                        "own-hire@example.com",
                        "firstName",
                        "Own",
                        "lastName",
                        "Hire",
                        "sponsor",
                        "hiring-manager",
                        "invitation",
                        Map.of("send", false, "actions", List.of()))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // The hire has started probation, so the document step is due: only the creator rule can refuse.
        realm.setPassword(DemoRealm.userId(created.json()));
        realm.tokenOf("own-hire");

        Api.Reply ceremony = VerifierApi.open(
                realm.name,
                realm.consoleTokenOf("verifier"),
                (String) created.json().get("id"),
                "DOCUMENT",
                "VIDEO");
        assertThat(ceremony.status()).as(ceremony.body()).isEqualTo(403);
        assertThat(ceremony.json()).containsEntry("error", "verifier_is_creator");
    }

    @Test
    @DisplayName("given a realm admin who mapped onboarding-verifier to themself, when they open a ceremony, then 403 "
            + "verifier_self_appointed; a verifier appointed by someone else may")
    void selfAppointedCannotVerify() {
        DemoRealm realm = DemoRealm.importFresh("privileged-self");
        String lead = TestRealms.createUser(realm.resource, "security-lead", PASSWORD, "employee");
        realm.grantClientRole(lead, "realm-management", "realm-admin");
        assertThat(mapRealmRole(realm, realm.tokenOf("security-lead"), lead, "onboarding-verifier")
                        .status())
                .isEqualTo(204);
        String caseId = realm.hireInProbation("someone", Map.of());

        Api.Reply ceremony =
                VerifierApi.open(realm.name, realm.consoleTokenOf("security-lead"), caseId, "DOCUMENT", "VIDEO");
        assertThat(ceremony.status()).as(ceremony.body()).isEqualTo(403);
        assertThat(ceremony.json()).containsEntry("error", "verifier_self_appointed");
        assertThat(realm.auditEntries("subject=" + lead + "&type=role.privileged_granted"))
                .contains("\"selfGranted\":true");

        Api.Reply appointed =
                VerifierApi.open(realm.name, realm.consoleTokenOf("verifier"), caseId, "DOCUMENT", "VIDEO");
        assertThat(appointed.status()).as(appointed.body()).isEqualTo(201);
    }
}

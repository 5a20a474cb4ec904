package io.github.onboardingguard.admin;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

@DisplayName("Admin API POST /admin/realms/{realm}/onboarding/cases/adopt: an existing user put on onboarding")
class AdoptionApiIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;
    private static DemoRealm otherRealm;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("adopt");
        otherRealm = DemoRealm.importFresh("adopt-other");
        realm.letAdminsEditAnyAttribute();
    }

    /** An employee as they exist before adoption: the engineering group (giving employee) and a session. */
    private static String employee(String username) {
        String userId = TestRealms.createUser(realm.resource, username, PASSWORD, "employee");
        String engineering =
                realm.resource.groups().groups("engineering", 0, 1).get(0).getId();
        realm.resource.users().get(userId).joinGroup(engineering);
        return userId;
    }

    private static String adoptPath() {
        return realm.casesPath() + "/adopt";
    }

    private static boolean hasCase(String userId) {
        Map<String, List<String>> attributes = realm.user(userId).getAttributes();
        return attributes != null && attributes.containsKey("onboarding-case");
    }

    @Test
    @DisplayName("what the user held beyond probation is held on the case, their sessions end, the trail says adopted")
    void adoptsAnEmployee() {
        String userId = employee("ulla");
        Tokens.TokenResponse before =
                Tokens.passwordGrant(realm.name, DemoRealm.OPEN_CLIENT, DemoRealm.OPEN_CLIENT_SECRET, "ulla", PASSWORD);
        assertThat(before.status()).isEqualTo(200);

        Api.Reply adopted = Api.post(
                adoptPath(), realm.adminToken(), Api.toJson(Map.of("user", "ulla", "sponsor", "hiring-manager")));

        assertThat(adopted.status()).as(adopted.body()).isEqualTo(201);
        assertThat(adopted.header("Location"))
                .endsWith("/onboarding/cases/" + adopted.json().get("id"));
        assertThat(adopted.json()).containsEntry("stage", "INVITED");
        assertThat(JsonFields.list(adopted.json(), "deferredGrants.held").stream()
                        .map(row -> (String) JsonFields.at(row, "grant")))
                .contains("employee", "/engineering");
        assertThat(realm.resource.users().get(userId).groups()).isEmpty();
        assertThat(realm.resource.users().get(userId).roles().realmLevel().listEffective().stream()
                        .map(RoleRepresentation::getName))
                .contains("onboarding-probationary")
                .doesNotContain("employee");
        Tokens.TokenResponse refreshed =
                Tokens.refresh(realm.name, DemoRealm.OPEN_CLIENT, DemoRealm.OPEN_CLIENT_SECRET, before.refreshToken());
        assertThat(refreshed.status()).as("the session from before adoption").isEqualTo(400);
        Tokens.TokenResponse closed = Tokens.passwordGrant(
                realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, "ulla", PASSWORD);
        assertThat(closed.status()).isEqualTo(400);
        assertThat(realm.auditEntries("subject=ulla&type=case.created")).contains("\"path\":\"adopted\"");
    }

    @Test
    @DisplayName("may start straight in PROBATION")
    void startsInProbation() {
        employee("piet");
        Api.Reply adopted = Api.post(
                adoptPath(),
                realm.adminToken(),
                Api.toJson(Map.of("user", "piet", "sponsor", "hiring-manager", "stage", "PROBATION")));
        assertThat(adopted.status()).as(adopted.body()).isEqualTo(201);
        assertThat(adopted.json()).containsEntry("stage", "PROBATION");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("unknown user", "{\"user\":\"nobody-here\",\"sponsor\":\"hiring-manager\"}", 400),
                Arguments.of("the caller", "{\"user\":\"iam-admin\",\"sponsor\":\"hiring-manager\"}", 409),
                Arguments.of(
                        "a stage other than INVITED or PROBATION",
                        "{\"user\":\"victor-staff\",\"sponsor\":\"hiring-manager\",\"stage\":\"VERIFIED\"}",
                        400),
                Arguments.of(
                        "an unknown stage",
                        "{\"user\":\"victor-staff\",\"sponsor\":\"hiring-manager\",\"stage\":\"HIRED\"}",
                        400),
                Arguments.of(
                        "the user as their own sponsor",
                        "{\"user\":\"victor-staff\",\"sponsor\":\"victor-staff\"}",
                        400),
                Arguments.of("no sponsor", "{\"user\":\"victor-staff\"}", 400),
                Arguments.of(
                        "an unknown field", "{\"user\":\"victor-staff\",\"sponsor\":\"hiring-manager\",\"x\":1}", 400),
                Arguments.of("not JSON", "{user", 400));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refusals")
    @DisplayName("refuses bad input and impossible adoptions with a JSON error, writing nothing")
    void refusesBadInput(String label, String body, int expected) {
        if (realm.resource.users().searchByUsername("victor-staff", true).isEmpty()) {
            employee("victor-staff");
        }
        String staff = realm.userIdOf("victor-staff");
        Api.Reply reply = Api.post(adoptPath(), realm.adminToken(), body);
        assertThat(reply.status()).as("%s: %s", label, reply.body()).isEqualTo(expected);
        assertThat(reply.json()).containsKeys("error", "message");
        assertThat(hasCase(staff)).isFalse();
        assertThat(hasCase(realm.userIdOf("iam-admin"))).isFalse();
    }

    @Test
    @DisplayName("a realm admin, a user who already has a case and a service account cannot be adopted")
    void refusesWhoCannotBeAdopted() {
        String admin = TestRealms.createUser(realm.resource, "second-admin", PASSWORD);
        realm.grantClientRole(admin, "realm-management", "realm-admin");
        Api.Reply adminRefused = Api.post(
                adoptPath(),
                realm.adminToken(),
                Api.toJson(Map.of("user", "second-admin", "sponsor", "hiring-manager")));
        assertThat(adminRefused.status()).as(adminRefused.body()).isEqualTo(409);
        assertThat(adminRefused.body()).contains("realm-management/");
        assertThat(hasCase(admin)).isFalse();

        realm.createHire("already-hired", Map.of());
        Api.Reply twice = Api.post(
                adoptPath(),
                realm.adminToken(),
                Api.toJson(Map.of("user", "already-hired", "sponsor", "hiring-manager")));
        assertThat(twice.status()).as(twice.body()).isEqualTo(409);
        assertThat(twice.json()).containsEntry("error", "case_exists");

        String serviceAccount = realm.resource
                .clients()
                .findByClientId(DemoRealm.OPEN_CLIENT)
                .get(0)
                .getId();
        var account = realm.resource.clients().get(serviceAccount).toRepresentation();
        account.setServiceAccountsEnabled(true);
        realm.resource.clients().get(serviceAccount).update(account);
        String accountUser = realm.resource
                .clients()
                .get(serviceAccount)
                .getServiceAccountUser()
                .getId();
        Api.Reply robot = Api.post(
                adoptPath(), realm.adminToken(), Api.toJson(Map.of("user", accountUser, "sponsor", "hiring-manager")));
        assertThat(robot.status()).as(robot.body()).isEqualTo(409);
    }

    @Test
    @DisplayName(
            "a helpdesk admin with manage-users alone cannot take away a role they could not grant: 403, nothing held")
    void heldOnlyWhatTheCallerCouldGrant() {
        String helpdesk = TestRealms.createUser(realm.resource, "helpdesk", PASSWORD);
        realm.grantClientRole(helpdesk, "realm-management", "manage-users");
        String auditorLike = TestRealms.createUser(realm.resource, "reporting-user", PASSWORD);
        realm.grantClientRole(auditorLike, "realm-management", "view-events");

        Api.Reply refused = Api.post(
                adoptPath(),
                realm.tokenOf("helpdesk"),
                Api.toJson(Map.of("user", "reporting-user", "sponsor", "hiring-manager")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("realm-management/view-events");
        assertThat(hasCase(auditorLike)).isFalse();
        assertThat(realm.effectiveClientRoles(auditorLike, "realm-management")).contains("view-events");
    }

    @Test
    @DisplayName("checks authorization for every role: anonymous 401; hire, verifier, auditor, sponsor and another "
            + "realm's admin 403, writing nothing")
    void authorizationMatrix() {
        String probe = employee("adopt-probe");
        realm.createHireWithPassword("adopt-hire", Map.of());
        String body = Api.toJson(Map.of("user", "adopt-probe", "sponsor", "hiring-manager"));

        assertThat(Api.post(adoptPath(), null, body).status()).as("anonymous").isEqualTo(401);
        for (Map.Entry<String, String> caller : Map.of(
                        "hire", realm.tokenOf("adopt-hire"),
                        "verifier", realm.consoleTokenOf("verifier"),
                        "auditor", realm.consoleTokenOf("auditor"),
                        "sponsor", realm.tokenOf("hiring-manager"),
                        "admin of another realm", otherRealm.adminToken())
                .entrySet()) {
            Api.Reply reply = Api.post(adoptPath(), caller.getValue(), body);
            assertThat(reply.status())
                    .as("%s: %s", caller.getKey(), reply.body())
                    .isEqualTo(403);
        }
        assertThat(hasCase(probe)).isFalse();
        assertThat(realm.resource.users().get(probe).groups().stream().map(GroupRepresentation::getPath))
                .containsExactly("/engineering");
        assertThat(Api.post(adoptPath(), realm.adminToken(), body).status()).isEqualTo(201);
    }
}

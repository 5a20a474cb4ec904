package io.github.onboardingguard.admin;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

@DisplayName("Admin API POST /admin/realms/{realm}/onboarding/cases/bulk: many hires from one CSV file")
class BulkStartIT extends KeycloakIntegrationTest {

    private static final String CSV = "text/csv";
    private static DemoRealm realm;
    private static DemoRealm otherRealm;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("bulk");
        otherRealm = DemoRealm.importFresh("bulk-other");
    }

    private static String bulkPath() {
        return realm.casesPath() + "/bulk";
    }

    private static Api.Reply send(String csv) {
        return Api.post(bulkPath(), realm.adminToken(), csv, CSV);
    }

    private static List<Map<String, Object>> rows(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) (List<?>) JsonFields.list(reply.json(), "rows");
        return rows;
    }

    private static List<String> realmRoles(String userId) {
        return realm.resource.users().get(userId).roles().realmLevel().listEffective().stream()
                .map(RoleRepresentation::getName)
                .toList();
    }

    private static boolean exists(String username) {
        return !realm.resource.users().searchByUsername(username, true).isEmpty();
    }

    @Test
    @DisplayName("new usernames become hires with their grants deferred, an existing user is adopted, a user with a "
            + "case is left alone; the same file sent again changes nothing")
    void createsAdoptsAndIsIdempotent() {
        realm.createHire("bulk-existing-hire", Map.of());
        String employee = TestRealms.createUser(realm.resource, "bulk-employee", PASSWORD, "employee");
        String file = "username,email,firstName,lastName,sponsor,groups,invite\n"
                + "bulk-new-1,bulk-new-1@example.com,Nia,New,hiring-manager,/engineering,false\n"
                + "bulk-new-2,,\"Smith, Jr.\",Two,hiring-manager,,\n"
                + "bulk-employee,,,,hiring-manager,,\n"
                + "bulk-existing-hire,,,,hiring-manager,,\n";

        List<Map<String, Object>> first = rows(send(file));
        assertThat(first)
                .extracting(r -> r.get("result"))
                .containsExactly("created", "created", "adopted", "unchanged");
        assertThat(first).extracting(r -> r.get("line")).containsExactly(2, 3, 4, 5);
        Map<String, Object> created = Api.get(
                        realm.casesPath() + "/" + first.get(0).get("caseId"), realm.adminToken())
                .json();
        assertThat(JsonFields.at(created, "deferredGrants.groups")).isEqualTo(List.of("/engineering"));
        assertThat(JsonFields.at(created, "stage")).isEqualTo("INVITED");
        assertThat(realm.resource
                        .users()
                        .get(realm.userIdOf("bulk-new-2"))
                        .toRepresentation()
                        .getFirstName())
                .isEqualTo("Smith, Jr.");
        assertThat(realmRoles(employee)).contains("onboarding-probationary").doesNotContain("employee");

        Api.Reply again = send(file);
        assertThat(rows(again))
                .extracting(r -> r.get("result"))
                .containsExactly("unchanged", "unchanged", "unchanged", "unchanged");
        assertThat(rows(again))
                .extracting(r -> r.get("caseId"))
                .containsExactlyElementsOf(
                        first.stream().map(r -> r.get("caseId")).toList());
        assertThat(JsonFields.at(again.json(), "summary.unchanged")).isEqualTo(4);
    }

    @Test
    @DisplayName("bad rows answer for themselves with the column and write nothing: unknown group, duplicate username, "
            + "a formula, a malformed line, an unknown sponsor, grants for an existing user; good rows still start")
    void badRowsWriteNothing() {
        TestRealms.createUser(realm.resource, "bulk-grouped-employee", PASSWORD, "employee");
        String engineering =
                realm.resource.groups().groups("engineering", 0, 1).get(0).getId();
        String groupedEmployee = realm.userIdOf("bulk-grouped-employee");
        realm.resource.users().get(groupedEmployee).joinGroup(engineering);
        String file = "username,sponsor,groups,firstName\n"
                + "bulk-bad-group,hiring-manager,/no-such-group,Ann\n"
                + "bulk-twice,hiring-manager,,Bo\n"
                + "BULK-TWICE,hiring-manager,,Bo\n"
                + "bulk-formula,hiring-manager,,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n"
                + "bulk-malformed,hiring-manager,x\"y,Cy\n"
                + "bulk-no-sponsor,nobody-of-that-name,,Di\n"
                + "bulk-grouped-employee,hiring-manager,/engineering,\n"
                + "bulk-good,hiring-manager,,Ed\n";

        List<Map<String, Object>> results = rows(send(file));
        assertThat(results)
                .extracting(r -> r.get("result"))
                .containsExactly(
                        "refused", "created", "refused", "refused", "refused", "refused", "refused", "created");
        assertThat(results)
                .extracting(r -> r.get("error"))
                .containsExactly(
                        "invalid_request",
                        null,
                        "duplicate_username",
                        "formula_refused",
                        "malformed_row",
                        "invalid_request",
                        "invalid_request",
                        null);
        assertThat(results)
                .extracting(r -> r.get("field"))
                .containsExactly("groups", null, "username", "firstName", null, "sponsor", "realmRoles", null);
        for (String refused : List.of("bulk-bad-group", "bulk-formula", "bulk-malformed", "bulk-no-sponsor")) {
            assertThat(exists(refused)).as(refused).isFalse();
        }
        assertThat(realm.resource.users().get(groupedEmployee).groups().stream().map(GroupRepresentation::getPath))
                .as("the existing user is untouched")
                .containsExactly("/engineering");
        assertThat(realmRoles(groupedEmployee)).contains("employee").doesNotContain("onboarding-probationary");
    }

    @Test
    @DisplayName("given an applicant whose username is an employee's id, when HR's file names that username, then the "
            + "applicant is adopted, not the employee; the single adoption API refuses the name as ambiguous")
    void usernameThatIsAnotherUsersId() {
        String victim = TestRealms.createUser(realm.resource, "bulk-id-victim", PASSWORD, "employee");
        String applicant = TestRealms.createUser(realm.resource, victim, PASSWORD);

        Api.Reply single = Api.post(
                realm.casesPath() + "/adopt",
                realm.adminToken(),
                Api.toJson(Map.of("user", victim, "sponsor", "hiring-manager")));
        assertThat(single.status()).as(single.body()).isEqualTo(400);
        assertThat(single.json()).containsEntry("field", "user");

        List<Map<String, Object>> results = rows(send("username,sponsor\n" + victim + ",hiring-manager\n"));
        assertThat(results).extracting(r -> r.get("result")).containsExactly("adopted");
        assertThat(realmRoles(victim)).contains("employee").doesNotContain("onboarding-probationary");
        assertThat(realmRoles(applicant)).contains("onboarding-probationary");
    }

    @Test
    @DisplayName("a file over the row limit is refused with 413 and nothing of it is written; a bad header, an empty "
            + "body and a file over 1 MiB are refused whole")
    void bounds() {
        String tooMany = "username,sponsor\n"
                + IntStream.range(0, 10_000)
                        .mapToObj(i -> "bulk-flood-" + i + ",hiring-manager")
                        .collect(Collectors.joining("\n"));
        Api.Reply flood = send(tooMany);
        assertThat(flood.status()).as(flood.body()).isEqualTo(413);
        assertThat(flood.json()).containsEntry("error", "too_many_rows").containsEntry("maxRows", 1000);
        assertThat(exists("bulk-flood-0")).isFalse();

        Api.Reply header = send("username,sponsor,salary\nx,hiring-manager,1\n");
        assertThat(header.status()).isEqualTo(400);
        assertThat(header.json()).containsEntry("field", "header");
        assertThat(exists("x")).isFalse();
        assertThat(send("").status()).isEqualTo(400);
        Api.Reply huge = send("username,sponsor,firstName\nbulk-huge,hiring-manager," + "a".repeat(1_100_000) + "\n");
        assertThat(huge.status()).as(huge.body()).isIn(413);
        assertThat(exists("bulk-huge")).isFalse();
    }

    @Test
    @DisplayName("checks authorization for every role: anonymous 401; hire, verifier, auditor and another realm's "
            + "admin 403, creating nobody")
    void authorizationMatrix() {
        realm.createHireWithPassword("bulk-matrix-hire", Map.of());
        String file = "username,sponsor\nbulk-matrix-probe,hiring-manager\n";

        assertThat(Api.post(bulkPath(), null, file, CSV).status())
                .as("anonymous")
                .isEqualTo(401);
        for (Map.Entry<String, String> caller : Map.of(
                        "hire", realm.tokenOf("bulk-matrix-hire"),
                        "verifier", realm.consoleTokenOf("verifier"),
                        "auditor", realm.consoleTokenOf("auditor"),
                        "admin of another realm", otherRealm.adminToken())
                .entrySet()) {
            Api.Reply reply = Api.post(bulkPath(), caller.getValue(), file, CSV);
            assertThat(reply.status())
                    .as("%s: %s", caller.getKey(), reply.body())
                    .isEqualTo(403);
        }
        assertThat(exists("bulk-matrix-probe")).isFalse();
        assertThat(rows(send(file))).extracting(r -> r.get("result")).containsExactly("created");
    }
}

package io.github.onboardingguard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

@DisplayName("Admin API /admin/realms/{realm}/onboarding/cases")
class CasesAdminApiIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;
    private static DemoRealm otherRealm;
    private static String existingCaseId;
    private static String hireUsername = "matrix-hire";

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("cases-api");
        otherRealm = DemoRealm.importFresh("cases-api-other");
        Map<String, Object> existing = realm.createHireWithPassword(hireUsername, Map.of());
        existingCaseId = (String) existing.get("id");
    }

    @Nested
    @DisplayName("creating a hire")
    class Create {

        @Test
        @DisplayName("creates user, case and deferred grants, and gives only the probationary role")
        void createsEverything() {
            Api.Reply reply = Api.post(
                    realm.casesPath(),
                    realm.adminToken(),
                    Api.toJson(Map.of(
                            "username",
                            "ada",
                            "email",
                            "ada@example.com",
                            "firstName",
                            "Ada",
                            "lastName",
                            "Lovelace",
                            "sponsor",
                            "hiring-manager",
                            "grants",
                            Map.of(
                                    "realmRoles",
                                    List.of("employee"),
                                    "groups",
                                    List.of("/engineering"),
                                    "clientRoles",
                                    Map.of("realm-management", List.of("view-users"))),
                            "invitation",
                            Map.of("send", false))));

            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            Map<String, Object> body = reply.json();
            assertThat(reply.header("Location")).endsWith("/onboarding/cases/" + body.get("id"));
            assertThat(body).containsEntry("stage", "INVITED").containsEntry("overdue", false);
            assertThat(JsonFields.at(body, "sponsor.username")).isEqualTo("hiring-manager");
            Map<String, Object> grants = new java.util.HashMap<>(JsonFields.object(body, "deferredGrants"));
            assertThat((List<?>) grants.remove("items"))
                    .extracting(item -> String.valueOf(((Map<?, ?>) item).get("grant")))
                    .containsExactlyInAnyOrder("employee", "realm-management/view-users", "/engineering");
            assertThat(grants)
                    .isEqualTo(Map.of(
                            "realmRoles", List.of("employee"),
                            "clientRoles", Map.of("realm-management", List.of("view-users")),
                            "groups", List.of("/engineering"),
                            "held", List.of()));
            assertThat((List<?>) body.get("history")).hasSize(1);
            assertThat(body.get("invitation"))
                    .isEqualTo(Map.of(
                            "actions",
                            List.of("UPDATE_PASSWORD", "CONFIGURE_TOTP", "VERIFY_EMAIL"),
                            "status",
                            "NOT_SENT"));
            // Default deadline: the policy's 30 days.
            Instant deadline = Instant.parse((String) body.get("deadline"));
            assertThat(deadline)
                    .isBetween(
                            Instant.now().plus(29, ChronoUnit.DAYS),
                            Instant.now().plus(31, ChronoUnit.DAYS));

            String userId = DemoRealm.userId(body);
            UserRepresentation user = realm.user(userId);
            assertThat(user.isEnabled()).isTrue();
            assertThat(user.getRequiredActions())
                    .containsExactlyInAnyOrder("UPDATE_PASSWORD", "CONFIGURE_TOTP", "VERIFY_EMAIL");
            List<String> roles = realm.resource.users().get(userId).roles().realmLevel().listAll().stream()
                    .map(RoleRepresentation::getName)
                    .toList();
            assertThat(roles).contains("onboarding-probationary").doesNotContain("employee");
            assertThat(realm.resource.users().get(userId).groups()).isEmpty();
        }

        @Test
        @DisplayName("takes an explicit deadline")
        void explicitDeadline() {
            Instant deadline = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            Map<String, Object> created = realm.createHire("grace", Map.of("deadline", deadline.toString()));
            assertThat(created).containsEntry("deadline", deadline.toString());
        }
    }

    @Nested
    @DisplayName("reading cases")
    class Read {

        @Test
        @DisplayName("lists with stage, sponsor and overdue filters and pagination")
        void listAndFilter() {
            DemoRealm own = DemoRealm.importFresh("cases-list");
            String token = own.adminToken();
            for (String name : List.of("list-1", "list-2", "list-3")) {
                own.createHire(name, Map.of());
            }
            Map<String, Object> page =
                    Api.get(own.casesPath() + "?max=2", token).json();
            assertThat((List<?>) page.get("items")).hasSize(2);
            assertThat(page).containsEntry("total", 3).containsEntry("first", 0).containsEntry("max", 2);
            Map<String, Object> second =
                    Api.get(own.casesPath() + "?first=2&max=2", token).json();
            assertThat((List<?>) second.get("items")).hasSize(1);

            assertThat(Api.get(own.casesPath() + "?stage=INVITED", token).json())
                    .containsEntry("total", 3);
            assertThat(Api.get(own.casesPath() + "?stage=verified", token).json())
                    .containsEntry("total", 0);
            assertThat(Api.get(own.casesPath() + "?sponsor=hiring-manager", token)
                            .json())
                    .containsEntry("total", 3);
            assertThat(Api.get(own.casesPath() + "?sponsor=verifier", token).json())
                    .containsEntry("total", 0);
            assertThat(Api.get(own.casesPath() + "?overdue=true", token).json()).containsEntry("total", 0);
            assertThat(Api.get(own.casesPath() + "?overdue=false", token).json())
                    .containsEntry("total", 3);
        }

        @Test
        @DisplayName("reads one case with its history")
        void readOne() {
            Map<String, Object> body = realm.getCase(existingCaseId);
            assertThat(body).containsEntry("id", existingCaseId).containsKeys("history", "deferredGrants", "deadline");
        }
    }

    @Nested
    @DisplayName("changing cases")
    class Change {

        @Test
        @DisplayName("changes sponsor and deadline")
        void patch() {
            String caseId = (String) realm.createHire("patch-me", Map.of()).get("id");
            Instant deadline = Instant.now().plus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            Api.Reply reply = Api.call(
                    "PATCH",
                    realm.casesPath() + "/" + caseId,
                    realm.adminToken(),
                    Api.toJson(Map.of("sponsor", "verifier", "deadline", deadline.toString())));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json()).containsEntry("deadline", deadline.toString());
            assertThat(JsonFields.at(reply.json(), "sponsor.username")).isEqualTo("verifier");
        }

        @Test
        @DisplayName("suspends (disabling the user), reinstates to the stage it left, rejects, then refuses more")
        void suspendReinstateReject() {
            Map<String, Object> created = realm.createHire("suspend-me", Map.of());
            String path = realm.casesPath() + "/" + created.get("id");
            String userId = DemoRealm.userId(created);
            String token = realm.adminToken();
            String reason = Api.toJson(Map.of("reason", "shared credentials seen"));

            Api.Reply suspended = Api.post(path + "/suspend", token, reason);
            assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
            assertThat(suspended.json()).containsEntry("stage", "SUSPENDED").containsEntry("suspendedFrom", "INVITED");
            assertThat(realm.user(userId).isEnabled()).isFalse();

            Api.Reply reinstated = Api.post(path + "/reinstate", token, reason);
            assertThat(reinstated.json()).containsEntry("stage", "INVITED");
            assertThat(realm.user(userId).isEnabled()).isTrue();

            Api.Reply rejected = Api.post(path + "/reject", token, reason);
            assertThat(rejected.json()).containsEntry("stage", "REJECTED");
            assertThat(realm.user(userId).isEnabled()).isFalse();

            Api.Reply again = Api.post(path + "/reinstate", token, reason);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json()).containsEntry("error", "illegal_transition");
            List<?> history =
                    (List<?>) realm.getCase((String) created.get("id")).get("history");
            assertThat(history).hasSize(4);
            assertThat(JsonFields.object(history, "[1]"))
                    .containsEntry("to", "SUSPENDED")
                    .containsEntry("reason", "shared credentials seen");
        }
    }

    static Stream<Arguments> badRequests() {
        String longText = "x".repeat(70_000);
        String tooLong = "y".repeat(300);
        String past = Instant.now().minus(1, ChronoUnit.DAYS).toString();
        String tooFar = Instant.now().plus(400, ChronoUnit.DAYS).toString();
        List<Arguments> cases = new ArrayList<>();
        // POST /cases: each refused before anything is written.
        cases.add(Arguments.of("empty body", "POST", "", "", 400));
        cases.add(Arguments.of("not JSON", "POST", "", "{username:", 400));
        cases.add(Arguments.of("JSON array", "POST", "", "[]", 400));
        cases.add(Arguments.of("huge body", "POST", "", "{\"username\":\"" + longText + "\"}", 400));
        cases.add(Arguments.of("unknown field", "POST", "", hire("bad1", Map.of("isAdmin", true)), 400));
        cases.add(Arguments.of("missing username", "POST", "", "{\"sponsor\":\"hiring-manager\"}", 400));
        cases.add(Arguments.of(
                "username wrong type", "POST", "", "{\"username\":42,\"sponsor\":\"hiring-manager\"}", 400));
        cases.add(Arguments.of("username too long", "POST", "", hireNamed(tooLong, Map.of()), 400));
        cases.add(Arguments.of("missing sponsor", "POST", "", "{\"username\":\"bad2\"}", 400));
        cases.add(Arguments.of("unknown sponsor", "POST", "", hire("bad3", Map.of("sponsor", "nobody")), 400));
        cases.add(Arguments.of("sponsor is the hire", "POST", "", hire("hiring-manager", Map.of()), 400));
        cases.add(Arguments.of("duplicate username", "POST", "", hire("matrix-hire", Map.of()), 400));
        cases.add(Arguments.of(
                "duplicate email", "POST", "", hire("bad4", Map.of("email", "verifier@example.com")), 400));
        cases.add(Arguments.of("invalid email", "POST", "", hire("bad5", Map.of("email", "not-an-email")), 400));
        cases.add(Arguments.of("deadline in the past", "POST", "", hire("bad6", Map.of("deadline", past)), 400));
        cases.add(Arguments.of("deadline too far", "POST", "", hire("bad7", Map.of("deadline", tooFar)), 400));
        cases.add(Arguments.of("deadline not a date", "POST", "", hire("bad8", Map.of("deadline", "tomorrow")), 400));
        cases.add(Arguments.of(
                "deadline beyond year 9999",
                "POST",
                "",
                hire("bad8b", Map.of("deadline", "+1000000000-12-31T23:59:59Z")),
                400));
        cases.add(Arguments.of(
                "unknown realm role",
                "POST",
                "",
                hire("bad9", Map.of("grants", Map.of("realmRoles", List.of("root")))),
                400));
        cases.add(Arguments.of(
                "unknown group", "POST", "", hire("bad10", Map.of("grants", Map.of("groups", List.of("/nope")))), 400));
        cases.add(Arguments.of(
                "unknown client",
                "POST",
                "",
                hire("bad11", Map.of("grants", Map.of("clientRoles", Map.of("nope", List.of("x"))))),
                400));
        cases.add(Arguments.of(
                "unknown client role",
                "POST",
                "",
                hire("bad12", Map.of("grants", Map.of("clientRoles", Map.of("source-code", List.of("x"))))),
                400));
        cases.add(Arguments.of(
                "grants wrong type", "POST", "", hire("bad13", Map.of("grants", List.of("employee"))), 400));
        cases.add(Arguments.of(
                "roles wrong type",
                "POST",
                "",
                hire("bad14", Map.of("grants", Map.of("realmRoles", "employee"))),
                400));
        cases.add(Arguments.of(
                "role of other realm by id",
                "POST",
                "",
                hire("bad15", Map.of("grants", Map.of("realmRoles", List.of("00000000-0000-0000-0000-000000000000")))),
                400));
        cases.add(Arguments.of(
                "unknown required action",
                "POST",
                "",
                hire("bad16", Map.of("invitation", Map.of("send", false, "actions", List.of("BECOME_ADMIN")))),
                400));
        cases.add(Arguments.of(
                "invitation without mail server",
                "POST",
                "",
                hire("bad17", Map.of("invitation", Map.of("send", true))),
                400));
        cases.add(Arguments.of(
                "lifespan out of range",
                "POST",
                "",
                hire("bad18", Map.of("invitation", Map.of("send", false, "lifespanSeconds", -5))),
                400));
        // Reads with bad parameters.
        cases.add(Arguments.of("unknown stage filter", "GET", "?stage=ALMOST", null, 400));
        cases.add(Arguments.of("max too large", "GET", "?max=100000", null, 400));
        cases.add(Arguments.of("first negative", "GET", "?first=-1", null, 400));
        cases.add(Arguments.of("overdue not boolean", "GET", "?overdue=maybe", null, 400));
        cases.add(Arguments.of("unknown case id", "GET", "/00000000-0000-0000-0000-000000000000", null, 404));
        cases.add(Arguments.of("huge case id", "GET", "/" + tooLong, null, 404));
        // Changes with bad payloads, and illegal transitions.
        cases.add(Arguments.of("patch nothing", "PATCH", "/{case}", "{}", 400));
        cases.add(Arguments.of("patch unknown field", "PATCH", "/{case}", "{\"stage\":\"VERIFIED\"}", 400));
        cases.add(Arguments.of("patch past deadline", "PATCH", "/{case}", "{\"deadline\":\"" + past + "\"}", 400));
        cases.add(Arguments.of("patch unknown sponsor", "PATCH", "/{case}", "{\"sponsor\":\"ghost\"}", 400));
        cases.add(Arguments.of("patch unknown case", "PATCH", "/nope", "{\"sponsor\":\"verifier\"}", 404));
        cases.add(Arguments.of("suspend without reason", "POST", "/{case}/suspend", "{}", 400));
        cases.add(Arguments.of(
                "suspend reason too long",
                "POST",
                "/{case}/suspend",
                "{\"reason\":\"" + "r".repeat(2000) + "\"}",
                400));
        cases.add(Arguments.of(
                "reject reason over 1024 characters",
                "POST",
                "/{case}/reject",
                "{\"reason\":\"" + "r".repeat(1025) + "\"}",
                400));
        cases.add(Arguments.of(
                "reinstate a case that is not suspended", "POST", "/{case}/reinstate", "{\"reason\":\"x\"}", 409));
        cases.add(Arguments.of(
                "suspend a case of another realm", "POST", "/{otherCase}/suspend", "{\"reason\":\"x\"}", 404));
        return cases.stream();
    }

    private static String hire(String username, Map<String, Object> overrides) {
        return hireNamed(username, overrides);
    }

    private static String hireNamed(String username, Map<String, Object> overrides) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("username", username);
        body.put("email", username.length() < 60 ? username + "@example.com" : "long@example.com");
        body.put("sponsor", "hiring-manager");
        body.put("invitation", Map.of("send", false));
        body.putAll(overrides);
        return Api.toJson(body);
    }

    private static String otherRealmCaseId;

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("badRequests")
    @DisplayName("refuses malformed and hostile input with a JSON error and changes nothing")
    void refusesBadInput(String label, String method, String suffix, String body, int expected) {
        if (otherRealmCaseId == null) {
            otherRealmCaseId =
                    (String) otherRealm.createHire("other-hire", Map.of()).get("id");
        }
        String path =
                realm.casesPath() + suffix.replace("{case}", existingCaseId).replace("{otherCase}", otherRealmCaseId);
        int usersBefore = realm.resource.users().count();
        Map<String, Object> caseBefore = realm.getCase(existingCaseId);

        Api.Reply reply = Api.call(method, path, realm.adminToken(), body);

        assertThat(reply.status()).as("%s: %s", label, reply.body()).isEqualTo(expected);
        Map<String, Object> error = reply.json();
        assertThat(error).containsKeys("error", "message");
        assertThat((String) error.get("message")).isNotBlank();
        assertThat(realm.resource.users().count()).as("no user written").isEqualTo(usersBefore);
        assertThat(realm.getCase(existingCaseId)).as("case unchanged").isEqualTo(caseBefore);
        assertThat(Api.get(otherRealm.casesPath() + "/" + otherRealmCaseId, otherRealm.adminToken())
                        .json())
                .containsEntry("stage", "INVITED");
    }

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("list", "GET", "", null, true),
                Arguments.of("read", "GET", "/{case}", null, true),
                Arguments.of(
                        "create",
                        "POST",
                        "",
                        "{\"username\":\"role-probe\",\"sponsor\":\"hiring-manager\",\"invitation\":{\"send\":false}}",
                        false),
                Arguments.of("patch", "PATCH", "/{case}", "{\"sponsor\":\"hiring-manager\"}", false),
                Arguments.of("suspend", "POST", "/{case}/suspend", "{\"reason\":\"probe\"}", false),
                Arguments.of("reinstate", "POST", "/{case}/reinstate", "{\"reason\":\"probe\"}", false),
                Arguments.of("reject", "POST", "/{case}/reject", "{\"reason\":\"probe\"}", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    @DisplayName("checks authorization for every role on every endpoint")
    void authorizationMatrix(String label, String method, String suffix, String body, boolean read) {
        String hireToken = realm.tokenOf(hireUsername);
        String path = realm.casesPath() + suffix.replace("{case}", existingCaseId);
        Map<String, Object> before = realm.getCase(existingCaseId);
        int usersBefore = realm.resource.users().count();

        assertThat(Api.call(method, path, null, body).status()).as("anonymous").isEqualTo(401);
        for (Map.Entry<String, String> caller : Map.of(
                        "hire", hireToken,
                        "verifier", realm.consoleTokenOf("verifier"),
                        "auditor", realm.consoleTokenOf("auditor"),
                        "sponsor", realm.tokenOf("hiring-manager"),
                        "admin of another realm", otherRealm.adminToken())
                .entrySet()) {
            Api.Reply reply = Api.call(method, path, caller.getValue(), body);
            assertThat(reply.status())
                    .as("%s on %s: %s", caller.getKey(), label, reply.body())
                    .isEqualTo(403);
        }
        assertThat(realm.getCase(existingCaseId))
                .as("refused callers changed nothing")
                .isEqualTo(before);
        assertThat(realm.resource.users().count()).isEqualTo(usersBefore);

        Api.Reply asAdmin = Api.call(method, path, realm.adminToken(), body);
        int expected = read ? 200 : label.equals("create") ? 201 : label.equals("reinstate") ? 409 : 200;
        assertThat(asAdmin.status())
                .as("realm admin on %s: %s", label, asAdmin.body())
                .isEqualTo(expected);
        // Undo state changes so the other endpoints see the same case.
        if (label.equals("suspend")) {
            Api.post(
                    realm.casesPath() + "/" + existingCaseId + "/reinstate",
                    realm.adminToken(),
                    "{\"reason\":\"undo\"}");
        }
        if (label.equals("reject")) {
            hireUsername = "matrix-hire-" + System.nanoTime() % 100000;
            existingCaseId = (String)
                    realm.createHireWithPassword(hireUsername, Map.of()).get("id");
        }
    }
}

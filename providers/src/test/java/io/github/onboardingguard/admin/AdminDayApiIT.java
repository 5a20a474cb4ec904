package io.github.onboardingguard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.WebhookReceiver;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The admin's day: releasing one held grant, finding cases, the pipeline")
class AdminDayApiIT extends KeycloakIntegrationTest {

    private static final String REASON = "{\"reason\":\"granted by mistake\"}";

    private static DemoRealm realm;
    private static DemoRealm otherRealm;
    private static String viewOnlyAdmin;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("admin-day");
        otherRealm = DemoRealm.importFresh("admin-day-other");
        // An admin who may look at users but not change them.
        String id = TestRealms.createUser(realm.resource, "user-viewer", DemoRealm.PASSWORD, "employee");
        realm.grantClientRole(id, "realm-management", "view-users");
        viewOnlyAdmin = "user-viewer";
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static Map<String, Object> heldGrant(Map<String, Object> onboardingCase, String name) {
        List<Map<String, Object>> items = items(onboardingCase, "deferredGrants.items");
        return items.stream()
                .filter(item -> name.equals(item.get("grant")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no grant " + name + " in " + onboardingCase));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Object root, String path) {
        return (List<Map<String, Object>>) (List<?>) JsonFields.list(root, path);
    }

    private static String releasePath(String caseId, String grantId) {
        return realm.casesPath() + "/" + caseId + "/grants/" + grantId + "/release";
    }

    @Test
    @DisplayName("a released grant is never given: the hire is verified without it, and the trail says who and why")
    void releasedGrantIsNeverGiven() {
        Map<String, Object> created = realm.createHireWithPassword(
                "release-hire", Map.of("grants", Map.of("groups", List.of("/engineering"))));
        String caseId = (String) created.get("id");
        String userId = DemoRealm.userId(created);
        // An admin's mistake while the hire waits: the role is held, not given.
        realm.grantRealmRole(userId, "employee");
        Map<String, Object> before = realm.getCase(caseId);
        Map<String, Object> employee = heldGrant(before, "employee");
        assertThat(employee).containsEntry("held", true);

        Api.Reply released = Api.post(releasePath(caseId, (String) employee.get("id")), realm.adminToken(), REASON);

        assertThat(released.status()).as(released.body()).isEqualTo(200);
        List<Map<String, Object>> left = items(released.json(), "deferredGrants.items");
        assertThat(left).extracting(item -> item.get("grant")).containsExactly("/engineering");
        assertThat(realm.auditEntries("type=grant.released"))
                .contains("\"grant\":\"employee\"")
                .contains("granted by mistake")
                .contains(caseId);

        realm.applyEvent(caseId, "FIRST_LOGIN");
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        assertThat(realm.applyEvent(caseId, "IDENTITY_APPROVED")).isEqualTo("VERIFIED");
        List<String> roles = realm.resource.users().get(userId).roles().realmLevel().listAll().stream()
                .map(role -> role.getName())
                .toList();
        assertThat(roles).doesNotContain("employee");
        assertThat(realm.resource.users().get(userId).groups())
                .extracting(group -> group.getPath())
                .contains("/engineering");

        // Given at verification: releasing it now would be a lie.
        Map<String, Object> engineering = heldGrant(realm.getCase(caseId), "/engineering");
        Api.Reply late = Api.post(releasePath(caseId, (String) engineering.get("id")), realm.adminToken(), REASON);
        assertThat(late.status()).as(late.body()).isEqualTo(409);
        assertThat(late.json()).containsEntry("error", "grant_applied");
    }

    @Test
    @DisplayName("only who may give the grant may release it; everyone else is refused and nothing changes")
    void releaseAuthorization() {
        Map<String, Object> created = realm.createHireWithPassword(
                "release-matrix", Map.of("grants", Map.of("realmRoles", List.of("onboarding-verifier", "employee"))));
        String caseId = (String) created.get("id");
        // The hire's first sign-in moves the case to PROBATION: before the snapshot the refusals must keep.
        String hireToken = realm.tokenOf("release-matrix");
        Map<String, Object> before = realm.getCase(caseId);
        String privileged = (String) heldGrant(before, "onboarding-verifier").get("id");
        String ordinary = (String) heldGrant(before, "employee").get("id");

        assertThat(Api.post(releasePath(caseId, ordinary), null, REASON).status())
                .as("anonymous")
                .isEqualTo(401);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("hire", hireToken);
        refused.put("verifier", realm.consoleTokenOf("verifier"));
        refused.put("auditor", realm.consoleTokenOf("auditor"));
        refused.put("sponsor", realm.tokenOf("hiring-manager"));
        refused.put("view-users admin", realm.tokenOf(viewOnlyAdmin));
        refused.put("admin of another realm", otherRealm.adminToken());
        for (Map.Entry<String, String> caller : refused.entrySet()) {
            Api.Reply reply = Api.post(releasePath(caseId, ordinary), caller.getValue(), REASON);
            assertThat(reply.status())
                    .as("%s: %s", caller.getKey(), reply.body())
                    .isEqualTo(403);
            // Keycloak itself turns away callers without admin roles ({"error": "HTTP 403 Forbidden"}).
            assertThat(reply.json()).containsKey("error");
        }
        // The helpdesk's manage-users is not enough for a grant that appoints a verifier (manage-realm only).
        Api.Reply helpdesk = Api.post(releasePath(caseId, privileged), realm.tokenOf("service-desk"), REASON);
        assertThat(helpdesk.status()).as(helpdesk.body()).isEqualTo(403);
        assertThat(realm.getCase(caseId)).as("refused callers changed nothing").isEqualTo(before);

        Api.Reply byHelpdesk = Api.post(releasePath(caseId, ordinary), realm.tokenOf("service-desk"), REASON);
        assertThat(byHelpdesk.status()).as(byHelpdesk.body()).isEqualTo(200);
        Api.Reply byAdmin = Api.post(releasePath(caseId, privileged), realm.adminToken(), REASON);
        assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(200);
        assertThat(items(byAdmin.json(), "deferredGrants.items")).isEmpty();
    }

    @Test
    @DisplayName("a view-users admin reads what happened in the ceremonies, not the document's facts, the evidence "
            + "or a live code's state")
    void caseViewLeavesOutTheDocument() {
        DemoRealm own = DemoRealm.importFresh("admin-day-records");
        own.updatePolicy(Map.of("passkeyBinding", "false"));
        String caseId = own.hireInProbation("records-hire", Map.of());
        own.verifyThroughCeremonies(caseId, "records-hire");

        Api.Reply reply = Api.get(own.casesPath() + "/" + caseId, own.tokenOf("service-desk"));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<Map<String, Object>> verifications = items(reply.json(), "verifications");
        assertThat(verifications).hasSize(2);
        assertThat(verifications.get(0)).containsOnlyKeys("step", "method", "outcome", "at", "verifier");
        assertThat(items(reply.json(), "ceremonies"))
                .allSatisfy(
                        row -> assertThat(row).containsOnlyKeys("step", "method", "status", "openedAt", "verifier"));
        assertThat(reply.body())
                .doesNotContain("evidenceRef", "checklist", "numberLastChars", "codeValid", "attemptsLeft");
    }

    @Test
    @DisplayName("only the realm's security owner (manage-realm) silences a waiting alert; the helpdesk may retry it")
    void skipNeedsManageRealm() {
        DemoRealm own = DemoRealm.importFresh("admin-day-alerts");
        // A receiver that is down: the alert waits.
        receiver.setDown(true);
        own.subscribeToRiskAlerts(
                receiver.url(), "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        Api.Reply queued =
                Api.post("/realms/" + own.name + "/onboarding-test-hooks/webhooks/enqueue?count=1", null, null);
        assertThat(queued.status()).as(queued.body()).isEqualTo(200);
        String alerts = "/admin/realms/" + own.name + "/onboarding/alerts";
        String alert = (String)
                items(Api.get(alerts, own.adminToken()).json(), "items").get(0).get("id");

        Api.Reply byHelpdesk = Api.post(alerts + "/" + alert + "/skip", own.tokenOf("service-desk"), null);
        assertThat(byHelpdesk.status()).as(byHelpdesk.body()).isEqualTo(403);
        assertThat(items(Api.get(alerts, own.adminToken()).json(), "items").get(0))
                .containsEntry("status", "PENDING");
        assertThat(Api.post(alerts + "/" + alert + "/retry", own.tokenOf("service-desk"), null)
                        .status())
                .isEqualTo(200);

        Api.Reply byOwner = Api.post(alerts + "/" + alert + "/skip", own.adminToken(), null);
        assertThat(byOwner.status()).as(byOwner.body()).isEqualTo(200);
        assertThat(own.auditEntries("type=alert.skipped")).contains(alert, "test.alert");
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no body||grant|400",
                "not JSON|{reason:|grant|400",
                "no reason|{}|grant|400",
                "unknown field|{\"reason\":\"x\",\"apply\":true}|grant|400",
                "reason too long|LONG|grant|400",
                "unknown grant|{\"reason\":\"x\"}|00000000-0000-0000-0000-000000000000|404",
                "grant id too long|{\"reason\":\"x\"}|LONGID|404",
                "another case's grant|{\"reason\":\"x\"}|OTHER|404",
                "unknown case|{\"reason\":\"x\"}|NOCASE|404"
            })
    @DisplayName("refuses bad input with a JSON error and releases nothing")
    void releaseBadInput(String label, String body, String grant, int expected) {
        String suffix = label.replaceAll("[^a-z]+", "-");
        Map<String, Object> created =
                realm.createHire("bad-" + suffix, Map.of("grants", Map.of("realmRoles", List.of("employee"))));
        String caseId = (String) created.get("id");
        Map<String, Object> other =
                realm.createHire("other-" + suffix, Map.of("grants", Map.of("realmRoles", List.of("employee"))));
        String grantId = switch (grant) {
            case "grant", "NOCASE" -> (String) heldGrant(created, "employee").get("id");
            case "OTHER" -> (String) heldGrant(other, "employee").get("id");
            case "LONGID" -> "g".repeat(5000);
            default -> grant;
        };
        String path = releasePath(grant.equals("NOCASE") ? "no-such-case" : caseId, grantId);
        String text = "LONG".equals(body) ? "{\"reason\":\"" + "r".repeat(5000) + "\"}" : body == null ? "" : body;
        Map<String, Object> before = realm.getCase(caseId);

        Api.Reply reply = Api.post(path, realm.adminToken(), text);

        assertThat(reply.status()).as("%s: %s", label, reply.body()).isEqualTo(expected);
        assertThat(reply.json()).containsKeys("error", "message");
        assertThat(realm.getCase(caseId)).isEqualTo(before);
        assertThat(realm.getCase((String) other.get("id")).get("deferredGrants"))
                .isEqualTo(other.get("deferredGrants"));
    }

    @Test
    @DisplayName("the case list finds hires by name, path and coming deadline, and refuses what it cannot read")
    void listFilters() {
        DemoRealm own = DemoRealm.importFresh("admin-day-list");
        String token = own.adminToken();
        own.createHire("grace_hopper", Map.of("firstName", "Grace", "lastName", "Hopper"));
        own.createHire(
                "alan-turing",
                Map.of(
                        "firstName",
                        "Alan",
                        "lastName",
                        "Turing",
                        "deadline",
                        Instant.now().plus(2, ChronoUnit.DAYS).toString()));

        assertThat(total(own, "search=hopp", token)).isEqualTo(1);
        assertThat(total(own, "search=TURING", token)).isEqualTo(1);
        assertThat(total(own, "search=grace_", token))
                .as("underscore taken literally")
                .isEqualTo(1);
        assertThat(total(own, "search=grace%25", token))
                .as("percent taken literally")
                .isEqualTo(0);
        assertThat(total(own, "search=example.com", token)).isEqualTo(2);
        assertThat(total(own, "path=onboarding-api", token)).isEqualTo(2);
        assertThat(total(own, "path=scim", token)).isEqualTo(0);
        String inThreeDays = Instant.now()
                .plus(3, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        assertThat(total(own, "deadlineBefore=" + inThreeDays, token)).isEqualTo(1);
        Map<String, Object> first = items(
                        Api.get(own.casesPath() + "?search=alan", token).json(), "items")
                .get(0);
        assertThat(first).containsEntry("path", "onboarding-api");

        for (String bad : List.of("path=carrier-pigeon", "deadlineBefore=soon", "search=" + "s".repeat(101))) {
            Api.Reply reply = Api.get(own.casesPath() + "?" + bad, token);
            assertThat(reply.status()).as("%s: %s", bad, reply.body()).isEqualTo(400);
            assertThat(reply.json()).containsKeys("error", "message", "field");
        }
    }

    private static long total(DemoRealm realm, String query, String token) {
        Api.Reply reply = Api.get(realm.casesPath() + "?" + query, token);
        assertThat(reply.status()).as("%s: %s", query, reply.body()).isEqualTo(200);
        return ((Number) reply.json().get("total")).longValue();
    }

    @Test
    @DisplayName(
            "the pipeline counts stages, the week's verifications and the coming deadlines, for admins and auditors only")
    void pipeline() {
        DemoRealm own = DemoRealm.importFresh("admin-day-pipeline");
        String verified = (String) own.createHire("pipe-verified", Map.of()).get("id");
        own.applyEvent(verified, "FIRST_LOGIN");
        own.applyEvent(verified, "DOCUMENT_APPROVED");
        own.applyEvent(verified, "IDENTITY_APPROVED");
        own.createHire(
                "pipe-soon",
                Map.of("deadline", Instant.now().plus(1, ChronoUnit.DAYS).toString()));
        own.createHire("pipe-later", Map.of());
        String path = "/realms/" + own.name + "/onboarding/pipeline";

        Api.Reply asAuditor = Api.get(path, own.consoleTokenOf("auditor"));
        assertThat(asAuditor.status()).as(asAuditor.body()).isEqualTo(200);
        Map<String, Object> summary = asAuditor.json();
        assertThat(JsonFields.object(summary, "stages"))
                .containsEntry("INVITED", 2)
                .containsEntry("VERIFIED", 1)
                .containsEntry("PROBATION", 0);
        List<Map<String, Object>> weeks = items(summary, "timeToVerified");
        assertThat(weeks).hasSize(12);
        assertThat(weeks.get(11)).containsEntry("verified", 1).containsKeys("medianHours", "p90Hours");
        assertThat(weeks.get(10)).containsEntry("verified", 0);
        Map<String, Object> deadlines = JsonFields.object(summary, "deadlines");
        assertThat(deadlines).containsEntry("overdue", 0);
        long coming = items(deadlines, "days").stream()
                .mapToLong(day -> ((Number) day.get("count")).longValue())
                .sum();
        assertThat(coming).as("only the deadline within 14 days").isEqualTo(1);
        assertThat(items(summary, "signals.weeks")).hasSize(12);

        assertThat(Api.get(path, own.consoleTokenOf("iam-admin")).status()).isEqualTo(200);
        String viewer = TestRealms.createUser(own.resource, "pipe-viewer", DemoRealm.PASSWORD, "employee");
        own.grantClientRole(viewer, "realm-management", "view-users");
        assertThat(Api.get(path, own.consoleTokenOf("pipe-viewer")).status()).isEqualTo(200);

        assertThat(Api.get(path, null).status()).as("anonymous").isEqualTo(401);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("verifier", own.consoleTokenOf("verifier"));
        refused.put("sponsor", own.consoleTokenOf("hiring-manager"));
        refused.put("admin of another realm", otherRealm.consoleTokenOf("iam-admin"));
        refused.put("auditor outside the console", own.tokenOf("auditor"));
        for (Map.Entry<String, String> caller : refused.entrySet()) {
            Api.Reply reply = Api.get(path, caller.getValue());
            assertThat(reply.status())
                    .as("%s: %s", caller.getKey(), reply.body())
                    .isEqualTo(403);
        }
        own.hireInProbation("pipe-hire", Map.of());
        Api.Reply asHire = Api.get(path, own.tokenOf("pipe-hire"));
        assertThat(asHire.status()).as(asHire.body()).isEqualTo(403);
    }
}

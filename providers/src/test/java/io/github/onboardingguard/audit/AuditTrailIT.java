package io.github.onboardingguard.audit;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.AuditExportTool;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Audit trail: what is recorded, chain verification, retention, and who may read it")
class AuditTrailIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("audit");
        realm.updatePolicy(Map.of("passkeyBinding", "false"));
    }

    static String auditBase(DemoRealm target) {
        return "/realms/" + target.name + "/onboarding/audit";
    }

    static Map<String, Object> verify(DemoRealm target) {
        Api.Reply reply = Api.get(auditBase(target) + "/verify", target.consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    static void append(DemoRealm target, int count) {
        Api.Reply reply =
                Api.post("/realms/" + target.name + "/onboarding-test-hooks/audit/append?count=" + count, null, null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static String hook(DemoRealm target, String path) {
        Api.Reply reply = Api.post("/realms/" + target.name + "/onboarding-test-hooks/audit/" + path, null, null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.body();
    }

    @Test
    @DisplayName("a hire's story is recorded: case, logins, admin grants, ceremony and result, never the code")
    void recordsTheStory() {
        String caseId = realm.hireInProbation("told-hire", Map.of());
        String userId = realm.userIdOf("told-hire");
        realm.grantRealmRole(userId, "employee");
        HireBrowser hire =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "told-hire", PASSWORD, null);
        String verifier = realm.consoleTokenOf("verifier");
        String ceremony = VerifierApi.id(VerifierApi.open(realm.name, verifier, caseId, "DOCUMENT", "VIDEO"));
        String code = hire.press("refresh").code().orElseThrow();
        assertThat(VerifierApi.approve(realm.name, verifier, ceremony, "DOCUMENT", code)
                        .status())
                .isEqualTo(200);

        Api.Reply reply =
                Api.get(auditBase(realm) + "/entries?subject=told-hire&limit=500", realm.consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items =
                (List<Map<String, Object>>) reply.json().get("items");
        assertThat(items)
                .extracting(e -> e.get("type"))
                .contains(
                        "case.created",
                        "login.LOGIN",
                        "case.stage_changed",
                        "admin.realm_role_mapping.create",
                        "ceremony.opened",
                        "ceremony.code_issued",
                        "verification.recorded");
        assertThat(items)
                .filteredOn(e -> "verification.recorded".equals(e.get("type")))
                .singleElement()
                .satisfies(e -> assertThat(e.get("actor")).isEqualTo(realm.userIdOf("verifier")))
                .satisfies(e -> assertThat(JsonFields.object(e, "details"))
                        .containsEntry("evidenceRef", "HR-4711")
                        .containsEntry("outcome", "APPROVE"));
        assertThat(items)
                .extracting(e -> (Long) ((Number) e.get("seq")).longValue())
                .isSorted();

        String export = Api.get(auditBase(realm) + "/export?format=jsonl", realm.consoleTokenOf("auditor"))
                .body();
        assertThat(reply.body()).doesNotContainPattern("\\b" + code + "\\b");
        assertThat(export).contains("verification.recorded").doesNotContainPattern("\\b" + code + "\\b");
        assertThat(Api.get(auditBase(realm) + "/dossier/told-hire", realm.consoleTokenOf("auditor"))
                        .body())
                .doesNotContainPattern("\\b" + code + "\\b");
        assertThat(KeycloakTestServer.logs()).doesNotContainPattern("\\b" + code + "\\b");
        assertThat(verify(realm)).containsEntry("valid", true);
    }

    @Test
    @DisplayName("given an auditor, when they ask for the dossier of staff who never had a case (the realm admin too), "
            + "then 404; a verified hire's dossier lists login events of the onboarding period only")
    void dossierScope() {
        String auditor = realm.consoleTokenOf("auditor");
        for (String staff : List.of("iam-admin", "hiring-manager", realm.userIdOf("verifier"))) {
            Api.Reply reply = Api.get(auditBase(realm) + "/dossier/" + staff, auditor);
            assertThat(reply.status())
                    .as("dossier of %s: %s", staff, reply.body())
                    .isEqualTo(404);
            assertThat(reply.body()).doesNotContain("loginEvents");
        }

        String caseId = realm.hireInProbation("period-hire", Map.of());
        realm.tokenOf("period-hire");
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        realm.applyEvent(caseId, "IDENTITY_APPROVED");
        // After onboarding: the person's logins are Keycloak's business (view-events), not the auditor's.
        realm.tokenOf("period-hire");
        realm.tokenOf("period-hire");
        Map<String, Object> dossier =
                Api.get(auditBase(realm) + "/dossier/period-hire", auditor).json();
        String end = (String) JsonFields.at(dossier, "onboardingPeriod.to");
        assertThat(end).isNotNull();
        List<Object> events = JsonFields.list(dossier, "loginEvents");
        assertThat(events).extracting(e -> JsonFields.at(e, "type")).contains("LOGIN");
        assertThat(events)
                .extracting(e -> java.time.Instant.parse((String) JsonFields.at(e, "time")))
                .allSatisfy(time -> assertThat(time).isBeforeOrEqualTo(java.time.Instant.parse(end)));
        assertThat(realm.resource.getEvents(
                        List.of("LOGIN"), null, realm.userIdOf("period-hire"), null, null, null, 0, 10))
                .as("Keycloak stored the later logins")
                .hasSizeGreaterThan(events.stream()
                        .filter(e -> "LOGIN".equals(JsonFields.at(e, "type")))
                        .toList()
                        .size());
    }

    @Test
    @DisplayName("the dossier holds case, history, verifications, signals, audit entries and login events")
    void dossier() {
        realm.hireInProbation("dossier-hire", Map.of());
        Api.Reply reply = Api.get(auditBase(realm) + "/dossier/dossier-hire", realm.consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json())
                .containsKeys("user", "case", "verifications", "ceremonies", "signals", "auditEntries", "loginEvents");
        assertThat(JsonFields.at(reply.json(), "case.stage")).isEqualTo("PROBATION");
        assertThat(JsonFields.list(reply.json(), "case.history")).isNotEmpty();
        assertThat(JsonFields.list(reply.json(), "loginEvents"))
                .extracting(e -> JsonFields.at(e, "type"))
                .contains("LOGIN");
        assertThat(Api.get(auditBase(realm) + "/dossier/nobody-by-that-name", realm.consoleTokenOf("auditor"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    @DisplayName("an entry changed in the database is reported at exactly its sequence number")
    void tamperedEntry() {
        DemoRealm target = DemoRealm.importFresh("audit-tamper");
        append(target, 20);
        Map<String, Object> before = verify(target);
        assertThat(before).containsEntry("valid", true);
        long last = ((Number) before.get("lastSeq")).longValue();
        long victim = last - 10;
        hook(target, "tamper/" + victim);

        Map<String, Object> after = verify(target);
        assertThat(after).containsEntry("valid", false);
        assertThat(((Number) JsonFields.at(after, "firstBreak.seq")).longValue())
                .isEqualTo(victim);
        assertThat(JsonFields.at(after, "firstBreak.problem")).isEqualTo("HASH_MISMATCH");
        Api.Reply range = Api.get(
                auditBase(target) + "/verify?from=" + (victim + 1) + "&to=" + last, target.consoleTokenOf("auditor"));
        assertThat(range.json())
                .as("a range after the change is intact on its own")
                .containsEntry("valid", true);
    }

    @Test
    @DisplayName("given the audit log stream turned on, then every committed entry appears in its log category as the "
            + "same line the export carries")
    void logStream() {
        DemoRealm target = DemoRealm.importFresh("audit-log-stream");
        append(target, 3);
        List<String> exported = Api.get(auditBase(target) + "/export?format=jsonl", target.consoleTokenOf("auditor"))
                .body()
                .lines()
                .filter(line -> line.contains("\"prevHash\":"))
                .toList();
        assertThat(exported).hasSizeGreaterThanOrEqualTo(3);
        String logs = KeycloakTestServer.logs();
        for (String line : exported) {
            assertThat(logs).as("streamed: %s", line).contains("[io.github.onboardingguard.audit]", line);
        }
    }

    @Test
    @DisplayName(
            "given an exported chain, then the stand-alone verifier recomputes it; one changed byte is found at its "
                    + "sequence, a cut-off file is truncated, and the head verify reports anchors it")
    void exportVerifiesOffline() {
        DemoRealm target = DemoRealm.importFresh("audit-offline");
        append(target, 12);
        String token = target.consoleTokenOf("auditor");
        Api.Reply export = Api.get(auditBase(target) + "/export?format=jsonl", token);
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        Map<String, Object> head = JsonFields.object(verify(target), "head");
        String[] lines = export.body().split("\n");
        assertThat(lines[lines.length - 1]).contains("\"head\"").contains(String.valueOf(head.get("hash")));

        AuditExportTool.Outcome intact =
                AuditExportTool.verify(export.body(), "--head", head.get("seq") + ":" + head.get("hash"));
        assertThat(intact.exitCode()).as(intact.output()).isZero();
        assertThat(intact.output()).startsWith("valid: ");

        int victim = lines.length / 2;
        long victimSeq = ((Number) TestRealms.parse(lines[victim], Map.class).get("seq")).longValue();
        String changed = lines[victim].replaceFirst("(\"type\":\"[^\"]*)[a-z](\")", "$1Z$2");
        assertThat(changed).hasSameSizeAs(lines[victim]).isNotEqualTo(lines[victim]);
        lines[victim] = changed;
        AuditExportTool.Outcome tampered = AuditExportTool.verify(String.join("\n", lines));
        assertThat(tampered.exitCode()).as(tampered.output()).isEqualTo(1);
        assertThat(tampered.output()).contains("BROKEN at seq " + victimSeq + ": HASH_MISMATCH");

        String[] original = export.body().split("\n");
        List<String> cutOff = new ArrayList<>(List.of(original));
        cutOff.remove(cutOff.size() - 2);
        AuditExportTool.Outcome truncated = AuditExportTool.verify(String.join("\n", cutOff));
        assertThat(truncated.exitCode()).as(truncated.output()).isEqualTo(1);
        assertThat(truncated.output()).contains("TRUNCATED");
    }

    @Test
    @DisplayName("a deleted entry is reported as a gap")
    void deletedEntry() {
        DemoRealm target = DemoRealm.importFresh("audit-delete");
        append(target, 20);
        long last = ((Number) verify(target).get("lastSeq")).longValue();
        long victim = last - 5;
        hook(target, "delete/" + victim);
        Map<String, Object> after = verify(target);
        assertThat(after).containsEntry("valid", false);
        assertThat(((Number) JsonFields.at(after, "firstBreak.seq")).longValue())
                .isEqualTo(victim);
        assertThat(JsonFields.at(after, "firstBreak.problem")).isEqualTo("GAP");
    }

    @Test
    @DisplayName("given entries deleted from the end of the chain, or all of them, when an auditor verifies, then "
            + "the chain is reported broken where the head says it should continue")
    void deletedNewestEntries() {
        DemoRealm target = DemoRealm.importFresh("audit-delete-tail");
        append(target, 6);
        Map<String, Object> before = verify(target);
        long first = ((Number) before.get("firstSeq")).longValue();
        long last = ((Number) before.get("lastSeq")).longValue();
        hook(target, "delete/" + last);
        hook(target, "delete/" + (last - 1));
        Map<String, Object> after = verify(target);
        assertThat(after).containsEntry("valid", false);
        assertThat(((Number) JsonFields.at(after, "firstBreak.seq")).longValue())
                .isEqualTo(last - 1);
        assertThat(JsonFields.at(after, "firstBreak.problem")).isEqualTo("TRUNCATED");

        for (long seq = first; seq <= last - 2; seq++) {
            hook(target, "delete/" + seq);
        }
        Map<String, Object> emptied = verify(target);
        assertThat(emptied).containsEntry("valid", false).containsEntry("checked", 0);
        assertThat(JsonFields.at(emptied, "firstBreak.problem")).isEqualTo("TRUNCATED");
    }

    @Test
    @DisplayName("eight concurrent writers produce a gap-free sequence and a valid chain")
    void concurrentWriters() throws Exception {
        DemoRealm target = DemoRealm.importFresh("audit-concurrent");
        long start = ((Number) verify(target).get("checked")).longValue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                writers.add(pool.submit(() -> {
                    for (int call = 0; call < 10; call++) {
                        append(target, 3);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdown();
        }
        Map<String, Object> result = verify(target);
        assertThat(result).containsEntry("valid", true);
        assertThat(((Number) result.get("checked")).longValue()).isEqualTo(start + 8 * 10 * 3);
        assertThat(((Number) result.get("lastSeq")).longValue() - ((Number) result.get("firstSeq")).longValue() + 1)
                .isEqualTo(start + 8 * 10 * 3);
    }

    @Test
    @DisplayName("pruning removes a prefix and leaves a checkpoint, so the rest still verifies")
    void retention() {
        DemoRealm target = DemoRealm.importFresh("audit-retention");
        append(target, 10);
        long pruned = ((Number) verify(target).get("lastSeq")).longValue();
        assertThat(hook(target, "prune?before=" + Instant.now().plusSeconds(1))).contains("\"removed\":" + pruned);
        append(target, 5);
        Map<String, Object> result = verify(target);
        assertThat(result).containsEntry("valid", true).containsEntry("firstSeq", (int) pruned + 1);
        Api.Reply checkpoint =
                Api.get(auditBase(target) + "/entries?type=audit.pruned", target.consoleTokenOf("auditor"));
        assertThat(checkpoint.body()).contains("\"prunedThroughSeq\":" + pruned, "lastPrunedHash");
    }

    @Test
    @DisplayName("given a trail longer than one pruning batch, when retention removes it, then every batch is its own "
            + "transaction with its own checkpoint, and what remains verifies")
    void retentionInBoundedBatches() {
        DemoRealm target = DemoRealm.importFresh("audit-retention-batches");
        append(target, 10);
        long pruned = ((Number) verify(target).get("lastSeq")).longValue();
        assertThat(hook(target, "prune?batch=4&before=" + Instant.now().plusSeconds(1)))
                .contains("\"removed\":" + pruned);
        long batches = (pruned + 3) / 4;
        Api.Reply checkpoints =
                Api.get(auditBase(target) + "/entries?type=audit.pruned&limit=100", target.consoleTokenOf("auditor"));
        List<Object> entries = JsonFields.list(checkpoints.json(), "items");
        assertThat(entries).hasSize((int) batches);
        // Each checkpoint removed at most one batch; the last one ends where the run's cutoff was.
        assertThat(entries)
                .extracting(entry -> ((Number) JsonFields.at(entry, "details.removed")).longValue())
                .allMatch(removed -> removed <= 4);
        assertThat(((Number) JsonFields.at(entries.get(entries.size() - 1), "details.prunedThroughSeq")).longValue())
                .isEqualTo(pruned);
        append(target, 3);
        assertThat(verify(target)).containsEntry("valid", true).containsEntry("firstSeq", (int) pruned + 1);
    }

    @Test
    @DisplayName(
            "given a realm admin who wants the trail gone, when they set a retention below the server's minimum, then "
                    + "the policy page refuses it, and a shorter retention stored earlier is applied as the minimum")
    void retentionBelowServerMinimum() {
        DemoRealm target = DemoRealm.importFresh("audit-min-retention");
        append(target, 5);
        long entries = ((Number) verify(target).get("lastSeq")).longValue();

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                () -> target.updatePolicy(Map.of("auditRetentionDays", "1")));
        assertThat(refused).isInstanceOf(jakarta.ws.rs.BadRequestException.class);
        assertThat(((jakarta.ws.rs.BadRequestException) refused).getResponse().readEntity(String.class))
                .contains("auditRetentionDays", "minimum");

        Api.post(
                "/realms/" + target.name + "/onboarding-test-hooks/policy/raw?name=auditRetentionDays&value=1",
                null,
                null);
        target.resource.clearRealmCache();
        assertThat(hook(target, "retention-run?now=" + Instant.now().plus(java.time.Duration.ofDays(2))))
                .contains("\"removed\":0");
        assertThat(verify(target)).containsEntry("valid", true).containsEntry("firstSeq", 1);
        assertThat(((Number) verify(target).get("lastSeq")).longValue()).isGreaterThanOrEqualTo(entries);
        // Past the minimum (30 days on the test server) the entries go, as the retention says.
        assertThat(hook(target, "retention-run?now=" + Instant.now().plus(java.time.Duration.ofDays(31))))
                .doesNotContain("\"removed\":0");
    }

    @Test
    @DisplayName(
            "a change of the policy is an audit entry naming the admin and the settings changed, the webhook secret redacted")
    void policyChangeAudited() {
        DemoRealm target = DemoRealm.importFresh("audit-policy-change");
        target.updatePolicy(Map.of("auditRetentionDays", "400"));
        Api.Reply changes =
                Api.get(auditBase(target) + "/entries?type=policy.changed", target.consoleTokenOf("auditor"));
        assertThat(changes.status()).as(changes.body()).isEqualTo(200);
        // The realm import created the policy (an entry of its own); the admin's save comes last.
        assertThat(JsonFields.list(changes.json(), "items")).last().satisfies(entry -> {
            assertThat(JsonFields.list(entry, "details.changed")).contains("auditRetentionDays");
            assertThat(JsonFields.at(entry, "details.settings.auditRetentionDays"))
                    .isEqualTo("400");
            assertThat(String.valueOf(JsonFields.at(entry, "actor"))).isNotIn("unknown", "system:policy");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "entries?from=yesterday, 400",
        "entries?limit=0, 400",
        "entries?limit=501, 400",
        "entries?after=-3, 400",
        "entries?after=abc, 400",
        "export?format=xml, 400",
        "verify?from=abc, 400",
        "entries?from=%2B1000000000-12-31T23:59:59Z, 400",
        "export?format=jsonl&to=-999999999-01-01T00:00:00Z, 400",
        "verify?from=10&to=5, 400",
        "dossier/%2e%2e, 400"
    })
    @DisplayName("malformed queries get a 4xx JSON error")
    void badInput(String query, int expected) {
        Api.Reply reply = Api.get(auditBase(realm) + "/" + query, realm.consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(expected);
        assertThat(reply.json()).containsKey("error");
    }

    @Test
    @DisplayName(
            "given an auditor who passes verify an instant, as entries and export take, then the error says verify "
                    + "takes sequence numbers")
    void verifyTakesSequenceNumbers() {
        Api.Reply reply =
                Api.get(auditBase(realm) + "/verify?from=2026-01-01T00:00:00Z", realm.consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat((String) reply.json().get("message")).contains("sequence number", "entries", "export");
    }

    @Test
    @DisplayName("entries page with a cursor, and filter by type prefix and time")
    void paging() {
        DemoRealm target = DemoRealm.importFresh("audit-paging");
        append(target, 12);
        String token = target.consoleTokenOf("auditor");
        Map<String, Object> first = Api.get(auditBase(target) + "/entries?type=test.*&limit=5", token)
                .json();
        assertThat((List<?>) first.get("items")).hasSize(5);
        Map<String, Object> second = Api.get(
                        auditBase(target) + "/entries?type=test.*&limit=5&after=" + first.get("next"), token)
                .json();
        assertThat(JsonFields.list(second, "items"))
                .hasSize(5)
                .extracting(e -> Long.toString(((Number) JsonFields.at(e, "seq")).longValue()))
                .doesNotContain((String) first.get("next"));
        assertThat(Api.get(
                                auditBase(target) + "/entries?type=test.synthetic&from="
                                        + Instant.now().plusSeconds(60),
                                token)
                        .json()
                        .get("items"))
                .asList()
                .isEmpty();
        String csv = Api.get(auditBase(target) + "/export?format=csv&type=test.*", token)
                .body();
        assertThat(csv.lines().findFirst()).contains("realm,seq,at,actor,subject,type,details,prev_hash,hash");
        assertThat(csv.lines().count()).isEqualTo(13);
    }
}

package io.github.onboardingguard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Audit endpoints: read-only, for auditors of the realm only")
class AuditAuthorizationIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;
    private static DemoRealm otherRealm;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("audit-auth");
        otherRealm = DemoRealm.importFresh("audit-auth-other");
        realm.hireInProbation("audited-hire", Map.of());
    }

    static List<String> paths() {
        return List.of("entries", "dossier/audited-hire", "export?format=jsonl", "export?format=csv", "verify");
    }

    static Stream<Arguments> refused() {
        Map<String, Supplier<String>> callers = new java.util.LinkedHashMap<>();
        callers.put("anonymous|401", () -> null);
        callers.put("hire|403", () -> realm.tokenOf("audited-hire"));
        callers.put("verifier without the auditor role|403", () -> realm.consoleTokenOf("verifier"));
        callers.put("realm admin without the auditor role|403", () -> realm.adminToken());
        callers.put("auditor of another realm|403", () -> otherRealm.consoleTokenOf("auditor"));
        // The auditor's own token, but issued to another app of the realm (leaked from it, or replayed by it).
        callers.put("auditor through the HR portal's token|403", () -> realm.tokenOf("auditor"));
        callers.put("admin of another realm|403", () -> otherRealm.adminToken());
        List<Arguments> arguments = new ArrayList<>();
        callers.forEach((key, token) -> {
            String[] parts = key.split("\\|");
            for (String path : paths()) {
                arguments.add(Arguments.of(parts[0], path, token, Integer.parseInt(parts[1])));
            }
        });
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: GET {1} -> {3}")
    @MethodSource("refused")
    @DisplayName("everyone but an auditor of this realm is refused")
    void refusedCallers(String caller, String path, Supplier<String> token, int expected) {
        Api.Reply reply = Api.get("/realms/" + realm.name + "/onboarding/audit/" + path, token.get());
        assertThat(reply.status()).as(reply.body()).isEqualTo(expected);
        assertThat(reply.json()).containsKey("error");
    }

    @Test
    @DisplayName("the auditor reads every endpoint, and nothing under /audit accepts a write")
    void auditorReadsButCannotWrite() {
        String token = realm.consoleTokenOf("auditor");
        for (String path : paths()) {
            assertThat(Api.get("/realms/" + realm.name + "/onboarding/audit/" + path, token)
                            .status())
                    .as(path)
                    .isEqualTo(200);
        }
        Map<String, Object> before = Api.get("/realms/" + realm.name + "/onboarding/audit/verify", token)
                .json();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            Api.Reply write = Api.call(method, "/realms/" + realm.name + "/onboarding/audit/entries", token, "{}");
            assertThat(write.status()).as(method).isIn(405, 415);
        }
        Map<String, Object> after = Api.get("/realms/" + realm.name + "/onboarding/audit/verify", token)
                .json();
        assertThat(after.get("lastSeq")).isEqualTo(before.get("lastSeq"));
        assertThat(Api.get("/realms/" + realm.name + "/onboarding/me", token).json())
                .containsEntry("auditor", true);
    }
}

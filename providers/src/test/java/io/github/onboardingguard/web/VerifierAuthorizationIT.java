package io.github.onboardingguard.web;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Verifier endpoints: who may call them, and malformed input")
class VerifierAuthorizationIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;
    private static DemoRealm otherRealm;
    private static String caseId;
    private static String ceremonyId;
    private static String code;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("verifier-auth");
        otherRealm = DemoRealm.importFresh("verifier-auth-other");
        caseId = realm.hireInProbation("auth-hire", Map.of());
        HireBrowser hire =
                HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "auth-hire", PASSWORD, null);
        ceremonyId = VerifierApi.id(
                VerifierApi.open(realm.name, realm.consoleTokenOf("verifier"), caseId, "DOCUMENT", "VIDEO"));
        code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
        // A hire who was granted the verifier role by mistake while still unverified.
        realm.hireInProbation("hire-with-role", Map.of());
        String id = realm.userIdOf("hire-with-role");
        realm.grantRealmRole(id, "onboarding-verifier");
    }

    record Endpoint(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Endpoint> endpoints() {
        String base = VerifierApi.base("{realm}");
        return List.of(
                new Endpoint("GET", base, null),
                new Endpoint("POST", base + "/{case}/ceremonies", "{\"step\":\"DOCUMENT\",\"method\":\"VIDEO\"}"),
                new Endpoint("GET", base + "/{case}/history", null),
                new Endpoint("GET", base + "/ceremonies/{ceremony}", null),
                new Endpoint(
                        "POST",
                        base + "/ceremonies/{ceremony}/result",
                        "{\"code\":\"000000\",\"outcome\":\"REJECT\"," + "\"reason\":\"x\",\"evidenceRef\":\"T-1\"}"),
                new Endpoint("POST", base + "/ceremonies/{ceremony}/cancel", null));
    }

    static Stream<Arguments> refusedCallers() {
        Map<String, Function<Void, String>> callers = new LinkedHashMap<>();
        callers.put("anonymous|401", v -> null);
        callers.put("hire|403", v -> realm.tokenOf("auth-hire"));
        callers.put("unverified hire holding the verifier role|403", v -> realm.tokenOf("hire-with-role"));
        callers.put("auditor|403", v -> realm.consoleTokenOf("auditor"));
        callers.put("realm admin without the verifier role|403", v -> realm.adminToken());
        callers.put("sponsor without the verifier role|403", v -> realm.tokenOf("hiring-manager"));
        callers.put("verifier of another realm|403", v -> otherRealm.consoleTokenOf("verifier"));
        // The verifier's own token, but issued to another app of the realm (leaked from it, or replayed by it).
        callers.put("verifier through the HR portal's token|403", v -> realm.tokenOf("verifier"));
        callers.put("admin of another realm|403", v -> otherRealm.adminToken());
        List<Arguments> arguments = new ArrayList<>();
        callers.forEach((key, token) -> {
            String[] parts = key.split("\\|");
            for (Endpoint endpoint : endpoints()) {
                arguments.add(Arguments.of(parts[0], endpoint, token, Integer.parseInt(parts[1])));
            }
        });
        return arguments.stream();
    }

    private static String resolve(String text) {
        return text.replace("{realm}", realm.name)
                .replace("{case}", caseId)
                .replace("{ceremony}", ceremonyId)
                .replace("{code}", code);
    }

    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @MethodSource("refusedCallers")
    @DisplayName("everyone but a verifier of this realm is refused, and nothing changes")
    void refused(String caller, Endpoint endpoint, Function<Void, String> token, int expected) {
        Api.Reply reply = Api.call(endpoint.method(), resolve(endpoint.path()), token.apply(null), endpoint.body());
        assertThat(reply.status()).as(reply.body()).isEqualTo(expected);
        assertThat(reply.json()).containsKey("error");
        assertCeremonyUntouched();
    }

    @Test
    @DisplayName("a verifier's token from another app gets the console-token error, not a role error")
    void otherAppsTokenNamesTheRule() {
        Api.Reply reply = Api.get(resolve(VerifierApi.base("{realm}")), realm.tokenOf("verifier"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json()).containsEntry("error", "console_token_required");
    }

    @Test
    @DisplayName("the verifier of this realm reaches every endpoint")
    void verifierAllowed() {
        String token = realm.consoleTokenOf("verifier");
        assertThat(Api.get(resolve(VerifierApi.base("{realm}")), token).body()).contains("auth-hire");
        assertThat(Api.get(resolve(VerifierApi.base("{realm}") + "/{case}/history"), token)
                        .status())
                .isEqualTo(200);
        assertThat(Api.get(resolve(VerifierApi.base("{realm}") + "/ceremonies/{ceremony}"), token)
                        .json())
                .containsEntry("status", "OPEN")
                .containsEntry("codeShown", true);
        Api.Reply me = Api.get("/realms/" + realm.name + "/onboarding/me", token);
        assertThat(me.json()).containsEntry("verifier", true).containsEntry("auditor", false);
        assertThat(Api.get("/realms/" + realm.name + "/onboarding/me", realm.tokenOf("hire-with-role"))
                        .json())
                .containsEntry("verifier", false);
        assertThat(Api.get("/realms/" + realm.name + "/onboarding/me", null).status())
                .isEqualTo(401);
    }

    @Test
    @DisplayName("a verifier cannot reach another realm's case or ceremony through their own realm")
    void crossRealmIds() {
        String otherCase = otherRealm.hireInProbation("other-hire", Map.of());
        String token = realm.consoleTokenOf("verifier");
        Api.Reply reply = VerifierApi.open(realm.name, token, otherCase, "DOCUMENT", "VIDEO");
        assertThat(reply.status()).isEqualTo(404);
        Api.Reply ceremony = VerifierApi.open(
                otherRealm.name, otherRealm.consoleTokenOf("verifier"), otherCase, "DOCUMENT", "VIDEO");
        assertThat(Api.get(VerifierApi.base(realm.name) + "/ceremonies/" + VerifierApi.id(ceremony), token)
                        .status())
                .isEqualTo(404);
    }

    static Stream<Arguments> malformed() {
        String open = VerifierApi.base("{realm}") + "/{case}/ceremonies";
        String result = VerifierApi.base("{realm}") + "/ceremonies/{ceremony}/result";
        Map<String, Object> checklist = VerifierApi.documentChecklist();
        return Stream.of(
                Arguments.of("open: empty body", "POST", open, "", 400),
                Arguments.of("open: not JSON", "POST", open, "{step", 400),
                Arguments.of("open: array", "POST", open, "[]", 400),
                Arguments.of("open: unknown step", "POST", open, "{\"step\":\"FACE\"}", 400),
                Arguments.of("open: step not a string", "POST", open, "{\"step\":7}", 400),
                Arguments.of("open: identity without method", "POST", open, "{\"step\":\"IDENTITY\"}", 400),
                Arguments.of("open: unknown method", "POST", open, "{\"step\":\"DOCUMENT\",\"method\":\"CAR\"}", 400),
                Arguments.of("open: unknown field", "POST", open, "{\"step\":\"DOCUMENT\",\"x\":1}", 400),
                Arguments.of(
                        "open: unknown case",
                        "POST",
                        VerifierApi.base("{realm}") + "/nope/ceremonies",
                        "{\"step\":\"DOCUMENT\"}",
                        404),
                Arguments.of(
                        "open: very long case id",
                        "POST",
                        VerifierApi.base("{realm}") + "/" + "c".repeat(3000) + "/ceremonies",
                        "{\"step\":\"DOCUMENT\"}",
                        404),
                Arguments.of("list: negative first", "GET", VerifierApi.base("{realm}") + "?first=-1", null, 400),
                Arguments.of("list: max not a number", "GET", VerifierApi.base("{realm}") + "?max=all", null, 400),
                Arguments.of("result: empty body", "POST", result, "", 400),
                Arguments.of("result: no code", "POST", result, json(without(approve(checklist), "code")), 400),
                Arguments.of(
                        "result: code too long",
                        "POST",
                        result,
                        json(with(approve(checklist), "code", "1".repeat(40))),
                        400),
                Arguments.of(
                        "result: unknown outcome",
                        "POST",
                        result,
                        json(with(approve(checklist), "outcome", "MAYBE")),
                        400),
                Arguments.of(
                        "result: reject without reason",
                        "POST",
                        result,
                        json(with(approve(checklist), "outcome", "REJECT")),
                        400),
                Arguments.of(
                        "result: reject reason over 1024 characters",
                        "POST",
                        result,
                        json(with(with(approve(checklist), "outcome", "REJECT"), "reason", "r".repeat(1025))),
                        400),
                Arguments.of(
                        "result: checklist not an object",
                        "POST",
                        result,
                        json(with(approve(checklist), "checklist", "ok")),
                        400),
                Arguments.of(
                        "result: unknown checklist item",
                        "POST",
                        result,
                        json(approve(with(checklist, "vibes", true))),
                        400),
                Arguments.of(
                        "result: identity item in a document check",
                        "POST",
                        result,
                        json(approve(with(checklist, "liveCamera", true))),
                        400),
                Arguments.of(
                        "result: unknown document type",
                        "POST",
                        result,
                        json(approve(with(checklist, "documentType", "LIBRARY_CARD"))),
                        400),
                Arguments.of(
                        "result: country not ISO",
                        "POST",
                        result,
                        json(approve(with(checklist, "issuingCountry", "Germany"))),
                        400),
                Arguments.of(
                        "result: expiry not a date",
                        "POST",
                        result,
                        json(approve(with(checklist, "expiryDate", "soon"))),
                        400),
                Arguments.of(
                        "result: expired document approved",
                        "POST",
                        result,
                        json(approve(with(checklist, "expiryDate", "2020-01-31"))),
                        400),
                Arguments.of(
                        "result: whole document number",
                        "POST",
                        result,
                        json(approve(with(checklist, "numberLastChars", "C01X00T47"))),
                        400),
                Arguments.of(
                        "result: check not boolean",
                        "POST",
                        result,
                        json(approve(with(checklist, "photoMatches", "yes"))),
                        400),
                Arguments.of(
                        "result: approve with a failed check",
                        "POST",
                        result,
                        json(approve(with(checklist, "documentGenuine", false))),
                        400),
                Arguments.of(
                        "result: approve with a missing check",
                        "POST",
                        result,
                        json(approve(without(checklist, "photoMatches"))),
                        400),
                Arguments.of(
                        "result: notes too long",
                        "POST",
                        result,
                        json(approve(with(checklist, "notes", "n".repeat(1001)))),
                        400),
                Arguments.of(
                        "result: control characters in notes",
                        "POST",
                        result,
                        json(approve(with(checklist, "notes", "\u0000".repeat(900)))),
                        400),
                Arguments.of(
                        "result: no evidence reference",
                        "POST",
                        result,
                        json(without(approve(checklist), "evidenceRef")),
                        400),
                Arguments.of(
                        "result: image as evidence",
                        "POST",
                        result,
                        json(with(approve(checklist), "evidenceRef", "data:image/png;base64,iVBORw0KGgo=")),
                        400),
                Arguments.of(
                        "result: huge body",
                        "POST",
                        result,
                        json(with(approve(checklist), "reason", "r".repeat(70_000))),
                        400),
                Arguments.of(
                        "result: unknown ceremony",
                        "POST",
                        VerifierApi.base("{realm}") + "/ceremonies/nope/result",
                        json(approve(checklist)),
                        404));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("malformed")
    @DisplayName("malformed input gets a 4xx JSON error, with the right code in hand, and nothing is written")
    void malformedInput(String label, String method, String path, String body, int expected) {
        Api.Reply reply =
                Api.call(method, resolve(path), realm.consoleTokenOf("verifier"), body == null ? null : resolve(body));
        assertThat(reply.status()).as(reply.body()).isEqualTo(expected);
        assertThat(reply.json()).containsKey("error").containsKey("message");
        assertCeremonyUntouched();
    }

    private static void assertCeremonyUntouched() {
        Map<String, Object> ceremony = Api.get(
                        resolve(VerifierApi.base("{realm}") + "/ceremonies/{ceremony}"),
                        realm.consoleTokenOf("verifier"))
                .json();
        assertThat(ceremony).containsEntry("status", "OPEN").containsEntry("failedAttempts", 0);
        assertThat(realm.getCase(caseId)).containsEntry("stage", "PROBATION");
    }

    /** The real code, so only the malformed part can be the reason for a refusal. */
    private static Map<String, Object> approve(Map<String, Object> checklist) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", "{code}");
        body.put("outcome", "APPROVE");
        body.put("checklist", checklist);
        body.put("evidenceRef", "HR-1");
        return body;
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> map, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return copy;
    }

    private static String json(Map<String, Object> value) {
        return Api.toJson(value);
    }
}

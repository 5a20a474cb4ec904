package io.github.onboardingguard.webhooks;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.StandardWebhooksCheck;
import io.github.onboardingguard.testsupport.VerifierApi;
import io.github.onboardingguard.testsupport.WebhookReceiver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
        "Webhook subscriptions: lifecycle events, filters, several receivers, secret rotation, Keycloak's HTTP client")
class WebhookSubscriptionsIT extends KeycloakIntegrationTest {

    private static final String UI_PAGE = "org.keycloak.services.ui.extend.UiPageProvider";
    private static DemoRealm realm;

    @BeforeAll
    static void setUp() {
        realm = DemoRealm.importFresh("webhooks");
        // The ceremonies here are driven through the API; passkeys are VerificationBrowserIT's.
        realm.updatePolicy(Map.of("passkeyBinding", "false"));
    }

    private static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static Api.Reply subscribe(
            String name, String url, String secret, String previousSecret, List<String> events) {
        Map<String, List<String>> config = new LinkedHashMap<>();
        config.put("webhookUrl", List.of(url));
        config.put("webhookSecret", List.of(secret));
        if (previousSecret != null) {
            config.put("webhookPreviousSecret", List.of(previousSecret));
        }
        config.put("webhookEvents", events);
        return Api.post(
                "/admin/realms/" + realm.name + "/components",
                realm.adminToken(),
                Api.toJson(Map.of(
                        "name", name, "providerId", "onboarding-webhook", "providerType", UI_PAGE, "config", config)));
    }

    private static String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        String location = reply.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return (List<Map<String, Object>>) (List<?>) JsonFields.list(reply.json(), "items");
    }

    private static String typeOf(WebhookReceiver.Delivery delivery) {
        return (String) JsonFields.at(Api.parse(delivery.body()), "type");
    }

    private static List<WebhookReceiver.Delivery> about(List<WebhookReceiver.Delivery> deliveries, String caseId) {
        return deliveries.stream().filter(d -> d.body().contains(caseId)).toList();
    }

    @Test
    @DisplayName(
            "given a realm file of an earlier version whose policy has its own alert webhook, when it is imported, "
                    + "then the webhook is a subscription for risk alerts with the same URL and secret, and the policy no "
                    + "longer names it; so does a policy saved with it")
    void formerPolicyReceiverBecomesASubscription() {
        String secret = newSecret();
        // Nothing is sent to it: no event happens in this realm.
        String url = "https://hooks.example.invalid/alerts";
        DemoRealm imported = DemoRealm.importFresh(
                "webhooks-upgrade",
                rep -> rep.getComponents().get("org.keycloak.services.ui.extend.UiPageProvider").stream()
                        .filter(c -> "onboarding-policy".equals(c.getProviderId()))
                        .findFirst()
                        .orElseThrow()
                        .getConfig()
                        .putAll(Map.of("riskWebhookUrl", List.of(url), "riskWebhookSecret", List.of(secret))));

        var pages = imported.resource
                .components()
                .query(imported.resource.toRepresentation().getId(), UI_PAGE);
        var subscriptions = pages.stream()
                .filter(c -> "onboarding-webhook".equals(c.getProviderId()))
                .toList();
        assertThat(subscriptions).hasSize(1);
        var moved = subscriptions.get(0).getConfig();
        assertThat(moved.getFirst("webhookUrl")).isEqualTo(url);
        assertThat(moved.getFirst("webhookSecret"))
                .as("kept (the API shows it masked)")
                .isNotBlank();
        assertThat(moved.get("webhookEvents")).containsExactly("risk.signal");
        var policy = pages.stream()
                .filter(c -> "onboarding-policy".equals(c.getProviderId()))
                .findFirst()
                .orElseThrow()
                .getConfig();
        assertThat(policy).doesNotContainKeys("riskWebhookUrl", "riskWebhookSecret");
        assertThat(imported.auditEntries("type=webhook.receiver_moved"))
                .contains(subscriptions.get(0).getId());

        // An old script that re-creates the policy with the former settings: they move the same way.
        var recreated = pages.stream()
                .filter(c -> "onboarding-policy".equals(c.getProviderId()))
                .findFirst()
                .orElseThrow();
        imported.resource.components().component(recreated.getId()).remove();
        recreated.setId(null);
        recreated.getConfig().put("riskWebhookUrl", List.of(url + "/again"));
        recreated.getConfig().put("riskWebhookSecret", List.of(secret));
        imported.resource.components().add(recreated).close();
        var after = imported.resource
                .components()
                .query(imported.resource.toRepresentation().getId(), UI_PAGE);
        assertThat(after)
                .filteredOn(c -> "onboarding-webhook".equals(c.getProviderId()))
                .extracting(c -> c.getConfig().getFirst("webhookUrl"))
                .containsExactlyInAnyOrder(url, url + "/again");
        assertThat(after)
                .filteredOn(c -> "onboarding-policy".equals(c.getProviderId()))
                .singleElement()
                .satisfies(c -> assertThat(c.getConfig()).doesNotContainKeys("riskWebhookUrl", "riskWebhookSecret"));
    }

    @Test
    @DisplayName(
            "given realm files of an earlier version whose policy's alert webhook today's rules refuse, or that is "
                    + "not a URL at all, when they are imported, then the first moves as it was and its alerts are "
                    + "refused unsent, and the second is dropped and audited")
    void formerPolicyReceiverRefusedOrMalformed() {
        // Plain http to a host the operator does not allow: refused before any lookup or connection.
        String refused = "http://alerts.refused.invalid/hook";
        DemoRealm moved = importWithFormerReceiver("webhooks-refused", refused);
        String movedRealmId = moved.resource.toRepresentation().getId();
        assertThat(moved.resource.components().query(movedRealmId, UI_PAGE))
                .filteredOn(c -> "onboarding-webhook".equals(c.getProviderId()))
                .singleElement()
                .satisfies(c -> assertThat(c.getConfig().getFirst("webhookUrl")).isEqualTo(refused));
        Api.Reply queued =
                Api.post("/realms/" + moved.name + "/onboarding-test-hooks/webhooks/enqueue?count=1", null, null);
        assertThat(queued.status()).as(queued.body()).isEqualTo(200);
        String alerts = Poll.until(
                Duration.ofSeconds(20),
                () -> Api.get("/admin/realms/" + moved.name + "/onboarding/alerts", moved.adminToken())
                        .body(),
                body -> body.contains("destination refused"));
        assertThat(alerts).contains("destination refused", "plain http");

        DemoRealm dropped = importWithFormerReceiver("webhooks-malformed", "not a url");
        String droppedRealmId = dropped.resource.toRepresentation().getId();
        var pages = dropped.resource.components().query(droppedRealmId, UI_PAGE);
        assertThat(pages).noneMatch(c -> "onboarding-webhook".equals(c.getProviderId()));
        assertThat(pages)
                .filteredOn(c -> "onboarding-policy".equals(c.getProviderId()))
                .singleElement()
                .satisfies(c -> assertThat(c.getConfig()).doesNotContainKeys("riskWebhookUrl", "riskWebhookSecret"));
        assertThat(dropped.auditEntries("type=webhook.receiver_dropped")).contains("webhookUrl");
    }

    private DemoRealm importWithFormerReceiver(String name, String url) {
        String secret = newSecret();
        return DemoRealm.importFresh(
                name,
                rep -> rep.getComponents().get(UI_PAGE).stream()
                        .filter(c -> "onboarding-policy".equals(c.getProviderId()))
                        .findFirst()
                        .orElseThrow()
                        .getConfig()
                        .putAll(Map.of("riskWebhookUrl", List.of(url), "riskWebhookSecret", List.of(secret))));
    }

    @Test
    @DisplayName("a case verified in a real ceremony reaches each subscription its filter lets through, signed with "
            + "both secrets during a rotation, as the Standard Webhooks library checks it")
    void lifecycleEventsBySubscription() throws Exception {
        String current = newSecret();
        String previous = newSecret();
        try (WebhookReceiver verifiedOnly = new WebhookReceiver();
                WebhookReceiver everyCaseEvent = new WebhookReceiver()) {
            created(subscribe("hr-system", verifiedOnly.url(), current, previous, List.of("case.verified")));
            String familyId = created(subscribe("siem", everyCaseEvent.url(), newSecret(), null, List.of("case.*")));

            String caseId = realm.hireInProbation("lifecycle-hire", Map.of());
            realm.verifyThroughCeremonies(caseId, "lifecycle-hire");

            List<WebhookReceiver.Delivery> family = about(
                    everyCaseEvent.await(
                            list -> about(list, caseId).stream()
                                    .anyMatch(d -> typeOf(d).equals("case.verified")),
                            Duration.ofSeconds(30)),
                    caseId);
            assertThat(family)
                    .extracting(WebhookSubscriptionsIT::typeOf)
                    .containsExactly(
                            "case.created", "case.probation_started", "case.document_verified", "case.verified");
            WebhookReceiver.Delivery verified =
                    verifiedOnly.await(list -> !about(list, caseId).isEmpty(), Duration.ofSeconds(30)).stream()
                            .filter(d -> d.body().contains(caseId))
                            .findFirst()
                            .orElseThrow();
            assertThat(about(verifiedOnly.accepted(), caseId))
                    .as("the filter lets only case.verified through")
                    .hasSize(1);
            Map<String, Object> body = Api.parse(verified.body());
            assertThat(body).containsEntry("type", "case.verified");
            assertThat(JsonFields.at(body, "data.caseId")).isEqualTo(caseId);
            assertThat(JsonFields.at(body, "data.stage")).isEqualTo("VERIFIED");
            assertThat(JsonFields.at(body, "data.previousStage")).isEqualTo("DOCUMENT_VERIFIED");
            assertThat(JsonFields.at(body, "data.user.username")).isEqualTo("lifecycle-hire");

            assertThat(verified.signature().split(" "))
                    .as("one signature per secret")
                    .hasSize(2);
            assertThat(StandardWebhooksCheck.verifies(verified, current))
                    .as("receiver on the new secret")
                    .isTrue();
            assertThat(StandardWebhooksCheck.verifies(verified, previous))
                    .as("receiver still on the old secret")
                    .isTrue();
            assertThat(StandardWebhooksCheck.verifies(verified, newSecret()))
                    .as("anyone else")
                    .isFalse();

            Api.Reply alerts =
                    Api.get("/admin/realms/" + realm.name + "/onboarding/alerts?max=200", realm.adminToken());
            assertThat(items(alerts))
                    .anySatisfy(alert -> assertThat(alert)
                            .containsEntry("subscription", familyId)
                            .containsEntry("type", "case.verified")
                            .containsEntry("status", "DELIVERED"));
        }
    }

    @Test
    @DisplayName("subscriptions and their changes are audited policy changes, secrets redacted, removal included")
    void subscriptionChangesAreAudited() {
        String secret = newSecret();
        String id = created(
                subscribe("audited", "https://hooks.example.invalid/in", secret, null, List.of("ceremony.locked")));
        Api.Reply removed =
                Api.call("DELETE", "/admin/realms/" + realm.name + "/components/" + id, realm.adminToken(), null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);

        Api.Reply entries = Api.get(
                "/realms/" + realm.name + "/onboarding/audit/entries?type=policy.changed&limit=500",
                realm.consoleTokenOf("auditor"));
        assertThat(entries.status()).as(entries.body()).isEqualTo(200);
        assertThat(entries.body()).doesNotContain(secret.substring(6));
        List<Map<String, Object>> mine = items(entries).stream()
                .filter(e -> id.equals(JsonFields.at(e, "details.componentId")))
                .toList();
        String adminId = realm.userIdOf("iam-admin");
        assertThat(mine)
                .extracting(e -> JsonFields.at(e, "details.operation"))
                .containsExactlyInAnyOrder("create", "remove");
        assertThat(mine).allSatisfy(e -> {
            assertThat(e).containsEntry("actor", adminId);
            assertThat(JsonFields.at(e, "details.page")).isEqualTo("onboarding-webhook");
        });
        assertThat(mine)
                .anySatisfy(e -> assertThat(JsonFields.at(e, "details.settings.webhookSecret"))
                        .isEqualTo("(redacted)"));
    }

    @Test
    @DisplayName("a subscription aimed inward, over plain http, or at an unknown event type is refused at save, "
            + "with nothing stored or queued")
    void refusedAtSave() {
        int before = realm.resource.components().query(null, UI_PAGE).size();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("http://127.0.0.1:8080/hook", "case.*");
        refused.put("https://169.254.169.254/latest/meta-data", "case.*");
        refused.put("https://10.1.2.3/hook", "case.*");
        refused.put("http://hooks.example.invalid/hook", "case.*");
        refused.put("https://hooks.example.invalid/hook", "case.everything");
        refused.put("https://hooks.example.invalid/" + "a".repeat(100_000), "case.*");
        refused.forEach((url, events) -> {
            Api.Reply reply = subscribe("refused", url, newSecret(), null, List.of(events));
            assertThat(reply.status())
                    .as("%s %s: %s", url, events, reply.body())
                    .isEqualTo(400);
            assertThat(reply.json()).containsKey("errorMessage");
        });
        Api.Reply noSecret = subscribe("refused", "https://hooks.example.invalid/hook", "", null, List.of());
        assertThat(noSecret.status()).as(noSecret.body()).isEqualTo(400);
        assertThat(noSecret.body()).contains("webhookSecret");
        assertThat(realm.resource.components().query(null, UI_PAGE)).hasSize(before);
    }

    @Test
    @DisplayName("in development mode a receiver on the server's own machine is taken when the operator lists its "
            + "host (localhost) and gets the alerts; another name for the machine stays refused")
    void localReceiverInDevelopmentMode() {
        DemoRealm own = DemoRealm.importFresh("webhooks-local");
        // Inside the test server's container localhost is Keycloak itself, where a test-only endpoint answers 204.
        String url = "http://localhost:8080/realms/" + own.name + "/onboarding-test-hooks/webhook-sink";
        Api.Reply saved = own.saveWebhookSubscription(url, newSecret(), List.of("case.*"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        String location = saved.header("Location");
        String subscription = location.substring(location.lastIndexOf('/') + 1);
        Api.Reply other = own.saveWebhookSubscription(
                "http://127.0.0.1:8080/realms/" + own.name + "/onboarding-test-hooks/webhook-sink",
                newSecret(),
                List.of("case.*"));
        assertThat(other.status()).as(other.body()).isEqualTo(400);

        own.createHire("local-receiver-hire", Map.of());
        String alerts = "/admin/realms/" + own.name + "/onboarding/alerts";
        List<Map<String, Object>> delivered = Poll.until(
                Duration.ofSeconds(30),
                () -> items(Api.get(alerts, own.adminToken())).stream()
                        .filter(row -> subscription.equals(row.get("subscription")))
                        .filter(row -> "DELIVERED".equals(row.get("status")))
                        .toList(),
                rows -> !rows.isEmpty());
        assertThat(delivered).extracting(row -> row.get("type")).contains("case.created");
    }

    @Test
    @DisplayName("delivery goes through Keycloak's outgoing HTTP client: its proxy mapping carries a webhook to a "
            + "name only the proxy knows")
    void keycloakHttpClientSettingsApply() throws Exception {
        try (WebhookReceiver proxy = WebhookReceiver.onPort(KeycloakTestServer.PROXY_PORT)) {
            created(subscribe(
                    "via-proxy",
                    "http://" + KeycloakTestServer.PROXIED_HOST + "/hook",
                    newSecret(),
                    null,
                    List.of("case.created")));
            String caseId = (String) realm.createHire("proxied-hire", Map.of()).get("id");
            WebhookReceiver.Delivery delivery =
                    proxy.await(list -> !about(list, caseId).isEmpty(), Duration.ofSeconds(30)).stream()
                            .filter(d -> d.body().contains(caseId))
                            .findFirst()
                            .orElseThrow();
            assertThat(delivery.requestTarget())
                    .as("absolute form: sent to a proxy")
                    .isEqualTo("http://" + KeycloakTestServer.PROXIED_HOST + "/hook");
        }
    }

    @Test
    @DisplayName("a ceremony locked by wrong codes is announced as ceremony.locked")
    void ceremonyLocked() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            created(subscribe("locks", receiver.url(), newSecret(), null, List.of("ceremony.locked")));
            String caseId = realm.hireInProbation("locked-hire", Map.of());
            String verifier = realm.consoleTokenOf("verifier");
            HireBrowser hire =
                    HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "locked-hire", PASSWORD, null);
            Api.Reply opened = VerifierApi.open(realm.name, verifier, caseId, "DOCUMENT", "VIDEO");
            assertThat(opened.status()).as(opened.body()).isEqualTo(201);
            String code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int attempt = 0; attempt < 3; attempt++) {
                VerifierApi.approve(realm.name, verifier, VerifierApi.id(opened), "DOCUMENT", wrong);
            }
            WebhookReceiver.Delivery locked =
                    receiver.await(list -> !about(list, caseId).isEmpty(), Duration.ofSeconds(30)).stream()
                            .filter(d -> d.body().contains(caseId))
                            .findFirst()
                            .orElseThrow();
            assertThat(typeOf(locked)).isEqualTo("ceremony.locked");
            assertThat(JsonFields.at(Api.parse(locked.body()), "data.ceremonyId"))
                    .isEqualTo(VerifierApi.id(opened));
        }
    }

    @Test
    @DisplayName("alerts waiting for a receiver that is then removed are dead-lettered, not left pending forever")
    void removedReceiver() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.setDown(true);
            String id = created(subscribe("removed-later", receiver.url(), newSecret(), null, List.of("case.created")));
            String caseId =
                    (String) realm.createHire("orphaned-alert-hire", Map.of()).get("id");
            assertThat(realm.resource.components().component(id).toRepresentation())
                    .isNotNull();
            assertThat(Poll.until(Duration.ofSeconds(30), receiver::refusedIds, ids -> !ids.isEmpty()))
                    .as("tried while the receiver was down")
                    .isNotEmpty();
            realm.resource.components().component(id).remove();
            Map<String, Object> alert =
                    Poll.until(
                            Duration.ofSeconds(60),
                            () -> items(Api.get(
                                            "/admin/realms/" + realm.name + "/onboarding/alerts?max=200",
                                            realm.adminToken()))
                                    .stream()
                                    .filter(a -> id.equals(a.get("subscription")))
                                    .findFirst()
                                    .orElseThrow(),
                            a -> "DEAD".equals(a.get("status")));
            assertThat(alert).containsEntry("status", "DEAD").containsEntry("lastError", "receiver removed");
            assertThat(caseId).isNotNull();
        }
    }
}

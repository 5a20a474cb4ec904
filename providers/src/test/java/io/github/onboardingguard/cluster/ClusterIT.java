package io.github.onboardingguard.cluster;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.FrontDoor;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestCertificate;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import io.github.onboardingguard.testsupport.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.MountableFile;

/**
 * Two Keycloak nodes in production mode ({@code start}) with Infinispan clustering (JDBC_PING) on
 * one PostgreSQL, behind a front door that the test routes to one node or the other. Uses the
 * PostgreSQL server named by {@code onboarding.postgres.clusterJdbcUrl} (scripts/test.sh starts
 * one) or, without it, a postgres container.
 */
@DisplayName(
        "A two-node cluster on PostgreSQL: a change on one node holds on the other at once, and a node's death loses nothing")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String REALM = "onboarding-demo";
    private static final Duration CLUSTER_FORMS = Duration.ofSeconds(90);

    private static Network network;
    private static GenericContainer<?> postgres;
    private static KeycloakContainer nodeA;
    private static KeycloakContainer nodeB;
    private static FrontDoor front;
    /** The webhook receiver's: a server in production mode sends webhooks over https only. */
    private static final TestCertificate RECEIVER_CERTIFICATE = TestCertificate.forHost("host.docker.internal");

    private static DemoRealm realm;
    private static String jdbcUrl;
    /** The same database as the test reaches it from the host. */
    private static String hostJdbcUrl;

    private static String dbUser;
    private static String dbPassword;

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (KeycloakContainer node : new KeycloakContainer[] {nodeA, nodeB}) {
                if (node != null && node.isRunning()) {
                    String logs = node.getLogs();
                    System.err.println("==== cluster node log (tail) ====\n"
                            + logs.substring(Math.max(0, logs.length() - 30_000)));
                }
            }
        }
    };

    @BeforeAll
    static void startCluster() throws Exception {
        network = Network.newNetwork();
        jdbcUrl = System.getProperty("onboarding.postgres.clusterJdbcUrl");
        dbUser = System.getProperty("onboarding.postgres.user", "keycloak");
        dbPassword = System.getProperty("onboarding.postgres.password", "keycloak-it");
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            postgres = new GenericContainer<>("postgres:16-alpine")
                    .withNetwork(network)
                    .withNetworkAliases("postgres")
                    .withExposedPorts(5432)
                    .withEnv(Map.of(
                            "POSTGRES_DB", "keycloak", "POSTGRES_USER", dbUser, "POSTGRES_PASSWORD", dbPassword));
            postgres.start();
            jdbcUrl = "jdbc:postgresql://postgres:5432/keycloak";
            hostJdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getMappedPort(5432) + "/keycloak";
        } else {
            hostJdbcUrl = jdbcUrl.replace("//host.docker.internal:", "//127.0.0.1:");
        }
        front = new FrontDoor();
        // One after the other: the first node creates the schema and imports the demo realm.
        nodeA = node();
        nodeA.start();
        nodeB = node();
        nodeB.start();
        awaitClusterOfTwo(nodeB);
        KeycloakTestServer.useServer(front.url());
        routeTo(nodeA);
        realm = DemoRealm.existing(nodeA.getKeycloakAdminClient().realm(REALM));
        // Passkeys need a real browser; this class is about the cluster, VerificationBrowserIT covers them.
        realm.updatePolicy(Map.of("passkeyBinding", "false"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        KeycloakTestServer.useSharedServer();
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, postgres, front, network}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** A node killed by the test before is replaced by a new one, so every scenario starts with two. */
    @BeforeEach
    void twoNodes() throws InterruptedException {
        if (!nodeA.isRunning()) {
            nodeA = restarted(nodeA);
            // The admin client spoke to the dead node.
            realm = DemoRealm.existing(nodeA.getKeycloakAdminClient().realm(REALM));
        }
        if (!nodeB.isRunning()) {
            nodeB = restarted(nodeB);
        }
    }

    private static KeycloakContainer restarted(KeycloakContainer dead) throws InterruptedException {
        dead.stop();
        KeycloakContainer fresh = node();
        fresh.start();
        awaitClusterOfTwo(fresh);
        return fresh;
    }

    private static KeycloakContainer node() {
        return KeycloakTestServer.newProductionContainer()
                .withNetwork(network)
                .withEnv("KC_DB", "postgres")
                .withEnv("KC_DB_URL", jdbcUrl)
                .withEnv("KC_DB_USERNAME", dbUser)
                .withEnv("KC_DB_PASSWORD", dbPassword)
                // Distributed caches, nodes finding each other through the database.
                .withEnv("KC_CACHE", "ispn")
                .withEnv("KC_CACHE_STACK", "jdbc-ping")
                // Every node names itself by the address users know, as behind a load balancer.
                .withEnv("KC_HOSTNAME", front.url())
                .withEnv("KC_HTTP_ENABLED", "true")
                .withCopyFileToContainer(
                        MountableFile.forHostPath(RECEIVER_CERTIFICATE.pem()),
                        "/opt/keycloak/conf/truststores/webhook-receiver.pem")
                .withStartupTimeout(Duration.ofMinutes(5));
    }

    private static void awaitClusterOfTwo(KeycloakContainer node) throws InterruptedException {
        String twoMembers = "(?s).*ISPN000094: Received new cluster view for channel ISPN: \\[[^]]*] \\(2\\).*";
        String logs = Poll.until(CLUSTER_FORMS, node::getLogs, log -> log.matches(twoMembers));
        if (!logs.matches(twoMembers)) {
            throw new AssertionError("The two nodes did not form a cluster within " + CLUSTER_FORMS + ":\n" + logs);
        }
    }

    private static void routeTo(KeycloakContainer node) {
        front.routeTo(node.getHost(), node.getHttpPort());
    }

    private static Tokens.TokenResponse login(String username) {
        Tokens.TokenResponse tokens = Tokens.passwordGrant(REALM, OPEN_CLIENT, OPEN_CLIENT_SECRET, username, PASSWORD);
        assertThat(tokens.status())
                .as("login of %s: %s", username, tokens.body())
                .isEqualTo(200);
        return tokens;
    }

    private static Tokens.TokenResponse refresh(Tokens.TokenResponse tokens) {
        return Tokens.refresh(REALM, OPEN_CLIENT, OPEN_CLIENT_SECRET, tokens.refreshToken());
    }

    private static String stageOf(String caseId) {
        return (String) realm.getCase(caseId).get("stage");
    }

    @Test
    @Order(1)
    @DisplayName("a hire who logs in on node A refreshes on node B, and B's token is filtered as A's was")
    void loginOnOneNodeRefreshOnTheOther() {
        routeTo(nodeA);
        realm.hireInProbation("cluster-roaming-hire", Map.of("grants", Map.of("realmRoles", List.of("employee"))));
        Tokens.TokenResponse onA = login("cluster-roaming-hire");

        routeTo(nodeB);
        Tokens.TokenResponse onB = refresh(onA);
        assertThat(onB.status()).as("%s", onB.body()).isEqualTo(200);
        assertThat(JsonFields.at(onB.accessTokenClaims(), "onboarding.stage")).isEqualTo("PROBATION");
        assertThat(JsonFields.list(onB.accessTokenClaims(), "realm_access.roles"))
                .doesNotContain("employee");
    }

    @Test
    @Order(2)
    @DisplayName(
            "an admin suspends the case on node B: the hire's next refresh and login on node A are refused at once")
    void suspendOnOneNodeHoldsOnTheOther() {
        routeTo(nodeA);
        String caseId = realm.hireInProbation("cluster-suspended-hire", Map.of());
        Tokens.TokenResponse onA = login("cluster-suspended-hire");

        routeTo(nodeB);
        Api.Reply suspended = Api.post(
                realm.casesPath() + "/" + caseId + "/suspend", realm.adminToken(), "{\"reason\":\"cluster test\"}");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);

        routeTo(nodeA);
        Tokens.TokenResponse refreshed = refresh(onA);
        assertThat(refreshed.status()).as("%s", refreshed.body()).isEqualTo(400);
        assertThat(refreshed.error()).isEqualTo("invalid_grant");
        Tokens.TokenResponse again =
                Tokens.passwordGrant(REALM, OPEN_CLIENT, OPEN_CLIENT_SECRET, "cluster-suspended-hire", PASSWORD);
        assertThat(again.status()).as("%s", again.body()).isNotEqualTo(200);
    }

    @Test
    @Order(3)
    @DisplayName("ceremonies opened on one node complete on the other; the verification made on A ends the hire's "
            + "session on B at once, and B's next login carries the granted role")
    void ceremoniesAcrossNodes() {
        routeTo(nodeA);
        String caseId = realm.hireInProbation(
                "cluster-verified-hire", Map.of("grants", Map.of("realmRoles", List.of("employee"))));
        routeTo(nodeB);
        Tokens.TokenResponse before = login("cluster-verified-hire");
        assertThat(JsonFields.list(before.accessTokenClaims(), "realm_access.roles"))
                .doesNotContain("employee");

        // Document: opened on A (the hire sees the code there), result recorded on B.
        routeTo(nodeA);
        HireBrowser hire =
                HireBrowser.login(REALM, OPEN_CLIENT, HireBrowser.CALLBACK, "cluster-verified-hire", PASSWORD, null);
        String document =
                VerifierApi.id(VerifierApi.open(REALM, realm.consoleTokenOf("verifier"), caseId, "DOCUMENT", "VIDEO"));
        String documentCode = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));
        routeTo(nodeB);
        Api.Reply documentResult =
                VerifierApi.approve(REALM, realm.consoleTokenOf("verifier"), document, "DOCUMENT", documentCode);
        assertThat(documentResult.status()).as(documentResult.body()).isEqualTo(200);
        assertThat(documentResult.body()).contains("\"stage\":\"DOCUMENT_VERIFIED\"");

        // Identity: opened on B, result recorded on A, which makes the case VERIFIED there.
        String identity =
                VerifierApi.id(VerifierApi.open(REALM, realm.consoleTokenOf("verifier"), caseId, "IDENTITY", "VIDEO"));
        routeTo(nodeA);
        String identityCode = HireBrowser.login(
                        REALM, OPEN_CLIENT, HireBrowser.CALLBACK, "cluster-verified-hire", PASSWORD, null)
                .code()
                .orElseThrow();
        Api.Reply identityResult =
                VerifierApi.approve(REALM, realm.consoleTokenOf("verifier"), identity, "IDENTITY", identityCode);
        assertThat(identityResult.status()).as(identityResult.body()).isEqualTo(200);
        assertThat(JsonFields.at(identityResult.json(), "case.stage")).isEqualTo("VERIFIED");

        // Promotion ends every session of the hire (the next login starts with full access): on B too.
        routeTo(nodeB);
        Tokens.TokenResponse refreshed = refresh(before);
        assertThat(refreshed.status()).as("%s", refreshed.body()).isEqualTo(400);
        Tokens.TokenResponse after = login("cluster-verified-hire");
        assertThat(JsonFields.at(after.accessTokenClaims(), "onboarding.stage")).isEqualTo("VERIFIED");
        assertThat(JsonFields.list(after.accessTokenClaims(), "realm_access.roles"))
                .contains("employee");
    }

    @Test
    @Order(4)
    @DisplayName("a node is killed in the middle of an expiry run and of a ceremony result: the other node expires "
            + "the rest of the overdue cases, the result is recorded once when the verifier sends it again, and "
            + "each change is in the audit chain exactly once, gap-free and valid")
    void nodeKilledMidExpiryRunAndMidCeremonyResult() throws Exception {
        routeTo(nodeA);
        String ceremonyCase = realm.hireInProbation("cluster-ceremony-hire", Map.of());
        String verifierToken = realm.consoleTokenOf("verifier");
        HireBrowser hire =
                HireBrowser.login(REALM, OPEN_CLIENT, HireBrowser.CALLBACK, "cluster-ceremony-hire", PASSWORD, null);
        String ceremony = VerifierApi.id(VerifierApi.open(REALM, verifierToken, ceremonyCase, "DOCUMENT", "VIDEO"));
        String code = hire.press("refresh").code().orElseThrow(() -> new AssertionError(hire.page()));

        // Three cases fall due together; the run that reaches the second one stops there, mid-transaction.
        Instant due = Instant.now().plusSeconds(4);
        List<String> overdue = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            overdue.add((String) realm.createHire(
                            "cluster-overdue-hire-" + i,
                            Map.of("deadline", due.plusMillis(300L * i).toString()))
                    .get("id"));
        }
        KeycloakContainer victim;
        try (ClusterDatabase database = ClusterDatabase.connect(hostJdbcUrl, dbUser, dbPassword)) {
            database.lockCase(overdue.get(1));
            // The result's own case too, so it waits whatever the order of its writes.
            database.lockCase(ceremonyCase);
            String runner = database
                    .awaitWaiting(
                            waiting -> waiting.stream().anyMatch(ClusterDatabase.Waiting::behindTestLock),
                            Duration.ofSeconds(30))
                    .stream()
                    .filter(ClusterDatabase.Waiting::behindTestLock)
                    .findFirst()
                    .orElseThrow()
                    .clientAddress();
            victim = addressOf(nodeA).equals(runner) ? nodeA : nodeB;
            assertThat(addressOf(victim)).as("the stuck expiry run is a node's").isEqualTo(runner);

            // The verifier's result goes to the same node and waits there too.
            routeTo(victim);
            CompletableFuture<Api.Reply> result = CompletableFuture.supplyAsync(
                    () -> VerifierApi.approve(REALM, verifierToken, ceremony, "DOCUMENT", code));
            database.awaitWaiting(
                    waiting -> waiting.stream()
                                    .filter(w -> runner.equals(w.clientAddress()))
                                    .count()
                            >= 2,
                    Duration.ofSeconds(30));
            DockerClientFactory.instance()
                    .client()
                    .killContainerCmd(victim.getContainerId())
                    .exec();
            assertThat(result).failsWithin(Duration.ofSeconds(30));
        }

        KeycloakContainer survivor = victim == nodeA ? nodeB : nodeA;
        routeTo(survivor);
        Poll.until(
                Duration.ofSeconds(60),
                () -> overdue.stream().allMatch(id -> "EXPIRED".equals(stageOf(id))),
                all -> all);
        assertThat(overdue).as("expired, the rest by the surviving node").allMatch(id -> "EXPIRED".equals(stageOf(id)));
        assertThat(stageOf(ceremonyCase))
                .as("the killed node's result was never committed")
                .isEqualTo("PROBATION");

        Api.Reply again = VerifierApi.approve(REALM, verifierToken, ceremony, "DOCUMENT", code);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).contains("\"stage\":\"DOCUMENT_VERIFIED\"");

        for (int i = 0; i < 3; i++) {
            assertThat(stageChangesTo("cluster-overdue-hire-" + i, "EXPIRED"))
                    .as("expiries of overdue hire %d", i)
                    .isEqualTo(1);
        }
        assertThat(stageChangesTo("cluster-ceremony-hire", "DOCUMENT_VERIFIED")).isEqualTo(1);
        assertThat(auditEntries("cluster-ceremony-hire"))
                .filteredOn(entry -> "verification.recorded".equals(entry.get("type")))
                .hasSize(1);
        assertChainValid();
    }

    /** The audit entries about one user. */
    private static List<Map<?, ?>> auditEntries(String username) {
        Api.Reply reply = Api.get(
                "/realms/" + REALM + "/onboarding/audit/entries?limit=500&subject=" + username,
                realm.consoleTokenOf("auditor"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return JsonFields.list(reply.json(), "items").stream()
                .<Map<?, ?>>map(item -> (Map<?, ?>) item)
                .toList();
    }

    private static long stageChangesTo(String username, String stage) {
        return auditEntries(username).stream()
                .filter(entry -> "case.stage_changed".equals(entry.get("type"))
                        && stage.equals(((Map<?, ?>) entry.get("details")).get("to")))
                .count();
    }

    private static void assertChainValid() {
        Api.Reply verify = Api.get("/realms/" + REALM + "/onboarding/audit/verify", realm.consoleTokenOf("auditor"));
        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        assertThat(verify.json()).containsEntry("valid", true);
    }

    @Test
    @Order(5)
    @DisplayName(
            "the node sending an alert is killed mid-delivery and mid-change: nothing of the change is written, the "
                    + "audit chain stays whole, the other node delivers the alert under the same id and carries on with the "
                    + "change and the expiry task")
    void nodeKilledMidDeliveryAndMidChange() throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        try (WebhookReceiver receiver = WebhookReceiver.slowHttps(Duration.ofMillis(4500), RECEIVER_CERTIFICATE)) {
            realm.subscribeToRiskAlerts(
                    receiver.url(), "whsec_" + java.util.Base64.getEncoder().encodeToString(key));
            routeTo(nodeA);
            String caseId = realm.hireInProbation("cluster-interrupted-hire", Map.of());
            Api.Reply queued =
                    Api.post("/realms/" + REALM + "/onboarding-test-hooks/webhooks/enqueue?count=1", null, null);
            assertThat(queued.status()).as(queued.body()).isEqualTo(200);

            // Whichever node's delivery task claimed the alert is the one that dies while the receiver takes its
            // time to answer (4.5 s, under the sender's 5 s timeout).
            WebhookReceiver.Arrival first = awaitArrival(receiver);
            KeycloakContainer sender = addressOf(nodeA).equals(first.from()) ? nodeA : nodeB;
            KeycloakContainer survivor = sender == nodeA ? nodeB : nodeA;
            assertThat(addressOf(sender)).as("the alert came from a node").isEqualTo(first.from());

            routeTo(sender);
            String hook =
                    "/realms/" + REALM + "/onboarding-test-hooks/cases/" + caseId + "/events/SUSPEND?holdSeconds=120";
            CompletableFuture<Api.Reply> interrupted = CompletableFuture.supplyAsync(() -> Api.post(hook, null, null));
            awaitLog(sender, "holding the change of case " + caseId + " uncommitted");
            DockerClientFactory.instance()
                    .client()
                    .killContainerCmd(sender.getContainerId())
                    .exec();
            assertThat(interrupted).failsWithin(Duration.ofSeconds(30));

            routeTo(survivor);
            assertThat(stageOf(caseId))
                    .as("the killed node's change was never committed")
                    .isEqualTo("PROBATION");
            Api.Reply suspended = Api.post(
                    realm.casesPath() + "/" + caseId + "/suspend",
                    realm.adminToken(),
                    "{\"reason\":\"after the node died\"}");
            assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);

            String expiring = (String) realm.createHire(
                            "cluster-expiring-hire",
                            Map.of("deadline", Instant.now().plusSeconds(3).toString()))
                    .get("id");
            assertThat(Poll.until(Duration.ofSeconds(60), () -> stageOf(expiring), "EXPIRED"::equals))
                    .as("expired by the surviving node's task")
                    .isEqualTo("EXPIRED");

            // The dead node's claim runs out; the survivor sends the same alert, under the same id, and it settles.
            receiver.await(
                    accepted -> receiver.arrivals().stream()
                            .anyMatch(a -> a.from().equals(addressOf(survivor)) && a.id().equals(first.id())),
                    Duration.ofSeconds(90));
            // Two sends of one alert under one id: the interrupted one and the survivor's, which settled it;
            // a third within the next runs of the delivery task would show here.
            assertThat(Poll.nothingWithin(
                            Duration.ofSeconds(6),
                            receiver::arrivals,
                            arrived -> arrived.stream()
                                            .filter(a -> a.id().equals(first.id()))
                                            .count()
                                    > 2))
                    .filteredOn(a -> a.id().equals(first.id()))
                    .extracting(WebhookReceiver.Arrival::from)
                    .containsExactly(addressOf(sender), addressOf(survivor));

            assertChainValid();
        }
    }

    private static WebhookReceiver.Arrival awaitArrival(WebhookReceiver receiver) throws InterruptedException {
        List<WebhookReceiver.Arrival> arrivals =
                Poll.until(Duration.ofSeconds(30), receiver::arrivals, arrived -> !arrived.isEmpty());
        assertThat(arrivals).as("alerts that reached the receiver").isNotEmpty();
        return arrivals.get(0);
    }

    private static String addressOf(KeycloakContainer node) {
        return node.getContainerInfo()
                .getNetworkSettings()
                .getNetworks()
                .values()
                .iterator()
                .next()
                .getIpAddress();
    }

    private static void awaitLog(KeycloakContainer node, String text) throws InterruptedException {
        String logs = Poll.until(Duration.ofSeconds(30), node::getLogs, log -> log.contains(text));
        assertThat(logs).as("the node's log").contains(text);
    }
}

package io.github.onboardingguard.cases;

import static org.assertj.core.api.Assertions.assertThat;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.onboardingguard.testsupport.ContainerLogOnFailure;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.StandardWebhooksCheck;
import io.github.onboardingguard.testsupport.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * Keycloak on PostgreSQL: the extension's Liquibase changelog applies, and cases survive a
 * restart of the server. Uses the PostgreSQL server named by {@code onboarding.postgres.jdbcUrl}
 * (scripts/test.sh starts one) or, without it, a postgres container.
 */
@DisplayName("Onboarding cases on PostgreSQL")
@ExtendWith(ContainerLogOnFailure.class)
class PostgresPersistenceIT {

    private static final String REALM = "postgres-persistence";
    private static final String UI_PAGE = "org.keycloak.services.ui.extend.UiPageProvider";
    private static Network network;
    private static GenericContainer<?> postgres;
    private static String jdbcUrl;
    private static String user;
    private static String password;

    @BeforeAll
    static void database() {
        jdbcUrl = System.getProperty("onboarding.postgres.jdbcUrl");
        user = System.getProperty("onboarding.postgres.user", "keycloak");
        password = System.getProperty("onboarding.postgres.password", "keycloak-it");
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            network = Network.newNetwork();
            postgres = new GenericContainer<>("postgres:16-alpine")
                    .withNetwork(network)
                    .withNetworkAliases("postgres")
                    .withEnv(Map.of("POSTGRES_DB", "keycloak", "POSTGRES_USER", user, "POSTGRES_PASSWORD", password));
            postgres.start();
            jdbcUrl = "jdbc:postgresql://postgres:5432/keycloak";
        }
    }

    @AfterAll
    static void stopDatabase() {
        if (postgres != null) {
            postgres.stop();
            network.close();
        }
    }

    private static KeycloakContainer keycloakOnPostgres() {
        KeycloakContainer keycloak = KeycloakTestServer.newContainer()
                .withEnv("KC_DB", "postgres")
                .withEnv("KC_DB_URL", jdbcUrl)
                .withEnv("KC_DB_USERNAME", user)
                .withEnv("KC_DB_PASSWORD", password);
        if (network != null) {
            keycloak.withNetwork(network);
        }
        return keycloak;
    }

    @Test
    @DisplayName("the changelog applies, and a case created before a restart is intact after it")
    void casesSurviveRestart() throws Exception {
        String caseId;
        String userId;
        try (KeycloakContainer first = keycloakOnPostgres()) {
            first.start();
            Keycloak admin = first.getKeycloakAdminClient();
            RealmRepresentation realm = new RealmRepresentation();
            realm.setRealm(REALM);
            realm.setEnabled(true);
            RoleRepresentation probationary = new RoleRepresentation();
            probationary.setName("onboarding-probationary");
            RoleRepresentation employee = new RoleRepresentation();
            employee.setName("employee");
            realm.setRoles(new org.keycloak.representations.idm.RolesRepresentation());
            realm.getRoles().setRealm(List.of(probationary, employee));
            UserRepresentation sponsor = new UserRepresentation();
            sponsor.setUsername("sponsor");
            sponsor.setEnabled(true);
            realm.setUsers(List.of(sponsor));
            admin.realms().create(realm);

            HttpResponse<String> created = call(
                    first,
                    admin,
                    "POST",
                    "/admin/realms/" + REALM + "/onboarding/cases",
                    "{\"username\":\"pg-hire\",\"sponsor\":\"sponsor\",\"grants\":{\"realmRoles\":[\"employee\"]},"
                            + "\"invitation\":{\"send\":false}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            caseId = created.body().replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
            userId = admin.realm(REALM)
                    .users()
                    .searchByUsername("pg-hire", true)
                    .get(0)
                    .getId();
            HttpResponse<String> suspended = call(
                    first,
                    admin,
                    "POST",
                    "/admin/realms/" + REALM + "/onboarding/cases/" + caseId + "/suspend",
                    "{\"reason\":\"before restart\"}");
            assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
        }

        try (KeycloakContainer second = keycloakOnPostgres()) {
            second.start();
            Keycloak admin = second.getKeycloakAdminClient();
            HttpResponse<String> read =
                    call(second, admin, "GET", "/admin/realms/" + REALM + "/onboarding/cases/" + caseId, null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body())
                    .contains("\"stage\":\"SUSPENDED\"")
                    .contains("\"suspendedFrom\":\"INVITED\"")
                    .contains("before restart")
                    .contains("\"realmRoles\":[\"employee\"]")
                    .contains(userId);
            assertThat(admin.realm(REALM).users().get(userId).toRepresentation().isEnabled())
                    .isFalse();
        }
    }

    @Test
    @DisplayName("two Keycloak nodes on one database, eight writers: one gap-free, valid audit chain")
    void auditChainAcrossNodes() throws Exception {
        String realmName = "postgres-audit";
        try (KeycloakContainer nodeA = keycloakOnPostgres();
                KeycloakContainer nodeB = keycloakOnPostgres()) {
            startTogether(nodeA, nodeB);
            Keycloak admin = nodeA.getKeycloakAdminClient();
            RealmRepresentation realm = realmWithRole(realmName, "onboarding-auditor");
            UserRepresentation auditor = new UserRepresentation();
            auditor.setUsername("auditor");
            auditor.setEnabled(true);
            auditor.setEmail("auditor@example.com");
            auditor.setFirstName("Audrey");
            auditor.setLastName("Auditor");
            auditor.setEmailVerified(true);
            auditor.setRealmRoles(List.of("onboarding-auditor"));
            org.keycloak.representations.idm.CredentialRepresentation credential =
                    new org.keycloak.representations.idm.CredentialRepresentation();
            credential.setType("password");
            credential.setValue("auditor-password-1");
            credential.setTemporary(false);
            auditor.setCredentials(List.of(credential));
            realm.setUsers(List.of(auditor));
            // The audit API takes tokens of the console client only.
            org.keycloak.representations.idm.ClientRepresentation console =
                    new org.keycloak.representations.idm.ClientRepresentation();
            console.setClientId("onboarding-console");
            console.setPublicClient(true);
            console.setDirectAccessGrantsEnabled(true);
            realm.setClients(List.of(console));
            admin.realms().create(realm);

            List<KeycloakContainer> nodes = List.of(nodeA, nodeB);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<Integer>> writers = new java.util.ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                KeycloakContainer node = nodes.get(writer % 2);
                writers.add(pool.submit(() -> {
                    for (int call = 0; call < 10; call++) {
                        HttpResponse<String> appended = call(
                                node,
                                null,
                                "POST",
                                "/realms/" + realmName + "/onboarding-test-hooks/audit/append?count=3",
                                null);
                        assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);
                    }
                    return 30;
                }));
            }
            int total = 0;
            for (java.util.concurrent.Future<Integer> writer : writers) {
                total += writer.get();
            }
            pool.shutdown();

            HttpResponse<String> token = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(nodeB.getAuthServerUrl().replaceAll("/$", "") + "/realms/"
                                                    + realmName + "/protocol/openid-connect/token"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "grant_type=password&client_id=onboarding-console&username=auditor"
                                                    + "&password=auditor-password-1"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            String accessToken = token.body().replaceAll("(?s).*\"access_token\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> verified = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(nodeB.getAuthServerUrl().replaceAll("/$", "") + "/realms/"
                                                    + realmName + "/onboarding/audit/verify"))
                                    .header("Authorization", "Bearer " + accessToken)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
            // The realm's first entry is the import's appointment of its auditor (role.privileged_granted).
            int entries = total + 1;
            assertThat(verified.body())
                    .contains("\"valid\":true", "\"checked\":" + entries, "\"firstSeq\":1", "\"lastSeq\":" + entries);
        }
    }

    @Test
    @DisplayName(
            "two Keycloak nodes on one database, each running the webhook task every second: every alert arrives once")
    void webhooksAcrossNodes() throws Exception {
        String realmName = "postgres-webhooks";
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(key);
        // Slow enough that a run takes longer than the task's interval, so the nodes' runs overlap.
        try (WebhookReceiver receiver = WebhookReceiver.slow(java.time.Duration.ofMillis(300));
                KeycloakContainer nodeA = keycloakOnPostgres();
                KeycloakContainer nodeB = keycloakOnPostgres()) {
            // One after the other: on an empty database both nodes would create Keycloak's master realm and
            // import the demo realm at once, Keycloak's own bootstrap and not what this test is about.
            nodeA.start();
            nodeB.start();
            Keycloak admin = nodeA.getKeycloakAdminClient();
            admin.realms().create(realmWithRole(realmName, "onboarding-probationary"));
            // Node B's webhook task (every second) loads the new realm into B's cache before the receiver
            // exists; without cluster invalidation (dev mode) B never hears of the receiver, as a node of
            // a cluster may not for a moment. B must not dead-letter alerts for a receiver it cannot see yet.
            Thread.sleep(2_500);
            org.keycloak.representations.idm.ComponentRepresentation policy =
                    new org.keycloak.representations.idm.ComponentRepresentation();
            policy.setName("Onboarding policy");
            policy.setProviderId("onboarding-policy");
            policy.setProviderType("org.keycloak.services.ui.extend.UiPageProvider");
            policy.setParentId(admin.realm(realmName).toRepresentation().getId());
            policy.setConfig(new org.keycloak.common.util.MultivaluedHashMap<>(
                    Map.of("probationClients", List.of("account-console"))));
            admin.realm(realmName).components().add(policy).close();
            org.keycloak.representations.idm.ComponentRepresentation subscription =
                    new org.keycloak.representations.idm.ComponentRepresentation();
            subscription.setName("Alert receiver");
            subscription.setProviderId("onboarding-webhook");
            subscription.setProviderType("org.keycloak.services.ui.extend.UiPageProvider");
            subscription.setParentId(policy.getParentId());
            subscription.setConfig(new org.keycloak.common.util.MultivaluedHashMap<>(Map.of(
                    "webhookUrl",
                    List.of(receiver.url()),
                    "webhookSecret",
                    List.of(secret),
                    "webhookEvents",
                    List.of("risk.signal"))));
            admin.realm(realmName).components().add(subscription).close();

            List<KeycloakContainer> nodes = List.of(nodeA, nodeB);
            int total = 0;
            for (int call = 0; call < 6; call++) {
                HttpResponse<String> queued = call(
                        nodes.get(call % 2),
                        null,
                        "POST",
                        "/realms/" + realmName + "/onboarding-test-hooks/webhooks/enqueue?count=10",
                        null);
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(200);
                total += 10;
            }
            int expected = total;
            try {
                receiver.await(
                        list -> list.stream()
                                        .map(WebhookReceiver.Delivery::id)
                                        .distinct()
                                        .count()
                                == expected,
                        java.time.Duration.ofSeconds(90));
            } catch (AssertionError e) {
                // The shared server's log (ContainerLogOnFailure) says nothing about these two nodes.
                for (KeycloakContainer node : nodes) {
                    String logs = node.getLogs();
                    System.err.println(
                            "==== node log (tail) ====\n" + logs.substring(Math.max(0, logs.length() - 20_000)));
                }
                throw e;
            }
            // Both nodes run the task several times more within this: a duplicate would show.
            List<String> ids = Poll.nothingWithin(
                    java.time.Duration.ofSeconds(5),
                    () -> receiver.accepted().stream()
                            .map(WebhookReceiver.Delivery::id)
                            .toList(),
                    delivered -> delivered.size() > expected);
            assertThat(ids)
                    .as("each alert once, whichever node sent it")
                    .hasSize(expected)
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    @DisplayName("an upgrade from a version whose policy had its own alert webhook, two nodes starting together: one "
            + "subscription takes its place, and the alerts queued for it arrive once, signed with its secret")
    void upgradeMovesThePolicyReceiver() throws Exception {
        String realmName = "postgres-upgrade";
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(key);
        String hooks = "/realms/" + realmName + "/onboarding-test-hooks/";
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // The earlier version's data at rest: the policy names the receiver, three alerts wait for it.
            try (KeycloakContainer before = keycloakOnPostgres()) {
                before.start();
                Keycloak admin = before.getKeycloakAdminClient();
                admin.realms().create(realmWithRole(realmName, "onboarding-probationary"));
                org.keycloak.representations.idm.ComponentRepresentation policy =
                        new org.keycloak.representations.idm.ComponentRepresentation();
                policy.setName("Onboarding policy");
                policy.setProviderId("onboarding-policy");
                policy.setProviderType(UI_PAGE);
                policy.setParentId(admin.realm(realmName).toRepresentation().getId());
                policy.setConfig(new org.keycloak.common.util.MultivaluedHashMap<>(
                        Map.of("probationClients", List.of("account-console"))));
                admin.realm(realmName).components().add(policy).close();
                for (var setting : Map.of("riskWebhookUrl", receiver.url(), "riskWebhookSecret", secret)
                        .entrySet()) {
                    HttpResponse<String> written = call(
                            before,
                            null,
                            "POST",
                            hooks + "policy/raw?name=" + setting.getKey() + "&value="
                                    + java.net.URLEncoder.encode(
                                            setting.getValue(), java.nio.charset.StandardCharsets.UTF_8),
                            null);
                    assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
                }
                admin.realm(realmName).clearRealmCache();
                HttpResponse<String> queued =
                        call(before, null, "POST", hooks + "webhooks/enqueue?count=3&receiver=former-policy", null);
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(200);
            }

            try (KeycloakContainer nodeA = keycloakOnPostgres();
                    KeycloakContainer nodeB = keycloakOnPostgres()) {
                startTogether(nodeA, nodeB);
                receiver.await(list -> list.size() >= 3, java.time.Duration.ofSeconds(60));
                List<WebhookReceiver.Delivery> delivered = Poll.nothingWithin(
                        java.time.Duration.ofSeconds(4), receiver::accepted, list -> list.size() > 3);
                assertThat(delivered)
                        .hasSize(3)
                        .allSatisfy(delivery -> assertThat(StandardWebhooksCheck.verifies(delivery, secret))
                                .isTrue());

                Keycloak admin = nodeA.getKeycloakAdminClient();
                String realmId = admin.realm(realmName).toRepresentation().getId();
                var pages = admin.realm(realmName).components().query(realmId, UI_PAGE);
                assertThat(pages)
                        .filteredOn(c -> "onboarding-webhook".equals(c.getProviderId()))
                        .as("one subscription, however many nodes moved it")
                        .singleElement()
                        .satisfies(c -> {
                            assertThat(c.getConfig().getFirst("webhookUrl")).isEqualTo(receiver.url());
                            assertThat(c.getConfig().get("webhookEvents")).containsExactly("risk.signal");
                        });
                assertThat(pages)
                        .filteredOn(c -> "onboarding-policy".equals(c.getProviderId()))
                        .singleElement()
                        .satisfies(c ->
                                assertThat(c.getConfig()).doesNotContainKeys("riskWebhookUrl", "riskWebhookSecret"));
            }
        }
    }

    /** Two nodes starting at once, as a cluster's nodes come up after a deployment. */
    @Test
    @DisplayName("two Keycloak nodes on one database, each running the expiry task every 2 s: a reminder before the "
            + "deadline reaches the hire and the sponsor once")
    void remindersAcrossNodes() throws Exception {
        String realmName = "postgres-reminders";
        try (io.github.onboardingguard.testsupport.TestSmtpServer smtp =
                        new io.github.onboardingguard.testsupport.TestSmtpServer();
                KeycloakContainer nodeA = keycloakOnPostgres();
                KeycloakContainer nodeB = keycloakOnPostgres()) {
            nodeA.start();
            nodeB.start();
            Keycloak admin = nodeA.getKeycloakAdminClient();
            RealmRepresentation realm = realmWithRole(realmName, "onboarding-probationary");
            realm.setSmtpServer(smtp.realmSmtpConfig());
            UserRepresentation sponsor = new UserRepresentation();
            sponsor.setUsername("pg-sponsor");
            sponsor.setEmail("pg-sponsor@example.com");
            sponsor.setEnabled(true);
            realm.setUsers(List.of(sponsor));
            admin.realms().create(realm);

            String deadline =
                    java.time.Instant.now().plus(java.time.Duration.ofDays(3)).toString();
            HttpResponse<String> created = call(
                    nodeB,
                    nodeB.getKeycloakAdminClient(),
                    "POST",
                    "/admin/realms/" + realmName + "/onboarding/cases",
                    "{\"username\":\"pg-reminded\",\"email\":\"pg-reminded@example.com\",\"sponsor\":\"pg-sponsor\","
                            + "\"deadline\":\"" + deadline + "\",\"invitation\":{\"send\":false}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            smtp.awaitMail(m -> m.to().toString().contains("pg-reminded@"), java.time.Duration.ofSeconds(30));
            smtp.awaitMail(m -> m.to().toString().contains("pg-sponsor@"), java.time.Duration.ofSeconds(30));
            // Both nodes run the task several more times within this: a second reminder would show.
            Thread.sleep(8_000);
            assertThat(smtp.received().stream()
                            .filter(m -> m.to().toString().contains("pg-reminded@"))
                            .count())
                    .as("one reminder to the hire, whichever node sent it")
                    .isEqualTo(1);
            assertThat(smtp.received().stream()
                            .filter(m -> m.to().toString().contains("pg-sponsor@"))
                            .count())
                    .isEqualTo(1);
        }
    }

    private static void startTogether(KeycloakContainer nodeA, KeycloakContainer nodeB) throws InterruptedException {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread startB = new Thread(() -> startOrRecord(nodeB, failures));
        startB.start();
        startOrRecord(nodeA, failures);
        startB.join();
        if (!failures.isEmpty()) {
            // The shared server's log (ContainerLogOnFailure) says nothing about why these nodes did not start.
            for (KeycloakContainer node : List.of(nodeA, nodeB)) {
                String logs = node.getLogs();
                System.err.println("==== node log (tail) ====\n" + logs.substring(Math.max(0, logs.length() - 30_000)));
            }
            throw new AssertionError("a node did not start", failures.get(0));
        }
    }

    private static void startOrRecord(KeycloakContainer node, List<Throwable> failures) {
        try {
            node.start();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static RealmRepresentation realmWithRole(String name, String role) {
        RealmRepresentation realm = new RealmRepresentation();
        realm.setRealm(name);
        realm.setEnabled(true);
        RoleRepresentation realmRole = new RoleRepresentation();
        realmRole.setName(role);
        realm.setRoles(new org.keycloak.representations.idm.RolesRepresentation());
        realm.getRoles().setRealm(List.of(realmRole));
        return realm;
    }

    private static HttpResponse<String> call(
            KeycloakContainer keycloak, Keycloak admin, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(keycloak.getAuthServerUrl().replaceAll("/$", "") + path))
                .header("Content-Type", "application/json");
        if (admin != null) {
            request.header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString());
        }
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

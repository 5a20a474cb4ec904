package io.github.onboardingguard.testsupport;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.keycloak.admin.client.Keycloak;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

/**
 * The one Keycloak container behind every integration test of a run. It loads the packaged
 * provider JAR, so a missing service registration fails the tests rather than production.
 */
public final class KeycloakTestServer {

    private static final String DEFAULT_IMAGE = "quay.io/keycloak/keycloak:26.7.3";
    private static KeycloakContainer container;
    private static Keycloak adminClient;

    private KeycloakTestServer() {}

    public static synchronized KeycloakContainer container() {
        if (container == null) {
            container = start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "keycloak-test-server-stop"));
        }
        return container;
    }

    /** Admin client of the master realm's bootstrap admin. */
    public static synchronized Keycloak admin() {
        if (otherAdmin != null) {
            return otherAdmin;
        }
        if (adminClient == null) {
            adminClient = container().getKeycloakAdminClient();
        }
        return adminClient;
    }

    /** Another server every helper (Api, Tokens, HireBrowser) talks to instead, e.g. a cluster's front door. */
    private static volatile String otherServer;
    /** A server of a test's own that also answers for {@link #admin()} and {@link #logs()}, e.g. one with other features. */
    private static volatile KeycloakContainer otherContainer;

    private static volatile Keycloak otherAdmin;

    public static String baseUrl() {
        String other = otherServer;
        return other != null ? other : container().getAuthServerUrl().replaceAll("/$", "");
    }

    /** Points the helpers at {@code url} until {@link #useSharedServer()}. */
    public static void useServer(String url) {
        otherServer = url;
    }

    /** Points the helpers, the admin client and the failure log at {@code server} until {@link #useSharedServer()}. */
    public static void useServer(KeycloakContainer server) {
        otherContainer = server;
        otherAdmin = server.getKeycloakAdminClient();
        otherServer = server.getAuthServerUrl().replaceAll("/$", "");
    }

    public static void useSharedServer() {
        otherServer = null;
        otherContainer = null;
        if (otherAdmin != null) {
            otherAdmin.close();
            otherAdmin = null;
        }
    }

    public static String logs() {
        KeycloakContainer other = otherContainer;
        if (other != null) {
            return other.getLogs();
        }
        return container == null ? "(Keycloak was not started)" : container.getLogs();
    }

    private static KeycloakContainer start() {
        KeycloakContainer keycloak = newContainer();
        keycloak.start();
        return keycloak;
    }

    /**
     * A Keycloak container configured like the shared one but not started, for the few tests that
     * need a server of their own (another database, a restart).
     */
    static final String COUNTRY_RANGES_PATH = "/opt/keycloak/conf/onboarding-ip-country.csv";
    /** Private ranges the risk tests log in "from" via X-Forwarded-For. */
    static final String COUNTRY_RANGES = "10.50.0.0/16,NL\n10.60.0.0/16,BR\n10.60.7.0/24,AR\n";

    /** Host names the server's outgoing-HTTP client sends through a proxy: the tests' receiver on {@link #PROXY_PORT}. */
    public static final String PROXIED_HOST = "hooks.via-proxy.test";

    public static final int PROXY_PORT = freePort();

    /** The host of the demo realm's shipped webhook subscription. */
    static final String DEMO_WEBHOOK_HOST = "webhooks.demo.internal";

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final String IMPORT_DIR = "/opt/keycloak/data/import/";

    public static KeycloakContainer newContainer() {
        File demoRealm = existingFile("onboarding.realmConfig");
        return newContainer(MountableFile.forHostPath(demoRealm.toPath()));
    }

    /**
     * A server started for production ({@code kc.sh start}). The demo realm's shipped subscription is
     * plain http to scripts/run.sh's receiver, which only a server in development mode accepts (the
     * import would be refused); an operator leaves it out of a production server, and so does this.
     */
    public static KeycloakContainer newProductionContainer() {
        File demoRealm = existingFile("onboarding.realmConfig");
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.JsonNode realm = json.readTree(demoRealm);
            com.fasterxml.jackson.databind.JsonNode pages =
                    realm.path("components").path("org.keycloak.services.ui.extend.UiPageProvider");
            for (java.util.Iterator<com.fasterxml.jackson.databind.JsonNode> it = pages.elements(); it.hasNext(); ) {
                if ("onboarding-webhook".equals(it.next().path("providerId").asText())) {
                    it.remove();
                }
            }
            return newContainer(Transferable.of(json.writeValueAsBytes(realm))).withProductionMode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static KeycloakContainer newContainer(Transferable demoRealmContent) {
        File providerJar = existingFile("onboarding.providerJar");
        File testHooksJar = existingFile("onboarding.testHooksJar");
        File demoRealm = existingFile("onboarding.realmConfig");
        File partnerRealm = new File(demoRealm.getParentFile(), PartnerRealm.FILE);
        return new KeycloakContainer(System.getProperty("keycloak.image", DEFAULT_IMAGE))
                .withProviderLibsFrom(List.of(providerJar, testHooksJar))
                // Keycloak's own import at start, as container deployments load realm files: the shipped
                // files in data/import, each named after its realm (the container always passes
                // --import-realm).
                .withCopyToContainer(demoRealmContent, IMPORT_DIR + demoRealm.getName())
                .withCopyFileToContainer(
                        MountableFile.forHostPath(partnerRealm.toPath()), IMPORT_DIR + partnerRealm.getName())
                // Expire overdue cases quickly so the expiry test does not wait minutes.
                .withEnv("KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__EXPIRY_INTERVAL_SECONDS", "2")
                .withEnv("KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__WEBHOOK_INTERVAL_SECONDS", "1")
                // Below the default of 90 days, so the retention test shows the option is read.
                .withEnv("KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__AUDIT_MIN_RETENTION_DAYS", "30")
                .withEnv("KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__AUDIT_LOG_STREAM", "true")
                // The operator lets realms allow a vendor to stand in for the live identity step (the vendor test
                // does).
                .withEnv("KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__VENDOR_IDENTITY_STEP", "true")
                // Lets tests log in "from" different addresses with X-Forwarded-For, as behind a proxy.
                .withEnv("KC_PROXY_HEADERS", "xforwarded")
                // Country by address range, for realms without a trusted country header.
                .withCopyToContainer(Transferable.of(COUNTRY_RANGES), COUNTRY_RANGES_PATH)
                .withEnv("KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__COUNTRY_RANGES_FILE", COUNTRY_RANGES_PATH)
                .withEnv("KC_HTTP_HOST", "0.0.0.0")
                .withExtraHost("host.docker.internal", "host-gateway")
                // The tests' webhook receiver runs on this machine: the operator allows it as an internal receiver.
                // localhost too: in development mode a receiver on the server's own machine may then be named.
                // The shipped demo realm's subscription (scripts/run.sh's receiver) is allowed too, so the realm
                // file imports as it does there; inside the container its name is the container itself, where
                // nothing listens: whatever it would send stays there.
                .withEnv(
                        "KC_SPI_EVENTS_LISTENER__ONBOARDING_GUARD__WEBHOOK_ALLOWED_HOSTS",
                        "host.docker.internal," + PROXIED_HOST + "," + DEMO_WEBHOOK_HOST + ",localhost")
                .withExtraHost(DEMO_WEBHOOK_HOST, "127.0.0.1")
                // Keycloak's outgoing-HTTP setting: a name nobody resolves, reached only through this proxy.
                .withEnv(
                        "KC_SPI_CONNECTIONS_HTTP_CLIENT__DEFAULT__PROXY_MAPPINGS",
                        ".*\\.via-proxy\\.test;http://host.docker.internal:" + PROXY_PORT)
                // Another name for the same machine, not allowed: alerts to it must be refused unsent.
                .withExtraHost("internal-siem.test", "host-gateway")
                // Keycloak's /metrics on the management port, where the extension's meters appear.
                .withEnabledMetrics()
                // Keycloak's SCIM API (preview), one of the ways HR systems create hires, off in realms until enabled;
                // transient users (preview), which identity providers use only when told not to store users.
                .withFeaturesEnabled("scim-api", "transient-users")
                .withStartupTimeout(Duration.ofMinutes(4));
    }

    private static File existingFile(String property) {
        File file = new File(requiredProperty(property));
        if (!file.isFile()) {
            throw new IllegalStateException(file + " is missing; run the tests with 'mvn verify'");
        }
        return file;
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "System property '" + name + "' is not set; failsafe sets it in providers/pom.xml");
        }
        return value;
    }
}

package io.github.onboardingguard.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

@DisplayName("realm-config/onboarding-demo-realm.json")
class DemoRealmConfigIT extends KeycloakIntegrationTest {

    private static final String DEMO_PASSWORD = "demo-password-2026";
    private static final String UI_PAGE = "org.keycloak.services.ui.extend.UiPageProvider";
    private static RealmResource realm;
    private static String realmName;

    @BeforeAll
    static void importRealm() {
        realm = TestRealms.importDemoRealm("demo");
        realmName = realm.toRepresentation().getRealm();
    }

    @Test
    @DisplayName("imports with the roles, group and clients a company onboarding remote engineers needs")
    void structure() {
        RealmRepresentation rep = realm.toRepresentation();
        assertThat(rep.isEnabled()).isTrue();
        assertThat(rep.isEventsEnabled()).isTrue();
        assertThat(rep.getEventsExpiration()).isPositive();
        assertThat(rep.isAdminEventsEnabled()).isTrue();
        // No theme of ours: the extension's pages and emails are theme resources of every theme.
        assertThat(rep.getLoginTheme()).isNull();
        assertThat(rep.getEmailTheme()).isNull();

        assertThat(realm.roles().list().stream().map(RoleRepresentation::getName))
                .contains("employee", "onboarding-probationary", "onboarding-verifier", "onboarding-auditor");
        assertThat(realm.groups().groups().stream().map(GroupRepresentation::getName))
                .contains("engineering");

        for (String clientId : List.of("hr-portal", "source-code")) {
            List<ClientRepresentation> found = realm.clients().findByClientId(clientId);
            assertThat(found).as(clientId).hasSize(1);
            assertThat(found.get(0).isPublicClient())
                    .as(clientId + " is confidential")
                    .isFalse();
        }
    }

    @Test
    @DisplayName(
            "given the shipped files in data/import, when Keycloak starts with --import-realm, then both realms load "
                    + "as they are, the demo realm's health check finds no unguarded door and its webhook subscription is there")
    void loadsWithKeycloaksImportAtStart() {
        // The shared test server starts with both files in /opt/keycloak/data/import and --import-realm.
        assertThat(KeycloakTestServer.admin()
                        .realm("onboarding-partner")
                        .toRepresentation()
                        .isEnabled())
                .isTrue();
        assertThat(KeycloakTestServer.admin().realm("onboarding-demo").users().search("verifier", true))
                .hasSize(1);
        Api.Reply health = Api.get(
                "/admin/realms/onboarding-demo/onboarding/health",
                KeycloakTestServer.admin().tokenManager().getAccessTokenString());
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json()).as(health.body()).containsEntry("healthy", true);
        // Alerts and case events go to a subscription (scripts/run.sh receives them), not to the policy.
        var shipped = KeycloakTestServer.admin().realm("onboarding-demo");
        assertThat(shipped.components().query(shipped.toRepresentation().getId(), UI_PAGE))
                .filteredOn(p -> "onboarding-webhook".equals(p.getProviderId()))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.getConfig().getFirst("webhookUrl"))
                            .isEqualTo("http://webhooks.demo.internal:8099/onboarding-webhooks");
                    assertThat(p.getConfig().get("webhookEvents")).containsExactly("*");
                });
    }

    @Test
    @DisplayName("answers OpenID discovery")
    void discovery() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(Tokens.realmUrl(realmName) + "/.well-known/openid-configuration"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"issuer\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iam-admin", "hiring-manager", "verifier", "auditor"})
    @DisplayName("lets each demo user sign in to the account console through the browser flow")
    void demoUsersLogInToAccountConsole(String username) {
        String accountConsole = KeycloakTestServer.baseUrl() + "/realms/" + realmName + "/account/";
        Tokens.TokenResponse tokens = Tokens.browserLogin(
                        realmName, "account-console", null, accountConsole, username, DEMO_PASSWORD)
                .tokensOrFail();
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.accessTokenClaims()).containsEntry("preferred_username", username);
    }

    @Test
    @DisplayName("binds the onboarding browser and direct-grant flows, which end with the gate")
    void flows() {
        RealmRepresentation rep = realm.toRepresentation();
        assertThat(rep.getBrowserFlow()).isEqualTo("onboarding browser");
        assertThat(rep.getDirectGrantFlow()).isEqualTo("onboarding direct grant");
        for (String flow : List.of("onboarding browser", "onboarding direct grant")) {
            var executions = realm.flows().getExecutions(flow);
            assertThat(executions.get(executions.size() - 1).getProviderId())
                    .as(flow)
                    .isEqualTo("onboarding-gate");
            assertThat(executions.get(executions.size() - 1).getRequirement()).isEqualTo("REQUIRED");
        }
        assertThat(rep.getEventsListeners()).contains("onboarding-guard");
    }

    @Test
    @DisplayName("puts the probation token filter on a default client scope and sets the onboarding policy")
    void scopeAndPolicy() {
        var scope = realm.clientScopes().findAll().stream()
                .filter(s -> s.getName().equals("onboarding"))
                .findFirst()
                .orElseThrow();
        assertThat(scope.getProtocolMappers())
                .anySatisfy(m -> assertThat(m.getProtocolMapper()).isEqualTo("onboarding-probation-token-filter"));
        assertThat(realm.getDefaultDefaultClientScopes())
                .anySatisfy(s -> assertThat(s.getName()).isEqualTo("onboarding"));
        var pages = realm.components().query(realm.toRepresentation().getId(), UI_PAGE);
        assertThat(pages)
                .filteredOn(p -> "onboarding-policy".equals(p.getProviderId()))
                .singleElement()
                .satisfies(p -> assertThat(p.getConfig().get("probationClients"))
                        .containsExactlyInAnyOrder("account-console", "hr-portal"));
    }

    @Test
    @DisplayName("enables the status page and passkey registration, binds passkeys, and has the console client")
    void verificationSetup() {
        var actions = realm.flows().getRequiredActions();
        assertThat(actions)
                .anySatisfy(a -> assertThat(a.getAlias())
                        .isEqualTo("onboarding-status")
                        .satisfies(alias -> assertThat(a.isEnabled()).isTrue()));
        assertThat(actions)
                .anySatisfy(a -> assertThat(a.getAlias())
                        .isEqualTo("webauthn-register-passwordless")
                        .satisfies(alias -> assertThat(a.isEnabled()).isTrue()));
        assertThat(actions)
                .as("Keycloak's defaults are kept")
                .extracting(a -> a.getAlias())
                .contains("UPDATE_PASSWORD", "CONFIGURE_TOTP", "VERIFY_EMAIL", "delete_credential");
        var console = realm.clients().findByClientId("onboarding-console").get(0);
        assertThat(console.isPublicClient()).isTrue();
        assertThat(console.isDirectAccessGrantsEnabled()).isFalse();
        assertThat(console.getAttributes()).containsEntry("pkce.code.challenge.method", "S256");
        var policy = realm.components()
                .query(realm.toRepresentation().getId(), "org.keycloak.services.ui.extend.UiPageProvider")
                .get(0);
        assertThat(policy.getConfig().getFirst("passkeyBinding")).isEqualTo("true");
    }

    @Test
    @DisplayName("gives the IAM admin the realm-admin role of realm-management")
    void iamAdminIsRealmAdmin() {
        String id = realm.users().searchByUsername("iam-admin", true).get(0).getId();
        String realmManagement =
                realm.clients().findByClientId("realm-management").get(0).getId();
        assertThat(realm.users().get(id).roles().clientLevel(realmManagement).listEffective().stream()
                        .map(RoleRepresentation::getName))
                .contains("realm-admin");
    }
}

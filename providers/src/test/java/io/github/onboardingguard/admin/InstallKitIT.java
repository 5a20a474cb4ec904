package io.github.onboardingguard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;

@DisplayName("Install kit tools/install-onboarding: an existing realm gets the onboarding pieces, and loses them again")
class InstallKitIT extends KeycloakIntegrationTest {

    private static final Path TOOL = Path.of(System.getProperty("basedir", "."), "..", "tools", "install-onboarding");
    private static final String PASSWORD = "Existing-user-2026";

    private record Run(int exitCode, String output) {}

    private static Run kit(String realm, String... options) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("python3", TOOL.toString(), "--server", KeycloakTestServer.baseUrl(), "--realm", realm));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment()
                .put("KEYCLOAK_ADMIN_USER", KeycloakTestServer.container().getAdminUsername());
        builder.environment()
                .put("KEYCLOAK_ADMIN_PASSWORD", KeycloakTestServer.container().getAdminPassword());
        Process process = builder.start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES))
                .as("install-onboarding finished")
                .isTrue();
        return new Run(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static int passwordLogin(String realm, String username) {
        return login(realm, username).status();
    }

    private static Tokens.TokenResponse login(String realm, String username) {
        return Tokens.passwordGrant(realm, "wiki", "wiki-secret", username, PASSWORD);
    }

    @Test
    @DisplayName(
            "given a company's realm with its own client and users, when the kit runs twice, then the health check "
                    + "finds no hole, the second run changes nothing, existing users sign in as before, and a new hire is held "
                    + "to the allow-list; when it uninstalls, then every user signs in through Keycloak's own flows again")
    void installTwiceThenUninstall() throws Exception {
        RealmResource realm = TestRealms.createEmpty("install-kit");
        String name = realm.toRepresentation().getRealm();
        TestRealms.createConfidentialClient(realm, "wiki", "wiki-secret");
        TestRealms.createUser(realm, "alice", PASSWORD);

        Run dryRun = kit(name, "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(dryRun.output()).contains("would create flow 'onboarding browser'", "nothing changed");
        assertThat(realm.toRepresentation().getBrowserFlow()).isEqualTo("browser");

        Run first = kit(name);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("health: no hole");
        Run second = kit(name);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("0 change(s)", "health: no hole");

        assertThat(passwordLogin(name, "alice"))
                .as("an existing user is not touched")
                .isEqualTo(200);
        String admin = KeycloakTestServer.admin().tokenManager().getAccessTokenString();
        Api.Reply hire = Api.post(
                "/admin/realms/" + name + "/onboarding/cases",
                admin,
                Api.toJson(Map.of(
                        "username",
                        "newbie",
                        "email",
                        "newbie@example.com",
                        "firstName",
                        "Nora",
                        "lastName",
                        "Newbie",
                        "sponsor",
                        "alice",
                        "invitation",
                        Map.of("send", false))));
        assertThat(hire.status()).as(hire.body()).isEqualTo(201);
        setPassword(realm, "newbie");
        Tokens.TokenResponse refused = login(name, "newbie");
        assertThat(refused.status())
                .as("the wiki is not on the hire's allow-list")
                .isEqualTo(400);
        assertThat((String) refused.body().get("error_description")).contains("identity verification");

        Run removed = kit(name, "--uninstall");
        assertThat(removed.exitCode()).as(removed.output()).isZero();
        assertThat(realm.toRepresentation().getBrowserFlow()).isEqualTo("browser");
        assertThat(realm.flows().getFlows()).noneMatch(flow -> flow.getAlias().startsWith("onboarding "));
        assertThat(realm.clientScopes().findAll())
                .noneMatch(scope -> scope.getName().equals("onboarding"));
        assertThat(realm.toRepresentation().getEventsListeners()).doesNotContain("onboarding-guard");
        assertThat(passwordLogin(name, "alice")).isEqualTo(200);
        Tokens.TokenResponse free = login(name, "newbie");
        assertThat(free.status())
                .as("nothing of the extension holds the hire any more: %s", free.body())
                .isEqualTo(200);
        assertThat(kit(name, "--uninstall").output()).contains("0 change(s)");
    }

    private static void setPassword(RealmResource realm, String username) {
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(PASSWORD);
        credential.setTemporary(false);
        var user = realm.users().searchByUsername(username, true).get(0);
        realm.users().get(user.getId()).resetPassword(credential);
        user.setEmailVerified(true);
        user.setRequiredActions(List.of());
        realm.users().get(user.getId()).update(user);
    }
}

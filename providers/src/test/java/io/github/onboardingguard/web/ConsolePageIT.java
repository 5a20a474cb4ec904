package io.github.onboardingguard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The onboarding console page at /realms/{realm}/onboarding/console")
class ConsolePageIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;

    @BeforeAll
    static void importRealm() {
        realm = DemoRealm.importFresh("console-page");
    }

    @Test
    @DisplayName("is served with a strict content security policy, and only its own files")
    void consolePage() {
        Api.Reply redirect = Api.get("/realms/" + realm.name + "/onboarding/console", null);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).endsWith("/realms/" + realm.name + "/onboarding/console/");
        Api.Reply page = Api.get("/realms/" + realm.name + "/onboarding/console/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("console.js");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(Api.get("/realms/" + realm.name + "/onboarding/console/..%2Fpom.xml", null)
                        .status())
                .isEqualTo(404);
        assertThat(Api.get("/realms/" + realm.name + "/onboarding/console/messages-de.json", null)
                        .body())
                .contains("Onboarding-Konsole");

        // Keycloak's own PatternFly 5, from the same origin (the policy allows 'self' only).
        java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                        "<link rel=\"stylesheet\" href=\"(/resources/[^\"]+/patternfly\\.min\\.css)\"")
                .matcher(page.body());
        assertThat(link.find()).as(page.body()).isTrue();
        Api.Reply patternfly = Api.get(link.group(1), null);
        assertThat(patternfly.status()).isEqualTo(200);
        assertThat(patternfly.body()).contains(".pf-v5-c-button");
    }
}

package io.github.onboardingguard.recovery;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Browser;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

@DisplayName("Helpdesk check in real browsers: the caller's page and the helpdesk console")
class HelpdeskBrowserIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName("given a caller who says they are a verified hire, when the helpdesk starts a check, the caller reads "
            + "out the code from their own page and the helpdesk confirms it, then the helpdesk sets a temporary "
            + "password that works; the console section passes the accessibility check")
    void helpdeskChecksTheCallerThenResets() {
        DemoRealm realm = DemoRealm.importFresh("helpdesk-browser");
        realm.updatePolicy(Map.of("passkeyBinding", "false"));
        String caseId = realm.hireInProbation("carla", Map.of("firstName", "Carla", "lastName", "Caller"));
        realm.verifyThroughCeremonies(caseId, "carla");
        String realmUrl = Tokens.realmUrl(realm.name);
        try (Browser helpdesk = new Browser("helpdesk", "en");
                Browser caller = new Browser("caller", "en")) {
            helpdesk.open(realmUrl + "/onboarding/console/");
            helpdesk.signIn("service-desk", PASSWORD);
            helpdesk.waitFor(By.id("helpdesk-title"));
            assertThat(helpdesk.accessibilityViolations("body").stream()
                            .filter(line -> line.contains("(serious)")
                                    || line.contains("(critical)")
                                    || line.startsWith("axe failed"))
                            .toList())
                    .isEmpty();
            helpdesk.type(By.id("helpdesk-user"), "carla");
            helpdesk.click(By.id("helpdesk-start"));
            helpdesk.waitForText(By.id("helpdesk-state"), "Waiting for");

            caller.open(realmUrl + "/account/");
            caller.signIn("carla", PASSWORD);
            assertThat(caller.waitFor(By.id("onboarding-next")).getText()).contains("helpdesk");
            String code = caller.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            caller.screenshot("1-helpdesk-code");

            helpdesk.waitForText(By.id("helpdesk-state"), "shows a code");
            helpdesk.type(By.id("helpdesk-code"), code);
            helpdesk.click(By.id("helpdesk-confirm"));
            helpdesk.waitForText(By.id("helpdesk-state"), "Check passed");
            assertThat(helpdesk.driver
                            .findElement(By.id("helpdesk-answer-form"))
                            .isDisplayed())
                    .as("the code form is gone once the check passed")
                    .isFalse();
            helpdesk.type(By.id("helpdesk-password"), "told-on-the-phone-2026");
            helpdesk.screenshot("1-check-passed");
            helpdesk.click(By.id("helpdesk-reset"));
            helpdesk.waitForText(By.id("helpdesk-result"), "temporary password is set");
        }
        assertThat(realm.getCase(caseId)).containsEntry("stage", "VERIFIED");
        // The temporary password signs in, and Keycloak asks for a new one; the old password no longer does.
        assertThat(HireBrowser.login(
                                realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "carla", "told-on-the-phone-2026", null)
                        .page())
                .contains("kc-passwd-update-form");
        assertThat(HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "carla", PASSWORD, null)
                        .page())
                .doesNotContain("kc-passwd-update-form")
                .contains("kc-login");
        assertThat(realm.auditEntries("subject=carla&type=recovery.helpdesk_reset"))
                .contains("helpdeskCheckId");
        assertThat(List.of(realm.auditEntries("subject=carla&type=helpdesk.check_passed")))
                .anySatisfy(entries -> assertThat(entries).contains("\"by\":\"code\""));
    }
}

package io.github.onboardingguard.audit;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.Browser;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

@DisplayName("Auditor view of the console in a real browser")
class AuditBrowserIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName(
            "the auditor filters entries, verifies the chain and opens a dossier; a tampered entry shows as a break")
    void auditorView() {
        DemoRealm realm = DemoRealm.importFresh("audit-browser");
        realm.hireInProbation("audrey-hire", Map.of("firstName", "Omar", "lastName", "Onboard"));

        try (Browser auditor = new Browser("auditor", "en")) {
            auditor.open(Tokens.realmUrl(realm.name) + "/onboarding/console/");
            auditor.signIn("auditor", PASSWORD);
            auditor.waitFor(By.cssSelector("#audit-entries tr[data-type='case.created']"));
            assertThat(auditor.driver.findElements(By.id("verifier")).get(0).isDisplayed())
                    .as("no verifier view")
                    .isFalse();

            auditor.type(By.id("audit-subject"), "audrey-hire");
            auditor.type(By.id("audit-type"), "case.*");
            auditor.click(By.id("audit-search"));
            auditor.waitFor(By.cssSelector("#audit-entries tr[data-type='case.stage_changed']"));
            auditor.waitUntil("[...document.querySelectorAll('#audit-entries tbody tr')]"
                    + ".every(row => row.dataset.type.startsWith('case.'))");

            auditor.click(By.id("verify-chain"));
            auditor.waitForText(By.id("chain-status"), "Chain intact");
            // People by username, not by id: the admin who opened the case; the extension's own steps by name.
            assertThat(auditor.waitFor(By.cssSelector("#audit-entries tr[data-type='case.created']"))
                            .getText())
                    .contains("iam-admin");
            auditor.click(By.id("audit-dossier"));
            auditor.waitFor(By.id("dossier-stages"));
            assertThat(auditor.waitFor(By.id("dossier-view")).getText()).contains("Omar Onboard", "Probation");
            assertThat(auditor.waitFor(By.id("dossier-stages")).getText())
                    .contains("iam-admin", "system:first-login")
                    .doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-");
            assertThat(auditor.waitFor(By.id("dossier-logins")).getText()).contains("LOGIN");
            auditor.screenshot("1-audit-trail");

            AuditTrailIT.append(realm, 3);
            long victim = ((Number) AuditTrailIT.verify(realm).get("lastSeq")).longValue() - 1;
            Api.post("/realms/" + realm.name + "/onboarding-test-hooks/audit/tamper/" + victim, null, null);
            auditor.click(By.id("verify-chain"));
            auditor.waitForText(By.id("chain-status"), "Chain broken at entry #" + victim);
            auditor.screenshot("2-chain-broken");
        }
    }
}

package io.github.onboardingguard.admin;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Browser;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

@DisplayName("Console: an admin with manage-users adopts a user and starts hires from a CSV file")
class StartHiresBrowserIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName("the admin adopts an employee on probation and uploads a file: one row starts, a formula is refused; "
            + "a verifier sees no such section")
    void adoptAndUpload() throws Exception {
        DemoRealm realm = DemoRealm.importFresh("start-browser");
        TestRealms.createUser(realm.resource, "console-employee", PASSWORD, "employee");
        Path file = Files.createTempFile("hires", ".csv");
        Files.writeString(
                file,
                "username,email,firstName,lastName,sponsor\n"
                        + "console-hire,console-hire@example.com,Cleo,Console,hiring-manager\n"
                        + "console-formula,,\"=1+1\",Formula,hiring-manager\n");
        String console = Tokens.realmUrl(realm.name) + "/onboarding/console/";

        try (Browser admin = new Browser("start-hires", "en")) {
            admin.open(console);
            admin.signIn("iam-admin", PASSWORD);
            admin.waitFor(By.id("starter-title"));

            admin.type(By.id("adopt-user"), "console-employee");
            admin.type(By.id("adopt-sponsor"), "hiring-manager");
            admin.driver.executeScript("document.getElementById('adopt-stage').value = 'PROBATION'");
            admin.click(By.id("adopt-submit"));
            admin.waitForText(By.id("adopt-status"), "console-employee is on onboarding, stage Probation.");

            admin.waitFor(By.id("bulk-file")).sendKeys(file.toAbsolutePath().toString());
            admin.click(By.id("bulk-submit"));
            admin.waitForText(By.id("bulk-summary"), "1 created, 0 adopted, 0 unchanged, 1 refused.");
            assertThat(admin.waitFor(By.cssSelector("#bulk-rows tr[data-result='refused']"))
                            .getText())
                    .contains("console-formula", "firstName", "formula");
            assertThat(admin.waitFor(By.cssSelector("#bulk-rows tr[data-result='created']"))
                            .getText())
                    .contains("console-hire");
            List<String> violations = admin.accessibilityViolations("#starter");
            assertThat(violations)
                    .filteredOn(line -> line.contains("(serious)") || line.contains("(critical)"))
                    .isEmpty();
            admin.screenshot("1-start-hires");
        } finally {
            Files.deleteIfExists(file);
        }
        assertThat(realm.resource.users().searchByUsername("console-hire", true))
                .hasSize(1);
        assertThat(realm.resource.users().searchByUsername("console-formula", true))
                .isEmpty();

        try (Browser verifier = new Browser("start-hires-verifier", "en")) {
            verifier.open(console);
            verifier.signIn("verifier", PASSWORD);
            verifier.waitFor(By.id("verifier-title"));
            assertThat(verifier.driver.findElement(By.id("starter")).isDisplayed())
                    .isFalse();
        }
    }
}

package io.github.onboardingguard.verification;

import io.github.onboardingguard.testsupport.Browser;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.Map;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Verification in real browsers: the hire's status page and the verifier console, passkey included")
class VerificationBrowserIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName("hire sees the code, verifier approves document and identity, hire's next token carries the deferred roles")
    void wholeCeremony() {
        DemoRealm realm = DemoRealm.importFresh("browser");
        String caseId = realm.hireInProbation("nora", Map.of("firstName", "Nora", "lastName", "Newhire",
                "grants", Map.of("realmRoles", List.of("employee"), "groups", List.of("/engineering"))));
        String realmUrl = Tokens.realmUrl(realm.name);

        try (Browser hire = new Browser("hire", "en"); Browser verifier = new Browser("verifier", "en")) {
            hire.addPasskeyAuthenticator();
            hire.open(realmUrl + "/account/");
            hire.signIn("nora", PASSWORD);
            hire.waitFor(By.id("onboarding-status"));
            assertThat(hire.waitFor(By.id("onboarding-stage")).getAttribute("data-stage")).isEqualTo("PROBATION");
            assertThat(hire.waitFor(By.id("onboarding-next")).getText()).contains("checks your ID document");
            hire.screenshot("1-status");

            verifier.open(realmUrl + "/onboarding/console/");
            verifier.signIn("verifier", PASSWORD);
            WebElement row = verifier.waitFor(By.cssSelector("tr[data-username='nora']"));
            assertThat(row.getText()).contains("Nora Newhire", "Probation", "ID document");
            verifier.screenshot("1-waiting-cases");
            verifier.click(By.cssSelector("tr[data-username='nora'] button.start-document"));
            verifier.waitForText(By.id("ceremony-state"), "Waiting for the hire's page");

            hire.click(By.id("onboarding-refresh"));
            String documentCode = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            assertThat(documentCode).matches("\\d{6}");
            assertThat(hire.driver.getPageSource()).contains("Victor Verifier");
            hire.screenshot("2-document-code");

            verifier.waitForText(By.id("ceremony-state"), "shows a code");
            verifier.type(By.id("code"), documentCode);
            verifier.type(By.id("givenName"), "Nora");
            verifier.type(By.id("familyName"), "Newhire");
            new Select(verifier.waitFor(By.id("documentType"))).selectByValue("PASSPORT");
            verifier.type(By.id("issuingCountry"), "de");
            verifier.driver.executeScript("document.getElementById('expiryDate').value = '2031-05-31'");
            verifier.type(By.id("numberLastChars"), "K4X9");
            verifier.click(By.id("documentGenuine"));
            verifier.click(By.id("photoMatches"));
            verifier.type(By.id("evidenceRef"), "HR-2026-0042");
            verifier.screenshot("2-document-checklist");
            verifier.click(By.id("approve"));
            verifier.waitForText(By.id("result"), "Approved");
            assertThat(realm.getCase(caseId)).containsEntry("stage", "DOCUMENT_VERIFIED");

            verifier.click(By.id("close-ceremony"));
            verifier.click(By.cssSelector("tr[data-username='nora'] button.start-identity"));
            verifier.waitForText(By.id("ceremony-state"), "register a passkey");

            hire.click(By.id("onboarding-refresh"));
            hire.waitFor(By.id("onboarding-passkey-first"));
            hire.screenshot("3-passkey-first");
            hire.click(By.id("onboarding-register-passkey"));
            hire.click(By.id("registerWebAuthn"));
            String identityCode = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            assertThat(identityCode).matches("\\d{6}").isNotEqualTo(documentCode);
            hire.screenshot("4-identity-code");

            verifier.waitForText(By.id("ceremony-state"), "shows a code");
            verifier.type(By.id("code"), identityCode);
            verifier.click(By.id("faceMatchesDocument"));
            verifier.click(By.id("nameMatchesHrRecord"));
            verifier.click(By.id("liveCamera"));
            verifier.type(By.id("evidenceRef"), "HR-2026-0042-video");
            verifier.screenshot("3-identity-checklist");
            verifier.click(By.id("approve"));
            verifier.waitForText(By.id("result"), "Verified");
            verifier.screenshot("4-approved");
        }

        Map<String, Object> verified = realm.getCase(caseId);
        assertThat(verified).containsEntry("stage", "VERIFIED");
        assertThat(verified.get("verifiedCredentialId")).asString().isNotBlank();
        Tokens.TokenResponse tokens = Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "nora", PASSWORD);
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(JsonFields.list(tokens.accessTokenClaims(), "realm_access.roles")).contains("employee")
                .doesNotContain("onboarding-probationary");
        assertThat(JsonFields.at(tokens.accessTokenClaims(), "onboarding.stage")).isEqualTo("VERIFIED");

        // That login used the password, not the passkey bound in the ceremony: a risk signal.
        assertThat(JsonFields.list(realm.getCase(caseId), "signals")).anySatisfy(signal -> {
            assertThat(JsonFields.at(signal, "rule")).isEqualTo("unbound_login");
            assertThat(JsonFields.at(signal, "evidence.verifiedCredentialId")).isEqualTo(verified.get("verifiedCredentialId"));
        });
    }
}

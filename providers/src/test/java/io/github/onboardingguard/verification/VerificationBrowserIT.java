package io.github.onboardingguard.verification;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.Browser;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.PartnerRealm;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

@DisplayName("Verification in real browsers: the hire's status page and the verifier console, passkey included")
class VerificationBrowserIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName(
            "hire sees the code, verifier approves document and identity, hire's next token carries the deferred roles")
    void wholeCeremony() {
        DemoRealm realm = DemoRealm.importFresh("browser");
        String caseId = realm.hireInProbation(
                "nora",
                Map.of(
                        "firstName",
                        "Nora",
                        "lastName",
                        "Newhire",
                        "grants",
                        Map.of("realmRoles", List.of("employee"), "groups", List.of("/engineering"))));
        try (Browser hire = new Browser("hire", "en")) {
            hire.addPasskeyAuthenticator();
            verifyThroughConsole(realm, caseId, "nora", "Nora", "Newhire", hire, "verifier");
        }

        Map<String, Object> verified = realm.getCase(caseId);
        assertThat(verified).containsEntry("stage", "VERIFIED");
        assertThat(verified.get("verifiedCredentialId")).asString().isNotBlank();
        Tokens.TokenResponse tokens =
                Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "nora", PASSWORD);
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(JsonFields.list(tokens.accessTokenClaims(), "realm_access.roles"))
                .contains("employee")
                .doesNotContain("onboarding-probationary");
        assertThat(JsonFields.at(tokens.accessTokenClaims(), "onboarding.stage"))
                .isEqualTo("VERIFIED");

        // That login used the password, not the passkey bound in the ceremony: a risk signal.
        assertThat(JsonFields.list(realm.getCase(caseId), "signals")).anySatisfy(signal -> {
            assertThat(JsonFields.at(signal, "rule")).isEqualTo("unbound_login");
            assertThat(JsonFields.at(signal, "evidence.verifiedCredentialId"))
                    .isEqualTo(verified.get("verifiedCredentialId"));
        });
    }

    @Test
    @DisplayName(
            "given a verified hire whose passkey was bound in the ceremony, when a second passkey is registered and "
                    + "signs in, or the hire signs in through the identity provider, then each is an unbound login; the bound passkey is not")
    void onlyTheBoundPasskeyCounts() {
        DemoRealm realm = DemoRealm.importFresh("browser-bound", VerificationBrowserIT::addPasskeyBrowserFlow);
        String caseId = realm.hireInProbation("bea", Map.of("firstName", "Bea", "lastName", "Bound"));
        // Linked during probation: an admin's link after verification would start a recovery.
        PartnerRealm partner = PartnerRealm.importFor(realm);
        partner.linkHire(realm, realm.userIdOf("bea"));
        try (Browser hire = new Browser("bound-hire", "en")) {
            VirtualAuthenticator device = hire.addPasskeyAuthenticator();
            verifyThroughConsole(realm, caseId, "bea", "Bea", "Bound", hire, "bound-verifier");
            hire.click(By.id("onboarding-continue"));
            hire.waitForAddress(Tokens.realmUrl(realm.name) + "/account");
            // That sign-in used the password and finished after the verification.
            assertThat(rules(realm, caseId, "unbound_login")).hasSize(1);
            Credential bound = device.getCredentials().get(0);
            useBrowserFlow(realm, PASSKEY_BROWSER_FLOW);

            // Someone with the hire's session adds a passkey of their own. The bound one is put aside first, as
            // if on another device: an authenticator that holds it refuses to register a second for the same user.
            device.removeCredential(bound.getId());
            hire.open(Tokens.authorizationUrl(
                    realm.name,
                    OPEN_CLIENT,
                    HireBrowser.CALLBACK,
                    Map.of("kc_action", "webauthn-register-passwordless")));
            hire.registerPasskey("Stand-in laptop");
            hire.waitForAddress(HireBrowser.CALLBACK);
            Credential second = device.getCredentials().get(0);
            assertThat(second.getId()).isNotEqualTo(bound.getId());
            assertThat(rules(realm, caseId, "credential_change"))
                    .anySatisfy(signal ->
                            assertThat(JsonFields.at(signal, "evidence.stage")).isEqualTo("VERIFIED"));

            signInWithPasskey(realm, hire);
            assertThat(rules(realm, caseId, "unbound_login")).hasSize(2).last().satisfies(signal -> {
                assertThat(JsonFields.at(signal, "evidence.passkeyId")).isEqualTo(base64Url(second.getId()));
                assertThat(JsonFields.at(signal, "evidence.reason")).isEqualTo("other_passkey");
            });

            device.removeCredential(second.getId());
            device.addCredential(bound);
            signInWithPasskey(realm, hire);
            assertThat(rules(realm, caseId, "unbound_login"))
                    .as("the bound passkey is the verified person's")
                    .hasSize(2);
        }

        useBrowserFlow(realm, "onboarding browser");
        HireBrowser viaPartner = HireBrowser.loginThroughIdentityProvider(
                realm.name,
                OPEN_CLIENT,
                HireBrowser.CALLBACK,
                PartnerRealm.ALIAS,
                PartnerRealm.HIRE_USERNAME,
                PASSWORD);
        assertThat(viaPartner.authorizationCode()).as(viaPartner.page()).isPresent();
        List<Object> unbound = rules(realm, caseId, "unbound_login");
        assertThat(JsonFields.at(unbound.get(0), "evidence.reason")).isEqualTo("not_a_passkey");
        assertThat(unbound).hasSize(3).last().satisfies(signal -> {
            assertThat(JsonFields.at(signal, "evidence.reason")).isEqualTo("not_a_passkey");
            assertThat(JsonFields.at(signal, "evidence.identityProvider")).isEqualTo(PartnerRealm.ALIAS);
            assertThat(JsonFields.object(signal, "evidence")).doesNotContainKey("passkeyId");
        });
    }

    @Test
    @DisplayName("given a verified hire whose password an admin reset, when they sign in with the new password, then "
            + "their page says they are in recovery and nothing opens; with the passkey bound at verification, the "
            + "recovery ends, the client opens, and the password set in recovery is gone")
    void boundPasskeyEndsRecovery() {
        DemoRealm realm = DemoRealm.importFresh("browser-recover", VerificationBrowserIT::addPasskeyBrowserFlow);
        String caseId = realm.hireInProbation("rita", Map.of("firstName", "Rita", "lastName", "Recover"));
        try (Browser hire = new Browser("recovering-hire", "en")) {
            hire.addPasskeyAuthenticator();
            verifyThroughConsole(realm, caseId, "rita", "Rita", "Recover", hire, "recovery-verifier");
            String newPassword = "helpdesk-set-2026";
            Api.Reply reset = Api.call(
                    "PUT",
                    "/admin/realms/" + realm.name + "/users/" + realm.userIdOf("rita") + "/reset-password",
                    realm.adminToken(),
                    Api.toJson(Map.of("type", "password", "value", newPassword, "temporary", false)));
            assertThat(reset.status()).as(reset.body()).isEqualTo(204);
            assertThat(realm.getCase(caseId)).containsEntry("stage", "RECOVERY");

            hire.clearCookies();
            hire.open(Tokens.authorizationUrl(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, Map.of()));
            hire.signIn("rita", newPassword);
            assertThat(hire.waitFor(By.id("onboarding-stage")).getAttribute("data-stage"))
                    .isEqualTo("RECOVERY");
            assertThat(hire.driver.findElements(By.id("onboarding-deadline"))).isEmpty();
            hire.screenshot("5-recovery-page");
            hire.click(By.id("onboarding-continue"));
            assertThat(hire.waitFor(By.id("onboarding-stage")).getAttribute("data-stage"))
                    .as("a sign-in in recovery does not finish")
                    .isEqualTo("RECOVERY");
            assertThat(hire.driver.getCurrentUrl()).doesNotStartWith(HireBrowser.CALLBACK);

            useBrowserFlow(realm, PASSKEY_BROWSER_FLOW);
            signInWithPasskey(realm, hire);
            assertThat(realm.getCase(caseId)).containsEntry("stage", "VERIFIED");
            // The password set while in recovery may be a stand-in's: the bound passkey proves the person, not it.
            assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "rita", newPassword)
                            .status())
                    .isIn(400, 401);
            useBrowserFlow(realm, "onboarding browser");
            assertThat(realm.auditEntries("subject=rita&type=recovery.credentials_removed"))
                    .contains("password");
        }
    }

    @Test
    @DisplayName("given a policy that binds only company-issued passkeys, when the hire registers one of a model "
            + "outside the list (a virtual authenticator reporting its model), then binding is refused with the model named; "
            + "with the model on the list it is bound")
    void onlyCompanyIssuedPasskeysBind() {
        DemoRealm realm = DemoRealm.importFresh("browser-models");
        RealmRepresentation attested = new RealmRepresentation();
        attested.setWebAuthnPolicyPasswordlessAttestationConveyancePreference("direct");
        realm.resource.update(attested);
        realm.updatePolicyList("passkeyModels", List.of("cb69481e-8ff7-4039-93ec-0a2729a154a8"));
        String caseId = realm.hireInProbation("kim", Map.of("firstName", "Kim", "lastName", "Key"));
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        String verifierToken = realm.consoleTokenOf("verifier");
        String ceremonyId = VerifierApi.id(VerifierApi.open(realm.name, verifierToken, caseId, "IDENTITY", "VIDEO"));
        try (Browser hire = new Browser("models", "en")) {
            hire.addPasskeyAuthenticator();
            hire.open(Tokens.realmUrl(realm.name) + "/account/");
            hire.signIn("kim", PASSWORD);
            hire.click(By.id("onboarding-register-passkey"));
            hire.registerPasskey("Own phone");
            String code = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");

            Api.Reply ceremony = Api.get(VerifierApi.base(realm.name) + "/ceremonies/" + ceremonyId, verifierToken);
            String model = (String)
                    JsonFields.at(JsonFields.list(ceremony.json(), "passkeys").get(0), "model");
            assertThat(model).isNotEqualTo("00000000-0000-0000-0000-000000000000");
            Api.Reply refused = VerifierApi.approve(realm.name, verifierToken, ceremonyId, "IDENTITY", code);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json()).containsEntry("error", "passkey_not_company_issued");
            assertThat((String) refused.json().get("message")).contains(model, "Own phone");
            assertThat(realm.getCase(caseId)).containsEntry("stage", "DOCUMENT_VERIFIED");

            // The company lists that authenticator model: the same passkey is bound.
            realm.updatePolicyList("passkeyModels", List.of(model));
            hire.clickToNextPage(By.id("onboarding-refresh"));
            String fresh = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            Api.Reply bound = VerifierApi.approve(realm.name, verifierToken, ceremonyId, "IDENTITY", fresh);
            assertThat(bound.status()).as(bound.body()).isEqualTo(200);
            assertThat(realm.getCase(caseId)).containsEntry("stage", "VERIFIED");
            assertThat(realm.getCase(caseId).get("verifiedCredentialId"))
                    .asString()
                    .isNotBlank();
        }
    }

    @Test
    @DisplayName("given a policy that binds only device-bound passkeys, when the hire registers a synced one (backup "
            + "eligible), then binding is refused; after they remove it and register one on a device-bound "
            + "authenticator, it is bound")
    void onlyDeviceBoundPasskeysBind() {
        DemoRealm realm = DemoRealm.importFresh("browser-device-bound");
        realm.updatePolicy(Map.of("passkeyDeviceBoundOnly", "true"));
        String caseId = realm.hireInProbation("dev", Map.of("firstName", "Dev", "lastName", "Bound"));
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        String verifierToken = realm.consoleTokenOf("verifier");
        String ceremonyId = VerifierApi.id(VerifierApi.open(realm.name, verifierToken, caseId, "IDENTITY", "VIDEO"));
        try (Browser hire = new Browser("device-bound", "en")) {
            String synced = hire.addSyncedPasskeyAuthenticator();
            hire.open(Tokens.realmUrl(realm.name) + "/account/");
            hire.signIn("dev", PASSWORD);
            hire.click(By.id("onboarding-register-passkey"));
            hire.registerPasskey("Phone password manager");
            String code = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            Api.Reply refused = VerifierApi.approve(realm.name, verifierToken, ceremonyId, "IDENTITY", code);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json()).containsEntry("error", "passkey_not_device_bound");
            assertThat(realm.auditEntries("subject=dev&type=ceremony.passkey_registered"))
                    .contains("\"backupEligible\":true");

            // The hire removes the synced passkey (here: an admin, as the helpdesk would) and uses the laptop's.
            String userId = realm.userIdOf("dev");
            realm.resource.users().get(userId).credentials().stream()
                    .filter(c -> "webauthn-passwordless".equals(c.getType()))
                    .forEach(c -> realm.resource.users().get(userId).removeCredential(c.getId()));
            hire.removeAuthenticator(synced);
            hire.addPasskeyAuthenticator();
            hire.clickToNextPage(By.id("onboarding-refresh"));
            hire.click(By.id("onboarding-register-passkey"));
            hire.registerPasskey("Work laptop");
            String fresh = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            Api.Reply bound = VerifierApi.approve(realm.name, verifierToken, ceremonyId, "IDENTITY", fresh);
            assertThat(bound.status()).as(bound.body()).isEqualTo(200);
            assertThat(realm.getCase(caseId)).containsEntry("stage", "VERIFIED");
        }
    }

    @Test
    @DisplayName(
            "given an identity ceremony where the hire registered a passkey and read out the code, when someone with the "
                    + "hire's session registers a second passkey before the verifier submits, then the code no longer counts, the "
                    + "change is signalled, and approval is refused while two passkeys wait; the verifier sees both")
    void secondPasskeyDuringCeremony() {
        DemoRealm realm = DemoRealm.importFresh("browser-two-passkeys");
        String caseId = realm.hireInProbation("tess", Map.of("firstName", "Tess", "lastName", "Twice"));
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        String verifierToken = realm.consoleTokenOf("verifier");
        String ceremonyId = VerifierApi.id(VerifierApi.open(realm.name, verifierToken, caseId, "IDENTITY", "VIDEO"));
        try (Browser hire = new Browser("two-passkeys", "en")) {
            VirtualAuthenticator device = hire.addPasskeyAuthenticator();
            hire.open(Tokens.realmUrl(realm.name) + "/account/");
            hire.signIn("tess", PASSWORD);
            hire.click(By.id("onboarding-register-passkey"));
            hire.registerPasskey("Work laptop");
            hire.waitFor(By.id("onboarding-code"));
            hire.click(By.id("onboarding-continue"));
            hire.waitForAddress(Tokens.realmUrl(realm.name) + "/account");

            // A stand-in who has the hire's password asks to add a passkey; the status page on the way shows the
            // code the verifier is then read, and the stand-in registers their own passkey behind it.
            device.removeCredential(device.getCredentials().get(0).getId());
            hire.open(Tokens.authorizationUrl(
                    realm.name,
                    OPEN_CLIENT,
                    HireBrowser.CALLBACK,
                    Map.of("kc_action", "webauthn-register-passwordless")));
            hire.waitUntil("!!(document.getElementById('username') || document.getElementById('onboarding-code'))");
            if (!hire.driver.findElements(By.id("username")).isEmpty()) {
                hire.signIn("tess", PASSWORD);
            }
            String code = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            hire.click(By.id("onboarding-continue"));
            hire.registerPasskey("Stand-in laptop");
            hire.waitForAddress(HireBrowser.CALLBACK);

            Api.Reply withReadOutCode = VerifierApi.approve(realm.name, verifierToken, ceremonyId, "IDENTITY", code);
            assertThat(withReadOutCode.status()).as(withReadOutCode.body()).isEqualTo(409);
            assertThat(withReadOutCode.json()).containsEntry("error", "code_expired");
            assertThat(realm.getCase(caseId)).containsEntry("stage", "DOCUMENT_VERIFIED");
            assertThat(rules(realm, caseId, "credential_change"))
                    .anySatisfy(signal -> assertThat(JsonFields.at(signal, "evidence.ceremonyCodeVoided"))
                            .isEqualTo(true));

            Api.Reply ceremony = Api.get(VerifierApi.base(realm.name) + "/ceremonies/" + ceremonyId, verifierToken);
            assertThat(JsonFields.list(ceremony.json(), "passkeys"))
                    .extracting(p -> JsonFields.at(p, "label"))
                    .containsExactly("Work laptop", "Stand-in laptop");

            hire.open(Tokens.realmUrl(realm.name) + "/account/");
            String fresh = hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            Api.Reply twoPasskeys = VerifierApi.approve(realm.name, verifierToken, ceremonyId, "IDENTITY", fresh);
            assertThat(twoPasskeys.status()).as(twoPasskeys.body()).isEqualTo(409);
            assertThat(twoPasskeys.json()).containsEntry("error", "passkey_ambiguous");
            assertThat((String) twoPasskeys.json().get("message")).contains("Work laptop", "Stand-in laptop");
        }
    }

    private static final String PASSKEY_BROWSER_FLOW = "passkey browser";

    /** A browser flow where the SSO cookie or a passkey (any of the user's, Keycloak does not choose) signs in, then the gate. */
    private static void addPasskeyBrowserFlow(RealmRepresentation realm) {
        AuthenticationFlowRepresentation identify = flow(
                PASSKEY_BROWSER_FLOW + " - identify",
                false,
                step("auth-cookie", "ALTERNATIVE", 10),
                step("webauthn-authenticator-passwordless", "ALTERNATIVE", 20));
        AuthenticationExecutionExportRepresentation identifyStep = new AuthenticationExecutionExportRepresentation();
        identifyStep.setAuthenticatorFlow(true);
        identifyStep.setFlowAlias(identify.getAlias());
        identifyStep.setRequirement("REQUIRED");
        identifyStep.setPriority(10);
        AuthenticationFlowRepresentation top =
                flow(PASSKEY_BROWSER_FLOW, true, identifyStep, step("onboarding-gate", "REQUIRED", 20));
        List<AuthenticationFlowRepresentation> flows = new ArrayList<>(realm.getAuthenticationFlows());
        flows.add(identify);
        flows.add(top);
        realm.setAuthenticationFlows(flows);
    }

    private static void useBrowserFlow(DemoRealm realm, String alias) {
        RealmRepresentation change = new RealmRepresentation();
        change.setBrowserFlow(alias);
        realm.resource.update(change);
    }

    private static AuthenticationFlowRepresentation flow(
            String alias, boolean topLevel, AuthenticationExecutionExportRepresentation... steps) {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias(alias);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(topLevel);
        flow.setBuiltIn(false);
        flow.setAuthenticationExecutions(List.of(steps));
        return flow;
    }

    private static AuthenticationExecutionExportRepresentation step(
            String authenticator, String requirement, int priority) {
        AuthenticationExecutionExportRepresentation step = new AuthenticationExecutionExportRepresentation();
        step.setAuthenticator(authenticator);
        step.setAuthenticatorFlow(false);
        step.setRequirement(requirement);
        step.setPriority(priority);
        return step;
    }

    /** A fresh login (no SSO cookie) at the HR portal, answered by whichever passkey the device holds. */
    private static void signInWithPasskey(DemoRealm realm, Browser browser) {
        browser.clearCookies();
        browser.open(Tokens.authorizationUrl(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, Map.of()));
        browser.click(By.id("authenticateWebAuthnButton"));
        browser.waitForAddress(HireBrowser.CALLBACK);
    }

    /** The case's signals of one rule, oldest first. */
    private static List<Object> rules(DemoRealm realm, String caseId, String rule) {
        return JsonFields.list(realm.getCase(caseId), "signals").stream()
                .filter(signal -> rule.equals(JsonFields.at(signal, "rule")))
                .toList();
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The whole ceremony as people do it: the hire signs in and reads out codes, the verifier works
     * through both checklists in the console; the hire registers a passkey in {@code hire}'s authenticator.
     */
    private static void verifyThroughConsole(
            DemoRealm realm,
            String caseId,
            String username,
            String givenName,
            String familyName,
            Browser hire,
            String verifierName) {
        String realmUrl = Tokens.realmUrl(realm.name);
        try (Browser verifier = new Browser(verifierName, "en")) {
            hire.open(realmUrl + "/account/");
            hire.signIn(username, PASSWORD);
            hire.waitFor(By.id("onboarding-status"));
            assertThat(hire.waitFor(By.id("onboarding-stage")).getAttribute("data-stage"))
                    .isEqualTo("PROBATION");
            assertThat(hire.waitFor(By.id("onboarding-next")).getText()).contains("checks your ID document");
            // One format with its zone on the hire's page and in the console (and the emails).
            String deadline = io.github.onboardingguard.testsupport.DisplayTime.of(
                    (String) realm.getCase(caseId).get("deadline"));
            assertThat(hire.waitFor(By.id("onboarding-deadline")).getText()).isEqualTo(deadline);
            hire.screenshot("1-status");

            verifier.open(realmUrl + "/onboarding/console/");
            verifier.signIn("verifier", PASSWORD);
            WebElement row = verifier.waitFor(By.cssSelector("tr[data-username='" + username + "']"));
            assertThat(row.getText()).contains(givenName + " " + familyName, "Probation", "ID document", deadline);
            verifier.screenshot("1-waiting-cases");
            verifier.click(By.cssSelector("tr[data-username='" + username + "'] button.start-document"));
            verifier.waitForText(By.id("ceremony-state"), "Waiting for the hire's page");

            hire.click(By.id("onboarding-refresh"));
            String documentCode =
                    hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
            assertThat(documentCode).matches("\\d{6}");
            assertThat(hire.driver.getPageSource()).contains("Victor Verifier");
            hire.screenshot("2-document-code");

            verifier.waitForText(By.id("ceremony-state"), "shows a code");
            verifier.type(By.id("code"), documentCode);
            verifier.type(By.id("givenName"), givenName);
            verifier.type(By.id("familyName"), familyName);
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
            verifier.click(By.cssSelector("tr[data-username='" + username + "'] button.start-identity"));
            verifier.waitForText(By.id("ceremony-state"), "register a passkey");

            hire.click(By.id("onboarding-refresh"));
            hire.waitFor(By.id("onboarding-passkey-first"));
            hire.screenshot("3-passkey-first");
            hire.click(By.id("onboarding-register-passkey"));
            hire.registerPasskey("Work laptop");
            String identityCode =
                    hire.waitFor(By.id("onboarding-code")).getText().replace(" ", "");
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
    }
}

package io.github.onboardingguard.verification;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.Browser;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

@DisplayName("Sponsor attestation: the hiring manager confirms the person in the identity ceremony")
class SponsorAttestationIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;

    @BeforeAll
    static void realmWithAttestation() {
        realm = DemoRealm.importFresh("sponsor-attest");
        realm.updatePolicy(Map.of("passkeyBinding", "false", "sponsorAttestation", "true"));
    }

    private static String base() {
        return "/realms/" + realm.name + "/onboarding/sponsor/ceremonies";
    }

    private record Ceremony(String caseId, String id, HireBrowser hire) {}

    private static Ceremony identityCeremony(String username) {
        String caseId = realm.hireInProbation(username, Map.of());
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        String id = VerifierApi.id(
                VerifierApi.open(realm.name, realm.consoleTokenOf("verifier"), caseId, "IDENTITY", "VIDEO"));
        HireBrowser hire = HireBrowser.login(realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, username, PASSWORD, null);
        return new Ceremony(caseId, id, hire);
    }

    private static Api.Reply approve(Ceremony ceremony) {
        String code = ceremony.hire()
                .press("refresh")
                .code()
                .orElseThrow(() -> new AssertionError(ceremony.hire().page()));
        return VerifierApi.approve(realm.name, realm.consoleTokenOf("verifier"), ceremony.id(), "IDENTITY", code);
    }

    @Test
    @DisplayName("given the policy, when the verifier approves before the sponsor confirmed, then it is refused; "
            + "nobody but the sponsor can confirm; after the sponsor's confirmation the approval stands")
    void approvalWaitsForTheSponsor() {
        Ceremony ceremony = identityCeremony("attested-hire");
        Api.Reply early = approve(ceremony);
        assertThat(early.status()).as(early.body()).isEqualTo(409);
        assertThat(early.json()).containsEntry("error", "sponsor_attestation_missing");

        String attest = base() + "/" + ceremony.id() + "/attest";
        assertThat(Api.post(attest, null, null).status()).isEqualTo(401);
        assertThat(Api.post(attest, realm.consoleTokenOf("verifier"), null).status())
                .as("the verifier is not the sponsor")
                .isEqualTo(404);
        assertThat(Api.post(attest, realm.tokenOf("hiring-manager"), null).json())
                .containsEntry("error", "console_token_required");
        realm.hireInProbation("unverified-sponsor-hire", Map.of());
        assertThat(Api.post(attest, realm.tokenOf("unverified-sponsor-hire"), null)
                        .status())
                .isEqualTo(403);
        assertThat(Api.post(base() + "/no-such-ceremony/attest", realm.consoleTokenOf("hiring-manager"), null)
                        .status())
                .isEqualTo(404);

        try (Browser sponsor = new Browser("sponsor", "en")) {
            sponsor.open(Tokens.realmUrl(realm.name) + "/onboarding/console/");
            sponsor.signIn("hiring-manager", PASSWORD);
            sponsor.waitFor(By.cssSelector("#sponsor-ceremonies tr[data-username='attested-hire']"));
            sponsor.screenshot("1-confirm-the-person");
            sponsor.click(By.cssSelector("#sponsor-ceremonies tr[data-username='attested-hire'] button.attest"));
            sponsor.waitForText(By.id("sponsor-status"), "You confirmed");
        }
        Api.Reply listed = Api.get(base(), realm.consoleTokenOf("hiring-manager"));
        assertThat(JsonFields.list(listed.json(), "items"))
                .anySatisfy(item -> assertThat(JsonFields.at(item, "sponsorAttestation.attestedAt"))
                        .isNotNull());

        Api.Reply approved = approve(ceremony);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(realm.getCase(ceremony.caseId())).containsEntry("stage", "VERIFIED");
        assertThat(realm.auditEntries("subject=attested-hire&type=ceremony.sponsor_attested"))
                .contains(realm.userIdOf("hiring-manager"));
    }

    @Test
    @DisplayName("given a confirmation in one ceremony, when the verifier opens a new one, then it needs its own")
    void confirmationIsBoundToTheCeremony() {
        Ceremony first = identityCeremony("rebooked-hire");
        assertThat(Api.post(base() + "/" + first.id() + "/attest", realm.consoleTokenOf("hiring-manager"), null)
                        .status())
                .isEqualTo(200);
        String second = VerifierApi.id(
                VerifierApi.open(realm.name, realm.consoleTokenOf("verifier"), first.caseId(), "IDENTITY", "VIDEO"));
        Api.Reply approved = approve(new Ceremony(first.caseId(), second, first.hire()));
        assertThat(approved.status()).as(approved.body()).isEqualTo(409);
        assertThat(approved.json()).containsEntry("error", "sponsor_attestation_missing");
        assertThat(Api.post(base() + "/" + first.id() + "/attest", realm.consoleTokenOf("hiring-manager"), null)
                        .status())
                .as("the cancelled ceremony takes no confirmation")
                .isEqualTo(409);
    }

    @Test
    @DisplayName("given an open identity ceremony, when an admin names another sponsor during the call, then the new "
            + "sponsor cannot confirm in it, and neither counts")
    void sponsorNamedDuringTheCallCannotConfirm() {
        Ceremony ceremony = identityCeremony("responsored-hire");
        Api.Reply changed = Api.call(
                "PATCH",
                realm.casesPath() + "/" + ceremony.caseId(),
                realm.adminToken(),
                Api.toJson(Map.of("sponsor", "service-desk")));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        Api.Reply attested =
                Api.post(base() + "/" + ceremony.id() + "/attest", realm.consoleTokenOf("service-desk"), null);
        assertThat(attested.status()).as(attested.body()).isEqualTo(404);
        Api.Reply approved = approve(ceremony);
        assertThat(approved.status()).as(approved.body()).isEqualTo(409);
        assertThat(approved.json()).containsEntry("error", "sponsor_attestation_missing");
    }
}

package io.github.onboardingguard.risk;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.PartnerRealm;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Contact changes that raise no Keycloak event of their own: an identity provider that overwrites the
 * profile at every login (sync mode FORCE), as an LDAP sync or an admin's script would.
 */
@DisplayName("Contact changes without an event are found at the next login")
class ContactSyncIT extends KeycloakIntegrationTest {

    @Test
    @DisplayName(
            "given a hire whose partner account has another email and a provider in FORCE sync mode, when the hire "
                    + "logs in through the partner, then the email is overwritten and contact_change names it")
    void forceSyncOverwritesEmail() {
        DemoRealm realm = DemoRealm.importFresh("contact-force-sync");
        String caseId = realm.hireInProbation("synced", Map.of());
        String userId = realm.userIdOf("synced");
        PartnerRealm partner = PartnerRealm.importFor(realm);
        partner.linkHire(realm, userId);
        var idp = realm.resource.identityProviders().get(PartnerRealm.ALIAS).toRepresentation();
        idp.getConfig().put("syncMode", "FORCE");
        // Trusted, so the overwritten address needs no verification and the login completes.
        idp.setTrustEmail(true);
        realm.resource.identityProviders().get(PartnerRealm.ALIAS).update(idp);

        HireBrowser.loginThroughIdentityProvider(
                        realm.name,
                        OPEN_CLIENT,
                        HireBrowser.CALLBACK,
                        PartnerRealm.ALIAS,
                        PartnerRealm.HIRE_USERNAME,
                        PASSWORD)
                .continuePastStatusPage();

        assertThat(realm.user(userId).getEmail())
                .as("the provider overwrote the email")
                .isNotEqualTo("synced@example.com");
        assertThat(JsonFields.list(realm.getCase(caseId), "signals"))
                .filteredOn(s -> "contact_change".equals(JsonFields.at(s, "rule")))
                .singleElement()
                .satisfies(signal -> assertThat(JsonFields.list(signal, "evidence.changedWithoutEvent"))
                        .contains("email"));
    }
}

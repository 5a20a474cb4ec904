package io.github.onboardingguard.probation;

import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.PartnerRealm;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Token paths Keycloak 26.6/26.7 added or changed: tokens without {@code sub} (lightweight access
 * tokens), the JWT authorization grant, implicit responses. Each path must find the user the way
 * Keycloak does and refuse a closed client to a hire on probation.
 */
@DisplayName("Every token path knows whose token it is")
class TokenAttributionIT extends KeycloakIntegrationTest {

    private static final String SOURCE_CODE_CALLBACK = "http://localhost:3001/callback";

    @Nested
    @DisplayName("lightweight access tokens (no sub)")
    class Lightweight {

        @Test
        @DisplayName("given an open client whose access tokens carry no sub, when the hire asks for a permission token "
                + "of the closed resource server with it, then 403 and the attempt is audited; staff still get theirs")
        void umaWithoutSubject() {
            DemoRealm realm = DemoRealm.importFresh("attr-uma");
            realm.createHireWithPassword("weightless", Map.of());
            realm.protectRepositoriesWithAuthorizationServices();
            realm.useLightweightAccessTokens(OPEN_CLIENT);

            Tokens.TokenResponse hrPortal =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "weightless", PASSWORD);
            assertThat(hrPortal.status()).isEqualTo(200);
            assertThat(hrPortal.accessTokenClaims())
                    .as("a lightweight token")
                    .doesNotContainKey("sub")
                    .containsKey("sid");

            Tokens.TokenResponse rpt = Tokens.umaTicket(realm.name, hrPortal.accessToken(), CLOSED_CLIENT);
            assertThat(rpt.status()).as(rpt.body().toString()).isEqualTo(403);
            assertThat(rpt.body()).containsEntry("error", "access_denied").doesNotContainKey("access_token");
            assertThat(realm.auditEntries("subject=weightless&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed", "PERMISSION_TOKEN");

            String staffToken = Tokens.passwordGrant(
                            realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "hiring-manager", PASSWORD)
                    .accessToken();
            Tokens.TokenResponse staff = Tokens.umaTicket(realm.name, staffToken, CLOSED_CLIENT);
            assertThat(staff.status()).as(staff.body().toString()).isEqualTo(200);
        }

        @Test
        @DisplayName(
                "given an open client whose access tokens carry no sub, when it exchanges the hire's token for the "
                        + "closed client, then invalid_grant and the attempt is audited")
        void exchangeWithoutSubject() {
            DemoRealm realm = DemoRealm.importFresh("attr-exchange");
            realm.createHireWithPassword("swapper", Map.of());
            realm.useLightweightAccessTokens(OPEN_CLIENT);
            realm.setClientAttributes(OPEN_CLIENT, Map.of("standard.token.exchange.enabled", "true"));

            String hrPortalToken = Tokens.passwordGrant(
                            realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "swapper", PASSWORD)
                    .accessToken();
            Tokens.TokenResponse exchanged = Tokens.exchangeForAudience(
                    realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, hrPortalToken, CLOSED_CLIENT);
            assertThat(exchanged.status()).as(exchanged.body().toString()).isEqualTo(400);
            assertThat(exchanged.body()).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
            assertThat(realm.auditEntries("subject=swapper&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed", "TOKEN_EXCHANGE_REQUEST");
        }
    }

    @Nested
    @DisplayName("the JWT authorization grant (RFC 7523)")
    class JwtAuthorizationGrant {

        @Test
        @DisplayName("given a closed client that takes the partner's tokens as assertions, when the hire's partner "
                + "account buys a token for it, then invalid_grant and the attempt is audited and signalled; "
                + "at an open client the grant is audited like a login; a partner user without a case gets theirs")
        void partnerAssertionForClosedClient() {
            DemoRealm realm = DemoRealm.importFresh("attr-jwt-grant");
            String caseId = realm.hireInProbation("asserted", Map.of());
            PartnerRealm partner = PartnerRealm.importFor(realm);
            partner.linkHire(realm, realm.userIdOf("asserted"));
            partner.enableJwtAuthorizationGrant(realm, CLOSED_CLIENT);
            partner.enableJwtAuthorizationGrant(realm, OPEN_CLIENT);

            Tokens.TokenResponse sourceCode = Tokens.jwtAuthorizationGrant(
                    realm.name,
                    CLOSED_CLIENT,
                    CLOSED_CLIENT_SECRET,
                    partner.accessTokenOf(PartnerRealm.HIRE_USERNAME, PASSWORD));
            assertThat(sourceCode.status()).as(sourceCode.body().toString()).isEqualTo(400);
            assertThat(sourceCode.body())
                    .containsEntry("error", "invalid_grant")
                    .doesNotContainKey("access_token");
            assertThat(realm.auditEntries("subject=asserted&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed", "JWT_AUTHORIZATION_GRANT");
            assertThat(JsonFields.list(realm.getCase(caseId), "signals"))
                    .extracting(s -> JsonFields.at(s, "rule"))
                    .contains("restricted_client");

            Tokens.TokenResponse hrPortal = Tokens.jwtAuthorizationGrant(
                    realm.name,
                    OPEN_CLIENT,
                    OPEN_CLIENT_SECRET,
                    partner.accessTokenOf(PartnerRealm.HIRE_USERNAME, PASSWORD));
            assertThat(hrPortal.status()).as(hrPortal.body().toString()).isEqualTo(200);
            assertThat(hrPortal.accessTokenClaims()).containsKey("onboarding");
            assertThat(realm.auditEntries("subject=asserted&type=login.JWT_AUTHORIZATION_GRANT"))
                    .contains(OPEN_CLIENT);

            // The setup works: staff whose partner account is linked get the closed client's token.
            partner.linkUser(realm, realm.userIdOf("hiring-manager"), "casey.contractor");
            Tokens.TokenResponse staffToken = Tokens.jwtAuthorizationGrant(
                    realm.name,
                    CLOSED_CLIENT,
                    CLOSED_CLIENT_SECRET,
                    partner.accessTokenOf("casey.contractor", PASSWORD));
            assertThat(staffToken.status()).as(staffToken.body().toString()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("implicit and hybrid responses")
    class Implicit {

        @Test
        @DisplayName(
                "given a closed client with the implicit flow and its own browser flow without the gate, when the hire "
                        + "signs in there, then the redirect carries no access token and the attempt is audited")
        void implicitThroughFlowOverride() {
            DemoRealm realm = DemoRealm.importFresh("attr-implicit");
            realm.createHireWithPassword("fragment", Map.of());
            realm.bindBrowserFlowWithoutGate(CLOSED_CLIENT);
            var sourceCode =
                    realm.resource.clients().findByClientId(CLOSED_CLIENT).get(0);
            sourceCode.setImplicitFlowEnabled(true);
            realm.resource.clients().get(sourceCode.getId()).update(sourceCode);

            HireBrowser browser = HireBrowser.loginWith(
                            realm.name,
                            CLOSED_CLIENT,
                            SOURCE_CODE_CALLBACK,
                            "fragment",
                            PASSWORD,
                            Map.of(
                                    "response_type",
                                    "token",
                                    "nonce",
                                    "implicit-nonce",
                                    "code_challenge",
                                    "",
                                    "code_challenge_method",
                                    ""))
                    .continuePastStatusPage();
            assertThat(browser.redirectedToClient()).as(browser.page()).isTrue();
            assertThat(browser.fragmentParameter("access_token"))
                    .as("access token in the fragment")
                    .isEmpty();
            assertThat(realm.auditEntries("subject=fragment&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed", "IMPLICIT_HYBRID_TOKEN_RESPONSE");
        }
    }
}

package io.github.onboardingguard.probation;

import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.CLOSED_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

@DisplayName("Probation enforced in login and tokens")
class ProbationEnforcementIT extends KeycloakIntegrationTest {

    private static DemoRealm realm;

    @BeforeAll
    static void importRealm() {
        realm = DemoRealm.importFresh("probation");
        // Make the demo clients accept the test redirect URI used by the browser login helper.
        for (String clientId : List.of(OPEN_CLIENT, CLOSED_CLIENT)) {
            var client = realm.resource.clients().findByClientId(clientId).get(0);
            client.setRedirectUris(List.of(Tokens.TEST_REDIRECT_URI));
            realm.resource.clients().get(client.getId()).update(client);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> realmRoles(Map<String, Object> claims) {
        Map<String, Object> access = (Map<String, Object>) claims.get("realm_access");
        return access == null ? List.of() : (List<String>) access.get("roles");
    }

    private static synchronized void ensureRole(String name) {
        if (realm.resource.roles().list().stream().noneMatch(r -> r.getName().equals(name))) {
            RoleRepresentation role = new RoleRepresentation();
            role.setName(name);
            realm.resource.roles().create(role);
        }
    }

    @Nested
    @DisplayName("at login")
    class AtLogin {

        @Test
        @DisplayName(
                "given a probationary hire, when they log in through the browser, then hr-portal opens and source-code shows the themed refusal")
        void browserGate() {
            realm.createHireWithPassword("browser-hire", Map.of());

            Tokens.BrowserLogin open =
                    Tokens.browserLogin(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "browser-hire", PASSWORD);
            assertThat(open.tokensOrFail().accessTokenClaims()).containsKey("onboarding");

            Tokens.BrowserLogin closed =
                    Tokens.browserLogin(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "browser-hire", PASSWORD);
            assertThat(closed.tokens()).isEmpty();
            assertThat(closed.lastStatus()).isEqualTo(403);
            assertThat(closed.lastPage())
                    .contains("id=\"onboarding-refused\"")
                    .contains("Source code hosting opens once your identity has been verified.");

            List<EventRepresentation> errors =
                    realm.resource.getEvents(List.of("LOGIN_ERROR"), CLOSED_CLIENT, null, null, null, null, 0, 10);
            assertThat(errors)
                    .as(errors.stream()
                            .map(e -> e.getError() + " " + e.getDetails())
                            .toList()
                            .toString())
                    .anySatisfy(e -> {
                        assertThat(e.getError()).isEqualTo("onboarding_client_not_allowed");
                        assertThat(e.getDetails()).containsEntry("onboarding_stage", "PROBATION");
                    });
        }

        @Test
        @DisplayName("the refusal page is translated into German")
        void refusalInGerman() {
            realm.createHireWithPassword("german-hire", Map.of());
            Tokens.BrowserLogin closed = Tokens.browserLogin(
                    realm.name,
                    CLOSED_CLIENT,
                    CLOSED_CLIENT_SECRET,
                    Tokens.TEST_REDIRECT_URI,
                    "german-hire",
                    PASSWORD,
                    "de");
            assertThat(closed.lastPage())
                    .contains("steht Ihnen zur Verf\u00fcgung, sobald Ihre Identit\u00e4t best\u00e4tigt ist");
        }

        @Test
        @DisplayName("direct grant: the hire gets an error for source-code; a user without a case is unaffected")
        void directGrantGate() {
            realm.createHireWithPassword("grant-hire", Map.of());
            assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "grant-hire", PASSWORD)
                            .status())
                    .isEqualTo(200);

            Tokens.TokenResponse refused =
                    Tokens.passwordGrant(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "grant-hire", PASSWORD);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_grant");
            assertThat((String) refused.body().get("error_description")).contains("identity verification");

            Tokens.TokenResponse staff =
                    Tokens.passwordGrant(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "hiring-manager", PASSWORD);
            assertThat(staff.status()).isEqualTo(200);
            assertThat(staff.accessTokenClaims()).doesNotContainKey("onboarding");
            assertThat(realmRoles(staff.accessTokenClaims())).contains("employee");
            assertThat(Tokens.browserLogin(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "hiring-manager", PASSWORD)
                            .tokensOrFail()
                            .status())
                    .isEqualTo(200);
        }

        @Test
        @DisplayName("a suspended hire cannot log in anywhere")
        void suspendedHire() {
            Map<String, Object> created = realm.createHireWithPassword("suspended-hire", Map.of());
            Tokens.TokenResponse before =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "suspended-hire", PASSWORD);
            Api.post(
                    realm.casesPath() + "/" + created.get("id") + "/suspend",
                    realm.adminToken(),
                    "{\"reason\":\"test\"}");
            assertThat(Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, before.refreshToken())
                            .status())
                    .as("a running session ends on suspension")
                    .isEqualTo(400);
            for (String[] client :
                    new String[][] {{OPEN_CLIENT, OPEN_CLIENT_SECRET}, {CLOSED_CLIENT, CLOSED_CLIENT_SECRET}}) {
                assertThat(Tokens.passwordGrant(realm.name, client[0], client[1], "suspended-hire", PASSWORD)
                                .status())
                        .isEqualTo(400);
            }
        }
    }

    @Nested
    @DisplayName("in tokens")
    class InTokens {

        @Test
        @DisplayName(
                "given roles granted by mistake, tokens and refreshed tokens still lack them; after promotion the deferred access appears")
        void tokenFilterAndPromotion() {
            DemoRealm realm = DemoRealm.importFresh("token-filter");
            RoleRepresentation adminRole = new RoleRepresentation();
            adminRole.setName("admin");
            realm.resource.roles().create(adminRole);
            // A role that reaches hires through a composite of an allow-listed role: there is no role
            // mapping to hold, so the token filter is what keeps it out (the health check names it).
            realm.resource
                    .roles()
                    .get("onboarding-probationary")
                    .addComposites(List.of(realm.resource.roles().get("admin").toRepresentation()));
            Map<String, Object> created = realm.createHireWithPassword(
                    "token-hire", Map.of("grants", Map.of("groups", List.of("/engineering"))));
            String caseId = (String) created.get("id");
            String userId = DemoRealm.userId(created);
            var user = realm.resource.users().get(userId);
            realm.grantRealmRole(userId, "employee");
            var engineering =
                    realm.resource.groups().groups("engineering", 0, 1).get(0);
            user.joinGroup(engineering.getId());
            // Granted by hand before verification: held on the case, not given.
            assertThat(user.roles().realmLevel().listAll())
                    .extracting(RoleRepresentation::getName)
                    .doesNotContain("employee");
            assertThat(user.groups()).isEmpty();
            assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held"))
                    .extracting(h -> JsonFields.at(h, "grant"))
                    .containsExactly("employee");

            Tokens.TokenResponse first =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "token-hire", PASSWORD);
            assertThat(first.status()).isEqualTo(200);
            Tokens.TokenResponse refreshed =
                    Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, first.refreshToken());
            assertThat(refreshed.status()).isEqualTo(200);
            for (Map<String, Object> claims :
                    List.of(first.accessTokenClaims(), refreshed.accessTokenClaims(), Tokens.decodeJwtPayload((String)
                            refreshed.body().get("id_token")))) {
                assertThat(realmRoles(claims)).doesNotContain("admin", "employee");
                assertThat(claims).containsKey("onboarding");
            }
            assertThat(realmRoles(refreshed.accessTokenClaims())).contains("onboarding-probationary");
            @SuppressWarnings("unchecked")
            Map<String, Object> onboarding =
                    (Map<String, Object>) refreshed.accessTokenClaims().get("onboarding");
            assertThat(onboarding)
                    .containsEntry("stage", "PROBATION")
                    .containsEntry("verification_level", "none")
                    .containsKey("deadline");

            Api.Reply userinfo =
                    Api.get("/realms/" + realm.name + "/protocol/openid-connect/userinfo", refreshed.accessToken());
            assertThat(userinfo.status()).isEqualTo(200);
            assertThat(userinfo.json()).containsKey("onboarding").doesNotContainKey("groups");

            // Promotion: document and identity approved through the service the ceremony uses.
            assertThat(realm.applyEvent(caseId, "DOCUMENT_APPROVED")).isEqualTo("DOCUMENT_VERIFIED");
            // The session lives on; its next token shows the new stage and is still filtered.
            Tokens.TokenResponse afterDocument =
                    Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, refreshed.refreshToken());
            assertThat(afterDocument.status()).isEqualTo(200);
            assertThat(JsonFields.object(afterDocument.accessTokenClaims(), "onboarding"))
                    .containsEntry("stage", "DOCUMENT_VERIFIED")
                    .containsEntry("verification_level", "document");
            assertThat(realmRoles(afterDocument.accessTokenClaims())).doesNotContain("employee");
            assertThat(realm.applyEvent(caseId, "IDENTITY_APPROVED")).isEqualTo("VERIFIED");

            assertThat(Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, afterDocument.refreshToken())
                            .status())
                    .as("sessions revoked on promotion")
                    .isEqualTo(400);
            Tokens.TokenResponse verified =
                    Tokens.passwordGrant(realm.name, CLOSED_CLIENT, CLOSED_CLIENT_SECRET, "token-hire", PASSWORD);
            assertThat(verified.status()).as(verified.body().toString()).isEqualTo(200);
            assertThat(realmRoles(verified.accessTokenClaims()))
                    .contains("employee")
                    .doesNotContain("onboarding-probationary", "admin");
            @SuppressWarnings("unchecked")
            Map<String, Object> verifiedClaim =
                    (Map<String, Object>) verified.accessTokenClaims().get("onboarding");
            assertThat(verifiedClaim)
                    .containsEntry("stage", "VERIFIED")
                    .containsEntry("verification_level", "verified");
            assertThat(user.groups().stream().map(g -> g.getPath()).toList()).containsExactly("/engineering");
        }

        @Test
        @DisplayName(
                "token exchange: refused into a closed client; into an open one, the exchanged token is filtered too")
        void tokenExchange() {
            Map<String, Object> created = realm.createHireWithPassword("exchange-hire", Map.of());
            var user = realm.resource.users().get(DemoRealm.userId(created));
            ensureRole("admin");
            user.roles()
                    .realmLevel()
                    .add(List.of(realm.resource.roles().get("admin").toRepresentation()));

            // A backend client allowed to exchange tokens whose audience includes it.
            var exchanger = new org.keycloak.representations.idm.ClientRepresentation();
            exchanger.setClientId("exchanger");
            exchanger.setSecret("exchanger-secret");
            exchanger.setPublicClient(false);
            exchanger.setStandardFlowEnabled(false);
            exchanger.setAttributes(Map.of("standard.token.exchange.enabled", "true"));
            realm.resource.clients().create(exchanger).close();
            var hrPortal = realm.resource.clients().findByClientId(OPEN_CLIENT).get(0);
            var audience = new org.keycloak.representations.idm.ProtocolMapperRepresentation();
            audience.setName("exchanger audience");
            audience.setProtocol("openid-connect");
            audience.setProtocolMapper("oidc-audience-mapper");
            audience.setConfig(Map.of("included.client.audience", "exchanger", "access.token.claim", "true"));
            realm.resource
                    .clients()
                    .get(hrPortal.getId())
                    .getProtocolMappers()
                    .createMapper(audience)
                    .close();

            Tokens.TokenResponse subject =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "exchange-hire", PASSWORD);
            assertThat(subject.status()).isEqualTo(200);
            Tokens.TokenResponse refused =
                    Tokens.exchange(realm.name, "exchanger", "exchanger-secret", subject.accessToken());
            assertThat(refused.status())
                    .as("exchange into a client probation does not open")
                    .isEqualTo(400);
            assertThat(refused.body()).containsEntry("error", "invalid_grant");

            realm.updatePolicy(Map.of("probationClients", "account-console##hr-portal##exchanger"));
            // A new subject token: the old one lost the closed client from its audience.
            subject = Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "exchange-hire", PASSWORD);
            Tokens.TokenResponse exchanged =
                    Tokens.exchange(realm.name, "exchanger", "exchanger-secret", subject.accessToken());
            assertThat(exchanged.status()).as(exchanged.body().toString()).isEqualTo(200);
            assertThat(exchanged.accessTokenClaims()).containsKey("onboarding");
            assertThat(realmRoles(exchanged.accessTokenClaims())).doesNotContain("admin");
        }
    }
}

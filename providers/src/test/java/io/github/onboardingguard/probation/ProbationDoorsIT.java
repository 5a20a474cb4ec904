package io.github.onboardingguard.probation;

import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT;
import static io.github.onboardingguard.testsupport.DemoRealm.OPEN_CLIENT_SECRET;
import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.PartnerRealm;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.TestSmtpServer;
import io.github.onboardingguard.testsupport.Tokens;
import io.github.onboardingguard.testsupport.VerifierApi;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The attacker this product exists for: a hired-in operator with a valid account in probation,
 * trying every door Keycloak has for more than the allow-list gives, and the admins around them.
 */
@DisplayName("Probation holds at every door")
class ProbationDoorsIT extends KeycloakIntegrationTest {

    private static final String SOURCE_CODE_CALLBACK = "http://localhost:3001/callback";

    /** The source-code tokens a login ended with, or null when it ended without a code. */
    private static Tokens.TokenResponse sourceCodeTokens(DemoRealm realm, HireBrowser browser) {
        return browser.authorizationCode().isPresent()
                ? browser.exchangeCode(realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET)
                : null;
    }

    @Nested
    @DisplayName("a privilege granted by hand is held on the case, not given")
    class HeldGrants {

        @Test
        @DisplayName("given realm-admin granted to a hire by mistake, when the hire uses an allowed client's token on "
                + "Keycloak's admin API and the onboarding admin API, then both refuse; the grant waits on the case")
        void handGrantedRealmAdmin() {
            DemoRealm realm = DemoRealm.importFresh("doors-held");
            String caseId = realm.hireInProbation("grabby", Map.of());
            String userId = DemoRealm.userId(realm.getCase(caseId));
            realm.grantClientRole(userId, "realm-management", "realm-admin");

            String token = realm.tokenOf("grabby");
            assertThat(Api.get("/admin/realms/" + realm.name + "/users", token).status())
                    .isEqualTo(403);
            Api.Reply planted = Api.post(
                    "/admin/realms/" + realm.name + "/users",
                    token,
                    Api.toJson(Map.of("username", "planted", "enabled", true)));
            assertThat(planted.status()).isEqualTo(403);
            assertThat(realm.resource.users().searchByUsername("planted", true)).isEmpty();
            String farDeadline = Instant.now()
                    .plus(80, ChronoUnit.DAYS)
                    .truncatedTo(ChronoUnit.SECONDS)
                    .toString();
            Api.Reply moved = Api.call(
                    "PATCH", realm.casesPath() + "/" + caseId, token, Api.toJson(Map.of("deadline", farDeadline)));
            assertThat(moved.status()).isEqualTo(403);
            assertThat(realm.getCase(caseId).get("deadline")).isNotEqualTo(farDeadline);

            // Keycloak's own view of the user, read from the database: the role is not there.
            assertThat(realm.effectiveClientRoles(userId, "realm-management"))
                    .doesNotContain("realm-admin", "manage-users", "view-users");
            Map<String, Object> onboardingCase = realm.getCase(caseId);
            assertThat(JsonFields.list(onboardingCase, "deferredGrants.held"))
                    .singleElement()
                    .satisfies(held -> {
                        assertThat(JsonFields.at(held, "grant")).isEqualTo("realm-management/realm-admin");
                        assertThat(JsonFields.at(held, "heldAt")).isNotNull();
                    });
            assertThat(JsonFields.list(onboardingCase, "signals"))
                    .extracting(s -> JsonFields.at(s, "rule"))
                    .contains("privileged_grant");
            assertThat(realm.auditEntries("subject=grabby&type=case.grant_held"))
                    .contains("realm-management/realm-admin");
        }

        @Test
        @DisplayName(
                "given a held grant, when the hire is verified, then it is applied once and Keycloak's admin API opens")
        void heldGrantAppliedAtVerification() {
            DemoRealm realm = DemoRealm.importFresh("doors-held-applied");
            String caseId = realm.hireInProbation("patient", Map.of());
            String userId = DemoRealm.userId(realm.getCase(caseId));
            realm.grantClientRole(userId, "realm-management", "view-users");
            realm.grantClientRole(userId, "realm-management", "view-users");
            assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held"))
                    .hasSize(1);

            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");

            assertThat(realm.effectiveClientRoles(userId, "realm-management")).contains("view-users");
            assertThat(Api.get("/admin/realms/" + realm.name + "/users", realm.tokenOf("patient"))
                            .status())
                    .isEqualTo(200);
            assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held"))
                    .singleElement()
                    .satisfies(
                            held -> assertThat(JsonFields.at(held, "appliedAt")).isNotNull());
        }

        @Test
        @DisplayName("given a hire added to a group by hand, then the membership is held until verification")
        void handJoinedGroup() {
            DemoRealm realm = DemoRealm.importFresh("doors-group");
            String caseId = realm.hireInProbation("joiner", Map.of());
            String userId = DemoRealm.userId(realm.getCase(caseId));
            String engineering =
                    realm.resource.groups().groups("engineering", 0, 1).get(0).getId();
            realm.resource.users().get(userId).joinGroup(engineering);

            assertThat(realm.resource.users().get(userId).groups()).isEmpty();
            assertThat(JsonFields.list(realm.getCase(caseId), "deferredGrants.held"))
                    .extracting(h -> JsonFields.at(h, "grant"))
                    .containsExactly("/engineering");
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");
            assertThat(realm.resource.users().get(userId).groups())
                    .extracting(g -> g.getPath())
                    .containsExactly("/engineering");
        }

        @Test
        @DisplayName("given a verified hire whose role security revoked, when the hire is re-verified, then the "
                + "revoked role stays revoked and what they still held comes back")
        void reverificationRestoresNoRevokedGrant() {
            DemoRealm realm = DemoRealm.importFresh("doors-reverify-grants");
            String caseId = realm.hireInProbation(
                    "revoked",
                    Map.of(
                            "grants",
                            Map.of(
                                    "realmRoles",
                                    List.of("employee"),
                                    "clientRoles",
                                    Map.of("realm-management", List.of("view-users")))));
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");
            String userId = realm.userIdOf("revoked");
            assertThat(realm.effectiveClientRoles(userId, "realm-management")).contains("view-users");
            // Security takes the privilege away after an incident, then sends the case back to verification.
            var realmManagement = realm.resource
                    .clients()
                    .findByClientId("realm-management")
                    .get(0)
                    .getId();
            realm.resource
                    .users()
                    .get(userId)
                    .roles()
                    .clientLevel(realmManagement)
                    .remove(List.of(realm.resource
                            .clients()
                            .get(realmManagement)
                            .roles()
                            .get("view-users")
                            .toRepresentation()));
            realm.applyEvent(caseId, "REVERIFY");
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");

            assertThat(realm.effectiveClientRoles(userId, "realm-management")).doesNotContain("view-users");
            assertThat(realm.resource.users().get(userId).roles().realmLevel().listAll())
                    .extracting(r -> r.getName())
                    .contains("employee")
                    .doesNotContain("onboarding-probationary");
        }

        @Test
        @DisplayName("a user without a case keeps what an admin grants")
        void userWithoutCaseUntouched() {
            DemoRealm realm = DemoRealm.importFresh("doors-no-case");
            String userId = realm.userIdOf("hiring-manager");
            realm.grantClientRole(userId, "realm-management", "view-users");
            assertThat(realm.effectiveClientRoles(userId, "realm-management")).contains("view-users");
            assertThat(Api.get("/admin/realms/" + realm.name + "/users", realm.tokenOf("hiring-manager"))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("token paths without the gate's flow")
    class TokenPaths {

        @Test
        @DisplayName("given a closed client with its own browser flow that lacks the gate, when the hire "
                + "logs in there, then no token is issued and the attempt is in the audit trail")
        void perClientFlowOverride() {
            DemoRealm realm = DemoRealm.importFresh("doors-override");
            String caseId = realm.hireInProbation("sidestep", Map.of());
            // A client-specific browser flow an admin made without the gate: just the password form.
            realm.bindBrowserFlowWithoutGate(DemoRealm.CLOSED_CLIENT);

            HireBrowser browser = HireBrowser.login(
                            realm.name, DemoRealm.CLOSED_CLIENT, SOURCE_CODE_CALLBACK, "sidestep", PASSWORD, null)
                    .continuePastStatusPage();
            Tokens.TokenResponse tokens = sourceCodeTokens(realm, browser);
            assertThat(tokens == null || tokens.status() == 400)
                    .as("no token for source-code: %s", tokens)
                    .isTrue();
            // The login itself got through the client's own flow: the backstop ends it and suspends the case.
            assertThat(JsonFields.list(realm.getCase(caseId), "signals"))
                    .extracting(s -> JsonFields.at(s, "rule"))
                    .contains("unguarded_login");
            assertThat(realm.getCase(caseId)).containsEntry("stage", "SUSPENDED");
            assertThat(realm.auditEntries("subject=sidestep&type=risk.signal")).contains("unguarded_login");
        }

        @Test
        @DisplayName("given a closed client that is a resource server granting to every realm user, when the hire asks "
                + "for its requesting party token with an open client's token, then 403 and the attempt is audited")
        void umaTicketForClosedResourceServer() {
            DemoRealm realm = DemoRealm.importFresh("doors-uma");
            realm.createHireWithPassword("requester", Map.of());
            // source-code protects its repositories with Authorization Services; the policy any member of staff meets.
            realm.protectRepositoriesWithAuthorizationServices();

            String hrPortalToken = Tokens.passwordGrant(
                            realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "requester", PASSWORD)
                    .accessToken();
            Tokens.TokenResponse rpt = Tokens.umaTicket(realm.name, hrPortalToken, DemoRealm.CLOSED_CLIENT);
            assertThat(rpt.status()).as(rpt.body().toString()).isEqualTo(403);
            assertThat(rpt.body()).containsEntry("error", "access_denied").doesNotContainKey("access_token");
            assertThat(realm.auditEntries("subject=requester&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed", "PERMISSION_TOKEN");

            // Staff without a case get their token as before.
            String employeeToken = Tokens.passwordGrant(
                            realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "hiring-manager", PASSWORD)
                    .accessToken();
            Tokens.TokenResponse staff = Tokens.umaTicket(realm.name, employeeToken, DemoRealm.CLOSED_CLIENT);
            assertThat(staff.status()).as(staff.body().toString()).isEqualTo(200);
            assertThat(JsonFields.list(staff.accessTokenClaims(), "authorization.permissions"))
                    .extracting(p -> JsonFields.at(p, "rsname"))
                    .contains("repositories");
        }

        @Test
        @DisplayName(
                "given a hire signed in to an open client, when the policy closes that client, then the next refresh is refused")
        void refreshAfterClientCloses() {
            DemoRealm realm = DemoRealm.importFresh("doors-refresh");
            realm.createHireWithPassword("refresher", Map.of());
            Tokens.TokenResponse first =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "refresher", PASSWORD);
            assertThat(first.status()).isEqualTo(200);
            realm.updatePolicy(Map.of("probationClients", "account-console"));

            Tokens.TokenResponse refreshed =
                    Tokens.refresh(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, first.refreshToken());
            assertThat(refreshed.status()).as(refreshed.body().toString()).isEqualTo(400);
            assertThat(refreshed.body()).containsEntry("error", "invalid_grant");
            assertThat(realm.auditEntries("subject=refresher&type=login.LOGIN_ERROR"))
                    .contains("TOKEN_REFRESH_RESPONSE");
        }
    }

    @Nested
    @DisplayName("forgot password")
    class ResetCredentials {

        @Test
        @DisplayName(
                "given a hire who starts at a closed client's login page, when they follow the emailed reset link, "
                        + "then the gate refuses before any token, and the attempt is audited")
        void resetCredentialsIntoClosedClient() throws Exception {
            try (TestSmtpServer smtp = new TestSmtpServer()) {
                DemoRealm realm = DemoRealm.importFresh("doors-reset").useMailServer(smtp);
                realm.hireInProbation("forgetful", Map.of());

                HireBrowser browser = HireBrowser.login(
                                realm.name, DemoRealm.CLOSED_CLIENT, SOURCE_CODE_CALLBACK, "nobody", "wrong", null)
                        .followLink("login-actions/reset-credentials");
                browser.submit("kc-reset-password-form", Map.of("username", "forgetful"));
                TestSmtpServer.Mail mail = smtp.awaitMail(
                        m -> m.to().toString().contains("forgetful@example.com"), Duration.ofSeconds(20));
                Matcher link = Pattern.compile("https?://\\S+/login-actions/action-token\\?key=[^\\s\"<]+")
                        .matcher(mail.text());
                assertThat(link.find()).as(mail.text()).isTrue();
                browser.open(link.group().replace("&amp;", "&"));
                // Keycloak's reset flow asks for the new password only after the flow: the gate at its end refuses
                // first.
                HireBrowser after = browser.onStatusPage() ? browser.continuePastStatusPage() : browser;
                Tokens.TokenResponse tokens = sourceCodeTokens(realm, after);
                assertThat(tokens)
                        .as("tokens for source-code through the reset flow")
                        .isNull();
                assertThat(after.page()).contains("id=\"onboarding-refused\"");
                assertThat(realm.auditEntries("subject=forgetful&type=login.LOGIN_ERROR"))
                        .contains("onboarding_client_not_allowed", "RESET_PASSWORD");
                // Nothing changed: the password still works where probation is open.
                assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "forgetful", PASSWORD)
                                .status())
                        .isEqualTo(200);
            }
        }
    }

    @Nested
    @DisplayName("identity provider logins")
    class IdentityProviders {

        @Test
        @DisplayName("given a hire whose partner agency account an admin linked, when they log in through the partner "
                + "to a closed client, then the post login flow's gate refuses")
        void brokerLoginIntoClosedClient() {
            DemoRealm realm = DemoRealm.importFresh("doors-broker");
            realm.hireInProbation("brokered", Map.of());
            PartnerRealm partner = PartnerRealm.importFor(realm);
            partner.linkHire(realm, realm.userIdOf("brokered"));

            HireBrowser browser = HireBrowser.loginThroughIdentityProvider(
                    realm.name,
                    DemoRealm.CLOSED_CLIENT,
                    SOURCE_CODE_CALLBACK,
                    PartnerRealm.ALIAS,
                    PartnerRealm.HIRE_USERNAME,
                    PASSWORD);
            assertThat(sourceCodeTokens(realm, browser))
                    .as("tokens for source-code through the identity provider")
                    .isNull();
            assertThat(browser.page()).contains("id=\"onboarding-refused\"");
            assertThat(realm.auditEntries("subject=brokered&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed");
        }

        @Test
        @DisplayName("given a hire on probation, when they link their partner account themselves and log in through it "
                + "to a closed client, then the link is a credential change and the login is refused")
        void accountLinkedByHire() {
            DemoRealm realm = DemoRealm.importFresh("doors-linking");
            String caseId = realm.hireInProbation("linker", Map.of());
            PartnerRealm.importFor(realm);

            // Signed in to the HR portal, the hire asks to link the partner account, as the account console does.
            HireBrowser browser = HireBrowser.login(
                            realm.name, OPEN_CLIENT, HireBrowser.CALLBACK, "linker", PASSWORD, null)
                    .continuePastStatusPage();
            assertThat(browser.authorizationCode()).isPresent();
            // The status page comes first, as on every login of a hire; then "Link your account?".
            browser.requestAction(realm.name, OPEN_CLIENT, "idp_link:" + PartnerRealm.ALIAS)
                    .continuePastStatusPage()
                    .submitFirstForm(Map.of("continue", ""))
                    .signIn(PartnerRealm.HIRE_USERNAME, PASSWORD)
                    .continuePastStatusPage();
            assertThat(browser.authorizationCode()).as(browser.page()).isPresent();
            assertThat(realm.resource.users().get(realm.userIdOf("linker")).getFederatedIdentity())
                    .extracting(l -> l.getIdentityProvider())
                    .containsExactly(PartnerRealm.ALIAS);
            assertThat(JsonFields.list(realm.getCase(caseId), "signals"))
                    .filteredOn(s -> "credential_change".equals(JsonFields.at(s, "rule")))
                    .extracting(s -> String.valueOf(JsonFields.at(s, "evidence")))
                    .anyMatch(e -> e.contains("FEDERATED_IDENTITY_LINK"));

            HireBrowser viaPartner = HireBrowser.loginThroughIdentityProvider(
                    realm.name,
                    DemoRealm.CLOSED_CLIENT,
                    SOURCE_CODE_CALLBACK,
                    PartnerRealm.ALIAS,
                    PartnerRealm.HIRE_USERNAME,
                    PASSWORD);
            assertThat(sourceCodeTokens(realm, viaPartner))
                    .as("tokens for source-code through the linked account")
                    .isNull();
            assertThat(viaPartner.page()).contains("id=\"onboarding-refused\"");
        }

        @Test
        @DisplayName(
                "given a partner account with a hire's email, when it logs in to a closed client for the first time "
                        + "and is linked to the hire, then the first broker login flow's gate refuses")
        void firstBrokerLoginMatchingHire() {
            DemoRealm realm = DemoRealm.importFresh("doors-first-broker");
            realm.hireInProbation("matched", Map.of("email", "noah@partner.example"));
            PartnerRealm.importFor(realm);

            HireBrowser browser = HireBrowser.loginThroughIdentityProvider(
                    realm.name,
                    DemoRealm.CLOSED_CLIENT,
                    SOURCE_CODE_CALLBACK,
                    PartnerRealm.ALIAS,
                    PartnerRealm.HIRE_USERNAME,
                    PASSWORD);
            // "Account already exists": link it, then prove to be the hire with their password.
            browser.submit("kc-register-form", Map.of("submitAction", "linkAccount"))
                    .submit("kc-form-login", Map.of("username", "matched", "password", PASSWORD))
                    .continuePastStatusPage();
            assertThat(sourceCodeTokens(realm, browser))
                    .as("tokens for source-code through first broker login")
                    .isNull();
            assertThat(browser.page()).contains("id=\"onboarding-refused\"");
            assertThat(realm.auditEntries("subject=matched&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed");
        }

        @Test
        @DisplayName(
                "a partner user with no account here gets one at first login, with no case, and their token for a closed client")
        void firstBrokerLoginOfStranger() throws Exception {
            try (TestSmtpServer smtp = new TestSmtpServer()) {
                DemoRealm realm =
                        DemoRealm.importFresh("doors-first-broker-stranger").useMailServer(smtp);
                // Shows admins the case marker, so "no case" below is seen, not assumed.
                realm.letAdminsEditAnyAttribute();
                PartnerRealm.importFor(realm);

                HireBrowser stranger = HireBrowser.loginThroughIdentityProvider(
                        realm.name,
                        DemoRealm.CLOSED_CLIENT,
                        SOURCE_CODE_CALLBACK,
                        PartnerRealm.ALIAS,
                        "casey.contractor",
                        PASSWORD);
                // The demo realm verifies email addresses it does not trust from the provider.
                TestSmtpServer.Mail mail = smtp.awaitMail(
                        m -> m.to().toString().contains("casey@partner.example"), Duration.ofSeconds(20));
                Matcher link = Pattern.compile("https?://\\S+/login-actions/action-token\\?key=[^\\s\"<]+")
                        .matcher(mail.text());
                assertThat(link.find()).as(mail.text()).isTrue();
                stranger.open(link.group().replace("&amp;", "&"));
                Tokens.TokenResponse tokens = sourceCodeTokens(realm, stranger);
                assertThat(tokens).as(stranger.page()).isNotNull();
                assertThat(tokens.status()).isEqualTo(200);
                assertThat(realm.resource.users().searchByUsername("casey.contractor", true))
                        .singleElement()
                        .satisfies(user -> assertThat(user.getAttributes() == null ? Map.of() : user.getAttributes())
                                .doesNotContainKey("onboarding-case"));
            }
        }
    }

    @Nested
    @DisplayName("SAML")
    class Saml {

        @Test
        @DisplayName("given a closed SAML client, when the hire signs in to it, then the gate refuses before any "
                + "assertion is issued; staff get their assertion")
        void samlLoginToClosedClient() {
            DemoRealm realm = DemoRealm.importFresh("doors-saml");
            realm.createHireWithPassword("assertive", Map.of());
            var wiki = new org.keycloak.representations.idm.ClientRepresentation();
            wiki.setClientId("legacy-wiki");
            wiki.setProtocol("saml");
            wiki.setRedirectUris(List.of("http://localhost:3002/*"));
            wiki.setAttributes(Map.of(
                    "saml_idp_initiated_sso_url_name",
                    "legacy-wiki",
                    "saml_assertion_consumer_url_post",
                    "http://localhost:3002/saml",
                    "saml.client.signature",
                    "false",
                    "saml.force.post.binding",
                    "true"));
            realm.resource.clients().create(wiki).close();
            String idpInitiated = Tokens.realmUrl(realm.name) + "/protocol/saml/clients/legacy-wiki";

            HireBrowser hire = HireBrowser.startAt(idpInitiated)
                    .signIn("assertive", PASSWORD)
                    .continuePastStatusPage();
            assertThat(hire.page()).contains("id=\"onboarding-refused\"").doesNotContain("SAMLResponse");
            assertThat(realm.auditEntries("subject=assertive&type=login.LOGIN_ERROR"))
                    .contains("onboarding_client_not_allowed", "legacy-wiki");

            HireBrowser staff = HireBrowser.startAt(idpInitiated).signIn("hiring-manager", PASSWORD);
            assertThat(staff.page()).contains("SAMLResponse");
        }
    }

    @Nested
    @DisplayName("claims under any name")
    class Claims {

        private void addMapper(
                DemoRealm realm, String clientUuid, String name, String type, Map<String, String> config) {
            var mapper = new org.keycloak.representations.idm.ProtocolMapperRepresentation();
            mapper.setName(name);
            mapper.setProtocol("openid-connect");
            mapper.setProtocolMapper(type);
            mapper.setConfig(config);
            realm.resource
                    .clients()
                    .get(clientUuid)
                    .getProtocolMappers()
                    .createMapper(mapper)
                    .close();
        }

        @Test
        @DisplayName("given role, group and audience mappers with names of the admin's choosing, then a hire's token "
                + "carries no role outside the allow-list, no group and no closed client as audience")
        void customClaimNames() {
            DemoRealm realm = DemoRealm.importFresh("doors-claims");
            // A role every hire reaches through the probationary role: no mapping to hold, the filter is the guard.
            realm.resource
                    .roles()
                    .get("onboarding-probationary")
                    .addComposites(
                            List.of(realm.resource.roles().get("employee").toRepresentation()));
            String hrPortal =
                    realm.resource.clients().findByClientId(OPEN_CLIENT).get(0).getId();
            addMapper(
                    realm,
                    hrPortal,
                    "flat roles",
                    "oidc-usermodel-realm-role-mapper",
                    Map.of(
                            "claim.name",
                            "roles",
                            "multivalued",
                            "true",
                            "access.token.claim",
                            "true",
                            "id.token.claim",
                            "true"));
            addMapper(
                    realm,
                    hrPortal,
                    "nested roles",
                    "oidc-usermodel-realm-role-mapper",
                    Map.of(
                            "claim.name",
                            "org.access.roles",
                            "multivalued",
                            "true",
                            "usermodel.realmRoleMapping.rolePrefix",
                            "kc-",
                            "access.token.claim",
                            "true"));
            addMapper(
                    realm,
                    hrPortal,
                    "one role",
                    "oidc-usermodel-realm-role-mapper",
                    Map.of("claim.name", "primary_role", "multivalued", "false", "access.token.claim", "true"));
            addMapper(
                    realm,
                    hrPortal,
                    "member of",
                    "oidc-group-membership-mapper",
                    Map.of("claim.name", "memberOf", "full.path", "true", "access.token.claim", "true"));
            addMapper(
                    realm,
                    hrPortal,
                    "source code audience",
                    "oidc-audience-mapper",
                    Map.of("included.client.audience", DemoRealm.CLOSED_CLIENT, "access.token.claim", "true"));
            realm.createHireWithPassword("claimant", Map.of());

            Tokens.TokenResponse tokens =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "claimant", PASSWORD);
            assertThat(tokens.status()).isEqualTo(200);
            Map<String, Object> claims = tokens.accessTokenClaims();
            assertThat(JsonFields.list(claims, "roles"))
                    .contains("onboarding-probationary")
                    .doesNotContain("employee");
            assertThat(JsonFields.list(claims, "org.access.roles"))
                    .contains("kc-onboarding-probationary")
                    .doesNotContain("kc-employee");
            assertThat(claims.get("primary_role")).isNotEqualTo("employee");
            assertThat(claims).doesNotContainKey("memberOf");
            Object audience = claims.get("aud");
            assertThat(audience instanceof List<?> list ? list : List.of(String.valueOf(audience)))
                    .doesNotContain(DemoRealm.CLOSED_CLIENT);
            Map<String, Object> idToken =
                    Tokens.decodeJwtPayload((String) tokens.body().get("id_token"));
            assertThat(JsonFields.list(idToken, "roles")).doesNotContain("employee");

            // A user without a case keeps every claim the mappers write.
            Map<String, Object> employee = Tokens.passwordGrant(
                            realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "hiring-manager", PASSWORD)
                    .accessTokenClaims();
            assertThat(JsonFields.list(employee, "roles")).contains("employee");
            assertThat(JsonFields.list(employee, "memberOf")).contains("/engineering");
        }
    }

    @Nested
    @DisplayName("logins in flight when access narrows")
    class InFlight {

        @Test
        @DisplayName(
                "given a verified hire whose login to a closed client waits on a required action, when the case is "
                        + "sent back to verification meanwhile, then that login gets no token")
        void reverifyRace() {
            DemoRealm realm = DemoRealm.importFresh("doors-race");
            String caseId = realm.hireInProbation("racer", Map.of());
            realm.applyEvent(caseId, "DOCUMENT_APPROVED");
            realm.applyEvent(caseId, "IDENTITY_APPROVED");
            String userId = realm.userIdOf("racer");
            var user = realm.user(userId);
            user.setRequiredActions(List.of("UPDATE_PASSWORD"));
            realm.resource.users().get(userId).update(user);

            // Verified: the gate lets this login to source-code through, then it waits on the password page.
            HireBrowser browser = HireBrowser.login(
                    realm.name, DemoRealm.CLOSED_CLIENT, SOURCE_CODE_CALLBACK, "racer", PASSWORD, null);
            assertThat(browser.page()).contains("kc-passwd-update-form");
            realm.applyEvent(caseId, "REVERIFY");
            browser.submit(
                            "kc-passwd-update-form",
                            Map.of(
                                    "password-new",
                                    "another-passphrase-2026",
                                    "password-confirm",
                                    "another-passphrase-2026"))
                    .continuePastStatusPage();

            Tokens.TokenResponse tokens = sourceCodeTokens(realm, browser);
            assertThat(tokens == null || tokens.status() == 400)
                    .as("source-code token after re-verification: %s", tokens)
                    .isTrue();
        }
    }

    @Nested
    @DisplayName("what marks a hire cannot be taken away")
    class Markers {

        @Test
        @DisplayName("given a pending hire, when an admin removes the probationary role or the case marker, then both "
                + "are put back, the attempt is audited and signalled")
        void probationaryRoleAndMarkerStay() {
            DemoRealm realm = DemoRealm.importFresh("doors-markers");
            // Admins may edit attributes outside the user profile here, so they can try to remove the marker.
            realm.letAdminsEditAnyAttribute();
            String caseId = realm.hireInProbation("unmarked", Map.of());
            String userId = realm.userIdOf("unmarked");
            var user = realm.resource.users().get(userId);
            user.roles()
                    .realmLevel()
                    .remove(List.of(realm.resource
                            .roles()
                            .get("onboarding-probationary")
                            .toRepresentation()));
            assertThat(user.roles().realmLevel().listAll())
                    .extracting(r -> r.getName())
                    .contains("onboarding-probationary");

            var rep = user.toRepresentation();
            assertThat(rep.getAttributes()).containsKey("onboarding-case");
            rep.setAttributes(Map.of());
            user.update(rep);
            assertThat(user.toRepresentation().getAttributes()).containsEntry("onboarding-case", List.of(caseId));

            // Still a hire to every check: a closed client stays closed.
            assertThat(Tokens.passwordGrant(
                                    realm.name,
                                    DemoRealm.CLOSED_CLIENT,
                                    DemoRealm.CLOSED_CLIENT_SECRET,
                                    "unmarked",
                                    PASSWORD)
                            .status())
                    .isEqualTo(400);
            assertThat(JsonFields.list(realm.getCase(caseId), "signals"))
                    .filteredOn(s -> "probation_tampering".equals(JsonFields.at(s, "rule")))
                    .extracting(s -> JsonFields.at(s, "evidence.removed"))
                    .contains("probationary role", "case marker attribute");
            String audit = realm.auditEntries("subject=unmarked&type=case.*");
            assertThat(audit).contains("case.probationary_role_restored", "case.marker_restored");
        }

        @Test
        @DisplayName("given a hire whose access was narrowed once (suspended, reinstated), when an admin removes the "
                + "narrowing time, then it is put back from the case's history, audited and signalled")
        void narrowingTimeStays() {
            DemoRealm realm = DemoRealm.importFresh("doors-narrowed");
            realm.letAdminsEditAnyAttribute();
            String caseId = realm.hireInProbation("narrowed", Map.of());
            realm.applyEvent(caseId, "SUSPEND");
            realm.applyEvent(caseId, "REINSTATE");
            var user = realm.resource.users().get(realm.userIdOf("narrowed"));
            String narrowedAt = user.toRepresentation()
                    .getAttributes()
                    .get("onboarding-narrowed-at")
                    .get(0);

            var rep = user.toRepresentation();
            rep.setAttributes(Map.of("onboarding-case", List.of(caseId)));
            user.update(rep);

            String restored = user.toRepresentation()
                    .getAttributes()
                    .get("onboarding-narrowed-at")
                    .get(0);
            assertThat(Long.parseLong(restored))
                    .as("restored from the suspension in the history")
                    .isBetween(Long.parseLong(narrowedAt) - 5_000, Long.parseLong(narrowedAt));
            assertThat(realm.auditEntries("subject=narrowed&type=case.narrowed_at_restored"))
                    .contains(caseId);
            assertThat(JsonFields.list(realm.getCase(caseId), "signals"))
                    .extracting(s -> JsonFields.at(s, "rule"))
                    .contains("probation_tampering");
        }
    }

    @Nested
    @DisplayName("deferred grants need the creating admin's own right to map them")
    class DeferredGrantPermissions {

        @Test
        @DisplayName(
                "given an admin with manage-users only, when they create a hire with deferred realm-admin, then 403 and nothing is written")
        void manageUsersCannotDeferRealmAdmin() {
            DemoRealm realm = DemoRealm.importFresh("doors-helpdesk");
            String helpdesk = TestRealms.createUser(realm.resource, "helpdesk", PASSWORD, "employee");
            realm.grantClientRole(helpdesk, "realm-management", "manage-users");

            Api.Reply reply = Api.post(
                    realm.casesPath(),
                    realm.tokenOf("helpdesk"),
                    Api.toJson(Map.of(
                            "username",
                            "smuggled",
                            "email",
                            "smuggled@example.com",
                            "sponsor",
                            "hiring-manager",
                            "invitation",
                            Map.of("send", false, "actions", List.of()),
                            "grants",
                            Map.of("clientRoles", Map.of("realm-management", List.of("realm-admin"))))));
            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
            assertThat(reply.json())
                    .containsEntry("error", "forbidden")
                    .containsEntry("field", "grants.clientRoles.realm-management[0]");
            assertThat(realm.resource.users().searchByUsername("smuggled", true))
                    .isEmpty();

            Api.Reply allowed = Api.post(
                    realm.casesPath(),
                    realm.tokenOf("helpdesk"),
                    Api.toJson(Map.of(
                            "username",
                            "ordinary",
                            "email",
                            "ordinary@example.com",
                            "sponsor",
                            "hiring-manager",
                            "invitation",
                            Map.of("send", false, "actions", List.of()))));
            assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
        }
    }

    @Nested
    @DisplayName("a policy that cannot be read fails closed")
    class BrokenPolicy {

        @Test
        @DisplayName("given a stored policy that no longer parses, then hires are refused and no verification is "
                + "recorded, instead of running on weaker defaults; verified hires and other users are not affected")
        void invalidPolicyFailsClosed() {
            DemoRealm realm = DemoRealm.importFresh("doors-broken-policy");
            String caseId = realm.hireInProbation("stranded", Map.of());
            String settled = realm.hireInProbation("settled", Map.of());
            realm.applyEvent(settled, "DOCUMENT_APPROVED");
            realm.applyEvent(settled, "IDENTITY_APPROVED");
            // What an older version's policy, a migration or a database edit can leave: the components API would refuse
            // it.
            Api.Reply raw = Api.post(
                    "/realms/" + realm.name + "/onboarding-test-hooks/policy/raw?name=probationDays&value=thirty",
                    null,
                    null);
            assertThat(raw.json()).containsEntry("changed", 1);
            realm.resource.clearRealmCache();

            Tokens.TokenResponse hire =
                    Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "stranded", PASSWORD);
            assertThat(hire.status()).as(hire.body().toString()).isEqualTo(400);
            assertThat(hire.body()).containsEntry("error", "invalid_grant");
            assertThat(realm.resource.getEvents(
                            List.of("LOGIN_ERROR"), null, realm.userIdOf("stranded"), null, null, null, 0, 10))
                    .extracting(e -> e.getError())
                    .contains("onboarding_policy_invalid");

            Api.Reply ceremony =
                    VerifierApi.open(realm.name, realm.consoleTokenOf("verifier"), caseId, "DOCUMENT", "VIDEO");
            assertThat(ceremony.status()).as(ceremony.body()).isEqualTo(409);
            assertThat(ceremony.json()).containsEntry("error", "policy_invalid");
            assertThat(Tokens.passwordGrant(realm.name, OPEN_CLIENT, OPEN_CLIENT_SECRET, "hiring-manager", PASSWORD)
                            .status())
                    .isEqualTo(200);
            // The policy governs probation; a verified hire's access is their own roles (Access).
            Tokens.TokenResponse verified = Tokens.passwordGrant(
                    realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, "settled", PASSWORD);
            assertThat(verified.status()).as(verified.body().toString()).isEqualTo(200);
        }
    }
}

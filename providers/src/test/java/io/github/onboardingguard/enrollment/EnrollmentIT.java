package io.github.onboardingguard.enrollment;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.HireBrowser;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.PartnerRealm;
import io.github.onboardingguard.testsupport.TestRealms;
import io.github.onboardingguard.testsupport.Tokens;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

@DisplayName("Enrollment rules: a user created by any path the policy names starts on probation")
class EnrollmentIT extends KeycloakIntegrationTest {

    private static final String SOURCE_CODE_CALLBACK = "http://localhost:3001/callback";

    /** Creates a user through the admin REST API, as the admin console and HR scripts do. */
    private static String createUser(
            DemoRealm realm, String username, List<String> groups, Map<String, List<String>> attributes) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@example.com");
        user.setFirstName("New");
        user.setLastName("Hire");
        user.setEnabled(true);
        user.setGroups(groups);
        user.setAttributes(attributes);
        try (Response created = realm.resource.users().create(user)) {
            assertThat(created.getStatus()).as(created.readEntity(String.class)).isEqualTo(201);
        }
        return realm.userIdOf(username);
    }

    /**
     * A copy of the demo realm whose user profile shows admins the case marker attribute, so a test can
     * see which users have a case.
     */
    private static DemoRealm realm(
            String prefix, java.util.function.Consumer<org.keycloak.representations.idm.RealmRepresentation> change) {
        DemoRealm realm = DemoRealm.importFresh(prefix, change);
        realm.letAdminsEditAnyAttribute();
        return realm;
    }

    private static DemoRealm realm(String prefix) {
        return realm(prefix, rep -> {});
    }

    private static String groupId(DemoRealm realm, String name) {
        return realm.resource.groups().groups(name, 0, 1).get(0).getId();
    }

    private static Map<String, List<String>> attributesOf(DemoRealm realm, String userId) {
        Map<String, List<String>> attributes = realm.user(userId).getAttributes();
        return attributes == null ? Map.of() : attributes;
    }

    private static List<String> groupsOf(DemoRealm realm, String userId) {
        return realm.resource.users().get(userId).groups().stream()
                .map(GroupRepresentation::getPath)
                .toList();
    }

    private static List<String> heldGrants(Map<String, Object> onboardingCase) {
        return JsonFields.list(onboardingCase, "deferredGrants.held").stream()
                .map(row -> (String) JsonFields.at(row, "grant"))
                .toList();
    }

    @Nested
    @DisplayName("admin console and admin REST API")
    class AdminPath {

        @Test
        @DisplayName("a user created into the rule's group gets a case, the probationary role, the sponsor HR named, "
                + "and every group held until verification; the trail names the path and the rule")
        void matchingUserIsEnrolled() {
            DemoRealm realm = realm("enroll-admin");
            String userId = createUser(
                    realm, "dana", List.of("/new-hires", "/engineering"), Map.of("manager", List.of("hiring-manager")));

            String caseId = realm.caseIdOfUser(userId).orElseThrow(() -> new AssertionError("no case for dana"));
            Map<String, Object> onboardingCase = realm.getCase(caseId);
            assertThat(onboardingCase).containsEntry("stage", "INVITED");
            assertThat(JsonFields.at(onboardingCase, "sponsor.username")).isEqualTo("hiring-manager");
            assertThat(heldGrants(onboardingCase)).containsExactlyInAnyOrder("/new-hires", "/engineering");
            assertThat(groupsOf(realm, userId)).isEmpty();
            assertThat(realm.resource.users().get(userId).roles().realmLevel().listEffective().stream()
                            .map(RoleRepresentation::getName))
                    .contains("onboarding-probationary")
                    .doesNotContain("employee");
            assertThat(realm.auditEntries("subject=dana&type=case.created"))
                    .contains("\"path\":\"admin\"", "\"rule\":\"admin group=/new-hires\"");
            probationUntilVerified(realm, userId, "dana", "/engineering");
        }

        @Test
        @DisplayName("a user the rule does not cover keeps what they were given and has no case")
        void otherUsersAreLeftAlone() {
            DemoRealm realm = realm("enroll-admin-other");
            String userId = createUser(realm, "erin", List.of("/engineering"), Map.of());
            assertThat(realm.caseIdOfUser(userId)).isEmpty();
            assertThat(groupsOf(realm, userId)).containsExactly("/engineering");

            // Once the account has logged in, joining the rule's group is not part of its creation any more.
            realm.setPassword(userId);
            realm.tokenOf("erin");
            realm.resource.users().get(userId).joinGroup(groupId(realm, "new-hires"));
            assertThat(realm.caseIdOfUser(userId)).isEmpty();
            assertThat(attributesOf(realm, userId)).doesNotContainKey("onboarding-enrollment-pending");
        }

        @Test
        @DisplayName("a user put into the rule's group after creation but before their first login (the console's "
                + "groups tab) is enrolled then")
        void groupGivenAfterCreation() {
            DemoRealm realm = realm("enroll-admin-later");
            String userId = createUser(realm, "fritz", List.of(), Map.of());
            assertThat(realm.caseIdOfUser(userId)).isEmpty();
            realm.resource.users().get(userId).joinGroup(groupId(realm, "new-hires"));
            assertThat(realm.caseIdOfUser(userId)).isPresent();
            assertThat(groupsOf(realm, userId)).isEmpty();
        }

        @Test
        @DisplayName("attack: an admin who may edit attributes plants the pending-enrollment marker on an existing "
                + "user; joining the rule's group then puts nobody on probation, and the marker is removed")
        void plantedMarkerIsIgnored() {
            DemoRealm realm = realm("enroll-planted");
            PartnerRealm.importFor(realm);
            String victim = createUser(realm, "victim", List.of("/engineering"), Map.of());
            realm.setPassword(victim);
            realm.tokenOf("victim");
            realm.updatePolicyList("enrollmentExempt", List.of());
            realm.updatePolicyList("enrollmentRules", List.of("identity-provider:partner group=/new-hires"));
            UserRepresentation planted = realm.user(victim);
            // The value an unsigned marker would have had: the provider's alias.
            planted.setAttributes(new java.util.HashMap<>(attributesOf(realm, victim)));
            planted.getAttributes().put("onboarding-enrollment-pending", List.of(PartnerRealm.ALIAS));
            realm.resource.users().get(victim).update(planted);

            realm.resource.users().get(victim).joinGroup(groupId(realm, "new-hires"));
            assertThat(realm.caseIdOfUser(victim)).isEmpty();
            assertThat(groupsOf(realm, victim)).contains("/engineering", "/new-hires");
            assertThat(attributesOf(realm, victim)).doesNotContainKey("onboarding-enrollment-pending");
        }

        @Test
        @DisplayName("attack: another CREATE below an existing user (a federated identity) whose last segment names a "
                + "privileged user in the rule's group does not put that user on probation")
        void createBelowAUserIsNoCreation() {
            DemoRealm realm = realm("enroll-not-created");
            String victim = createUser(realm, "victim-admin", List.of("/engineering"), Map.of());
            realm.updatePolicyList("enrollmentRules", List.of("admin group=/engineering"));
            String other = createUser(realm, "someone", List.of(), Map.of());

            Api.Reply linked = Api.post(
                    "/admin/realms/" + realm.name + "/users/" + other + "/federated-identity/" + victim,
                    realm.adminToken(),
                    Api.toJson(Map.of("identityProvider", victim, "userId", "x-1", "userName", "x-1")));
            assertThat(linked.status()).as(linked.body()).isLessThan(500);

            assertThat(realm.caseIdOfUser(victim)).isEmpty();
            assertThat(groupsOf(realm, victim)).containsExactly("/engineering");
        }

        @Test
        @DisplayName("users a partial import creates are enrolled like any other the admin API creates")
        void partialImportIsEnrolled() {
            DemoRealm realm = realm("enroll-partial-import");
            Api.Reply imported = Api.post(
                    "/admin/realms/" + realm.name + "/partialImport",
                    realm.adminToken(),
                    Api.toJson(Map.of(
                            "ifResourceExists",
                            "FAIL",
                            "users",
                            List.of(Map.of(
                                    "username", "pia",
                                    "email", "pia@example.com",
                                    "firstName", "Pia",
                                    "lastName", "Import",
                                    "enabled", true,
                                    "groups", List.of("/new-hires", "/engineering"))))));
            assertThat(imported.status()).as(imported.body()).isEqualTo(200);
            String userId = realm.userIdOf("pia");
            assertThat(realm.caseIdOfUser(userId)).isPresent();
            assertThat(groupsOf(realm, userId)).isEmpty();
            assertThat(realm.auditEntries("subject=pia&type=case.created")).contains("\"path\":\"admin\"");
        }

        @Test
        @DisplayName("users that existed before a rule was saved are never touched by it")
        void existingUsersAreNeverTouched() {
            DemoRealm realm = realm("enroll-existing");
            realm.updatePolicyList("enrollmentRules", List.of());
            String before = createUser(realm, "before", List.of("/new-hires"), Map.of());
            realm.updatePolicyList("enrollmentRules", List.of("admin"));
            String after = createUser(realm, "after", List.of(), Map.of());

            assertThat(realm.caseIdOfUser(before)).isEmpty();
            assertThat(groupsOf(realm, before)).containsExactly("/new-hires");
            assertThat(realm.caseIdOfUser(after)).isPresent();
        }

        @Test
        @DisplayName("roles the account is created with (the realm's default roles giving more than probation "
                + "allows) are held like later grants")
        void provisionedRolesAreHeld() {
            DemoRealm realm = realm("enroll-defaults");
            RoleRepresentation employee = realm.resource.roles().get("employee").toRepresentation();
            String defaultRole = "default-roles-" + realm.name;
            realm.resource.roles().get(defaultRole).addComposites(List.of(employee));

            String userId = createUser(realm, "gina", List.of("/new-hires"), Map.of());

            Map<String, Object> onboardingCase =
                    realm.getCase(realm.caseIdOfUser(userId).orElseThrow());
            assertThat(heldGrants(onboardingCase)).contains(defaultRole);
            assertThat(realm.resource.users().get(userId).roles().realmLevel().listEffective().stream()
                            .map(RoleRepresentation::getName))
                    .contains("onboarding-probationary")
                    .doesNotContain("employee", defaultRole);
        }

        @Test
        @DisplayName("a rule naming a group, identity provider, federation or organization the realm does not have is "
                + "refused "
                + "with 400, naming the rule")
        void unknownTargetsAreRefused() {
            DemoRealm realm = realm("enroll-refused");
            for (String rule : List.of(
                    "admin group=/no-such-group",
                    "identity-provider:no-such-idp",
                    "federation:no-ldap",
                    "admin organization=no-such-org")) {
                BadRequestException refused = catchThrowableOfType(
                        () -> realm.updatePolicyList("enrollmentRules", List.of(rule)), BadRequestException.class);
                assertThat(refused).as(rule).isNotNull();
                assertThat(refused.getResponse().readEntity(String.class)).contains(rule);
            }
            BadRequestException malformed = catchThrowableOfType(
                    () -> realm.updatePolicyList("enrollmentRules", List.of("admin role=admin")),
                    BadRequestException.class);
            assertThat(malformed.getResponse().readEntity(String.class)).contains("unknown condition 'role'");
        }
    }

    @Nested
    @DisplayName("Organizations: a rule on membership, which comes after the account's creation")
    class Organizations {

        @Test
        @DisplayName(
                "a user an admin creates and then adds to the rule's organization gets a case with what they held; "
                        + "one never added, and an existing user added later, do not")
        void memberOfTheOrganization() {
            DemoRealm realm = realm("enroll-org", rep -> rep.setOrganizationsEnabled(true));
            var acme = new org.keycloak.representations.idm.OrganizationRepresentation();
            acme.setName("Acme");
            acme.setAlias("acme");
            acme.addDomain(new org.keycloak.representations.idm.OrganizationDomainRepresentation("acme.example"));
            String organization;
            try (Response created = realm.resource.organizations().create(acme)) {
                assertThat(created.getStatus())
                        .as(created.readEntity(String.class))
                        .isEqualTo(201);
                String path = created.getLocation().getPath();
                organization = path.substring(path.lastIndexOf('/') + 1);
            }
            // Without any rule (the demo realm's own admin rule would leave it pending): an existing user.
            realm.updatePolicyList("enrollmentRules", List.of());
            String existing = TestRealms.createUser(realm.resource, "org-existing", PASSWORD, "employee");
            realm.updatePolicyList("enrollmentRules", List.of("admin organization=acme"));
            String member = TestRealms.createUser(realm.resource, "org-member", PASSWORD, "employee");
            String outsider = TestRealms.createUser(realm.resource, "org-outsider", PASSWORD, "employee");
            assertThat(realm.caseIdOfUser(member)).as("not a member yet").isEmpty();

            for (String userId : List.of(member, existing)) {
                try (Response added = realm.resource
                        .organizations()
                        .get(organization)
                        .members()
                        .addMember(userId)) {
                    assertThat(added.getStatus()).isEqualTo(201);
                }
            }

            assertThat(realm.caseIdOfUser(member)).isPresent();
            assertThat(realm.auditEntries("subject=org-member&type=case.created"))
                    .contains("\"rule\":\"admin organization=acme\"");
            assertThat(realm.resource.users().get(member).roles().realmLevel().listEffective().stream()
                            .map(org.keycloak.representations.idm.RoleRepresentation::getName))
                    .contains("onboarding-probationary")
                    .doesNotContain("employee");
            assertThat(realm.caseIdOfUser(outsider)).isEmpty();
            assertThat(realm.caseIdOfUser(existing))
                    .as("existed before the rule")
                    .isEmpty();

            // An organization group the hire joins during probation is held like any group.
            var groups = realm.resource.organizations().get(organization).groups();
            var engineering = new org.keycloak.representations.idm.GroupRepresentation();
            engineering.setName("acme-engineering");
            String groupId;
            try (Response created = groups.addTopLevelGroup(engineering)) {
                assertThat(created.getStatus())
                        .as(created.readEntity(String.class))
                        .isEqualTo(201);
                String path = created.getLocation().getPath();
                groupId = path.substring(path.lastIndexOf('/') + 1);
            }
            Api.Reply joined = Api.call(
                    "PUT",
                    "/admin/realms/" + realm.name + "/organizations/" + organization + "/groups/" + groupId
                            + "/members/" + member,
                    realm.adminToken(),
                    null);
            assertThat(joined.status()).as(joined.body()).isEqualTo(204);
            assertThat(groups.group(groupId).getMembers(0, 10, true)).isEmpty();
            Map<String, Object> hireCase = Api.get(
                            realm.casesPath() + "/" + realm.caseIdOfUser(member).orElseThrow(), realm.adminToken())
                    .json();
            assertThat(JsonFields.list(hireCase, "deferredGrants.held").stream()
                            .map(row -> (String) JsonFields.at(row, "grant")))
                    .anyMatch(grant -> grant.contains("acme-engineering"));

            // The group Keycloak keeps the members in (the parent of the organization's groups) is not
            // held: Keycloak itself refuses roles on it. Should it ever allow them, this fails first.
            String ownGroup = groups.group(groupId).toRepresentation(false).getParentId();
            assertThat(ownGroup).isNotNull();
            var employeeRole = realm.resource.roles().get("employee").toRepresentation();
            Api.Reply mapped = Api.post(
                    "/admin/realms/" + realm.name + "/groups/" + ownGroup + "/role-mappings/realm",
                    realm.adminToken(),
                    Api.toJson(List.of(Map.of("id", employeeRole.getId(), "name", "employee"))));
            assertThat(mapped.status()).as(mapped.body()).isEqualTo(400);
            assertThat(Api.get(
                                    "/admin/realms/" + realm.name + "/groups/" + ownGroup + "/role-mappings/realm",
                                    realm.adminToken())
                            .body())
                    .doesNotContain("employee");
        }
    }

    @Nested
    @DisplayName("Keycloak's SCIM API, as an HR system provisions")
    class Scim {

        private static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

        /** A confidential client with manage-users whose tokens name the realm's SCIM endpoint as audience. */
        private String hrSyncToken(DemoRealm realm) {
            String clientId = "hr-sync";
            String secret = "hr-sync-secret-2026";
            String id = io.github.onboardingguard.testsupport.TestRealms.createConfidentialClient(
                    realm.resource, clientId, secret);
            var client = realm.resource.clients().get(id).toRepresentation();
            client.setServiceAccountsEnabled(true);
            realm.resource.clients().get(id).update(client);
            var audience = new org.keycloak.representations.idm.ProtocolMapperRepresentation();
            audience.setName("scim audience");
            audience.setProtocol("openid-connect");
            audience.setProtocolMapper("oidc-audience-mapper");
            audience.setConfig(Map.of("included.custom.audience", scimUrl(realm), "access.token.claim", "true"));
            realm.resource
                    .clients()
                    .get(id)
                    .getProtocolMappers()
                    .createMapper(audience)
                    .close();
            String serviceAccount =
                    realm.resource.clients().get(id).getServiceAccountUser().getId();
            realm.grantClientRole(serviceAccount, "realm-management", "manage-users");
            Tokens.TokenResponse token = Tokens.clientCredentials(realm.name, clientId, secret);
            assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
            return token.accessToken();
        }

        private String scimUrl(DemoRealm realm) {
            return io.github.onboardingguard.testsupport.KeycloakTestServer.baseUrl() + "/realms/" + realm.name
                    + "/scim/v2";
        }

        private java.net.http.HttpResponse<String> scim(
                DemoRealm realm, String token, String method, String resource, Object body) throws Exception {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(scimUrl(realm) + resource))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/scim+json")
                    .header("Content-Type", "application/scim+json")
                    .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(Api.toJson(body)));
            return java.net.http.HttpClient.newHttpClient()
                    .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }

        @Test
        @DisplayName("a user HR creates in the rule's group gets a case and probation; one outside it does not until "
                + "HR adds the group; a group HR adds to the hire later is held like any grant")
        void scimUserIsEnrolled() throws Exception {
            DemoRealm realm = realm("enroll-scim", rep -> rep.setScimApiEnabled(true));
            assertThat(realm.holeSubjects()).contains("enrollment_path_uncovered scim");
            realm.updatePolicyList("enrollmentRules", List.of("scim group=/new-hires"));
            assertThat(realm.holeSubjects()).noneMatch(hole -> hole.startsWith("enrollment_path_uncovered"));
            String token = hrSyncToken(realm);

            var created = scim(
                    realm,
                    token,
                    "POST",
                    "/Users",
                    Map.of(
                            "schemas", List.of(CORE_USER),
                            "userName", "hana",
                            "name", Map.of("givenName", "Hana", "familyName", "Hire"),
                            "emails", List.of(Map.of("value", "hana@example.com", "primary", true)),
                            "active", true,
                            "groups", List.of(Map.of("value", groupId(realm, "new-hires")))));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String userId = realm.userIdOf("hana");
            assertThat(realm.caseIdOfUser(userId)).isPresent();
            assertThat(realm.auditEntries("subject=hana&type=case.created")).contains("\"path\":\"scim\"");

            var patched = scim(
                    realm,
                    token,
                    "PATCH",
                    "/Groups/" + groupId(realm, "engineering"),
                    Map.of(
                            "schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                            "Operations",
                                    List.of(Map.of(
                                            "op",
                                            "add",
                                            "path",
                                            "members",
                                            "value",
                                            List.of(Map.of("value", userId))))));
            assertThat(patched.statusCode()).as(patched.body()).isBetween(200, 204);
            assertThat(groupsOf(realm, userId)).isEmpty();
            assertThat(heldGrants(realm.getCase(realm.caseIdOfUser(userId).orElseThrow())))
                    .contains("/new-hires", "/engineering");
            probationUntilVerified(realm, userId, "hana", "/engineering");

            var other = scim(
                    realm,
                    token,
                    "POST",
                    "/Users",
                    Map.of(
                            "schemas",
                            List.of(CORE_USER),
                            "userName",
                            "ivan",
                            "name",
                            Map.of("givenName", "Ivan", "familyName", "Staff"),
                            "emails",
                            List.of(Map.of("value", "ivan@example.com", "primary", true)),
                            "active",
                            true));
            assertThat(other.statusCode()).as(other.body()).isEqualTo(201);
            assertThat(realm.caseIdOfUser(realm.userIdOf("ivan"))).isEmpty();

            // HR systems following RFC 7643 create the user first and add the group with a PATCH after.
            String ivan = realm.userIdOf("ivan");
            var joined = scim(
                    realm,
                    token,
                    "PATCH",
                    "/Groups/" + groupId(realm, "new-hires"),
                    Map.of(
                            "schemas",
                            List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                            "Operations",
                            List.of(Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", ivan))))));
            assertThat(joined.statusCode()).as(joined.body()).isBetween(200, 204);
            assertThat(realm.caseIdOfUser(ivan)).isPresent();
        }
    }

    @Test
    @DisplayName("self-registration under a 'registration' rule: the new account is on probation at once and its "
            + "first code for a closed client is refused")
    void registrationIsEnrolled() {
        DemoRealm realm = realm("enroll-registration", rep -> {
            rep.setRegistrationAllowed(true);
            rep.setVerifyEmail(false);
        });
        assertThat(realm.holeSubjects()).contains("enrollment_path_uncovered registration");
        realm.updatePolicyList("enrollmentRules", List.of("admin group=/new-hires", "registration"));
        assertThat(realm.holeSubjects()).doesNotContain("enrollment_path_uncovered registration");

        HireBrowser browser = HireBrowser.startRegistration(realm.name, DemoRealm.CLOSED_CLIENT, SOURCE_CODE_CALLBACK)
                .submit(
                        "kc-register-form",
                        Map.of(
                                "username", "walk-in",
                                "email", "walk-in@example.com",
                                "firstName", "Walk",
                                "lastName", "In",
                                "password", PASSWORD,
                                "password-confirm", PASSWORD));

        String userId = realm.userIdOf("walk-in");
        assertThat(realm.caseIdOfUser(userId)).as(browser.page()).isPresent();
        assertThat(realm.auditEntries("subject=walk-in&type=case.created")).contains("\"path\":\"registration\"");
        Tokens.TokenResponse tokens = browser.authorizationCode().isPresent()
                ? browser.exchangeCode(realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET)
                : null;
        assertThat(tokens == null || tokens.status() != 200)
                .as("no tokens for source-code: %s", tokens == null ? browser.page() : tokens.body())
                .isTrue();
    }

    @Test
    @DisplayName("first login through an identity provider a rule names: the account is enrolled in the request "
            + "that creates it, and the gate refuses the closed client; a path exempted stays without a case")
    void identityProviderFirstLoginIsEnrolled() {
        DemoRealm realm = realm("enroll-idp");
        PartnerRealm.importFor(realm);
        assertThat(realm.holeSubjects()).noneMatch(hole -> hole.startsWith("enrollment_path_uncovered"));
        realm.updatePolicyList("enrollmentExempt", List.of());
        assertThat(realm.holeSubjects()).contains("enrollment_path_uncovered " + PartnerRealm.ALIAS);
        realm.updatePolicyList("enrollmentRules", List.of("identity-provider:" + PartnerRealm.ALIAS));
        assertThat(realm.holeSubjects()).noneMatch(hole -> hole.startsWith("enrollment_path_uncovered"));

        HireBrowser stranger = strangerSignsInToSourceCode(realm);

        assertThat(stranger.authorizationCode()).isEmpty();
        assertThat(stranger.page()).contains("id=\"onboarding-refused\"");
        String userId = realm.userIdOf("casey.contractor");
        assertThat(realm.caseIdOfUser(userId)).isPresent();
        assertThat(realm.auditEntries("subject=casey.contractor&type=case.created"))
                .contains("\"path\":\"identity-provider\"", "\"source\":\"" + PartnerRealm.ALIAS + "\"");
    }

    /**
     * What every enrolled hire goes through, however they arrived: refused at the closed client, a
     * token for the open client without what is held, and the held grants given at VERIFIED.
     */
    private static void probationUntilVerified(DemoRealm realm, String userId, String username, String heldGroup) {
        realm.setPassword(userId);
        Tokens.TokenResponse closed = Tokens.passwordGrant(
                realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, username, PASSWORD);
        assertThat(closed.status())
                .as("source-code for %s: %s", username, closed.body())
                .isEqualTo(400);
        Tokens.TokenResponse open = Tokens.passwordGrant(
                realm.name, DemoRealm.OPEN_CLIENT, DemoRealm.OPEN_CLIENT_SECRET, username, PASSWORD);
        assertThat(open.status()).as(open.body().toString()).isEqualTo(200);
        assertThat(JsonFields.list(open.accessTokenClaims(), "realm_access.roles"))
                .contains("onboarding-probationary")
                .doesNotContain("employee");

        String caseId = realm.caseIdOfUser(userId).orElseThrow();
        realm.applyEvent(caseId, "DOCUMENT_APPROVED");
        assertThat(realm.applyEvent(caseId, "IDENTITY_APPROVED")).isEqualTo("VERIFIED");
        assertThat(groupsOf(realm, userId)).contains(heldGroup);
    }

    @Test
    @DisplayName("a rule for an identity provider that does not store its users is named by the health check: "
            + "its users are never enrolled")
    void transientUsersAreNamed() {
        DemoRealm realm = realm("enroll-transient");
        realm.updatePolicyList("enrollmentExempt", List.of());
        realm.updatePolicyList("enrollmentRules", List.of("identity-provider:" + PartnerRealm.ALIAS));
        assertThat(realm.holeSubjects()).doesNotContain("enrollment_transient_users " + PartnerRealm.ALIAS);
        var idp = realm.resource.identityProviders().get(PartnerRealm.ALIAS).toRepresentation();
        idp.getConfig().put("doNotStoreUsers", "true");
        realm.resource.identityProviders().get(PartnerRealm.ALIAS).update(idp);
        assertThat(realm.holeSubjects()).contains("enrollment_transient_users " + PartnerRealm.ALIAS);
    }

    @Nested
    @DisplayName("a rule on a group the identity provider's mapper gives")
    class MapperGroup {

        private DemoRealm partnerGivesNewHires(String prefix) {
            DemoRealm realm = realm(prefix);
            PartnerRealm.importFor(realm);
            var mapper = new org.keycloak.representations.idm.IdentityProviderMapperRepresentation();
            mapper.setName("agency hires");
            mapper.setIdentityProviderAlias(PartnerRealm.ALIAS);
            mapper.setIdentityProviderMapper("oidc-hardcoded-group-idp-mapper");
            mapper.setConfig(Map.of("group", "/new-hires", "syncMode", "INHERIT"));
            realm.resource
                    .identityProviders()
                    .get(PartnerRealm.ALIAS)
                    .addMapper(mapper)
                    .close();
            realm.updatePolicyList("enrollmentExempt", List.of());
            realm.updatePolicyList("enrollmentRules", List.of("identity-provider:partner group=/new-hires"));
            return realm;
        }

        @Test
        @DisplayName("is decided once the mapper has run: the account is a hire before any token is issued")
        void decidedAfterTheMapper() {
            DemoRealm realm = partnerGivesNewHires("enroll-mapper");
            HireBrowser stranger = strangerSignsInToSourceCode(realm);
            assertThat(stranger.authorizationCode()).as(stranger.page()).isEmpty();
            String userId = realm.userIdOf("casey.contractor");
            String caseId = realm.caseIdOfUser(userId).orElseThrow(() -> new AssertionError(stranger.page()));
            assertThat(heldGrants(realm.getCase(caseId))).contains("/new-hires");
            assertThat(attributesOf(realm, userId)).doesNotContainKey("onboarding-enrollment-pending");
        }

        @Test
        @DisplayName("attack: a first login abandoned before the mapper runs leaves the decision pending, and the "
                + "account becomes a hire as soon as it joins the group")
        void abandonedFirstLoginStaysPending() {
            DemoRealm realm = partnerGivesNewHires("enroll-abandoned");
            HireBrowser stranger = HireBrowser.abandonIdentityProviderLogin(
                    realm.name,
                    DemoRealm.CLOSED_CLIENT,
                    SOURCE_CODE_CALLBACK,
                    PartnerRealm.ALIAS,
                    "casey.contractor",
                    PASSWORD,
                    "after-first-broker-login");
            assertThat(stranger.abandoned()).as(stranger.page()).isTrue();
            String userId = realm.userIdOf("casey.contractor");
            assertThat(realm.caseIdOfUser(userId)).isEmpty();
            assertThat(attributesOf(realm, userId).get("onboarding-enrollment-pending"))
                    .singleElement()
                    .asString()
                    .as("signed with the realm's key")
                    .startsWith("identity-provider:" + PartnerRealm.ALIAS + ":");

            // The mapper's group arrives by another way (a later login with the mapper on "force", an admin).
            String newHires =
                    realm.resource.groups().groups("new-hires", 0, 1).get(0).getId();
            realm.resource.users().get(userId).joinGroup(newHires);
            String caseId = realm.caseIdOfUser(userId).orElseThrow();
            assertThat(heldGrants(realm.getCase(caseId))).contains("/new-hires");
            assertThat(groupsOf(realm, userId)).isEmpty();
        }
    }

    /** The partner agency's user without an account here signs in to the closed client through the partner. */
    private static HireBrowser strangerSignsInToSourceCode(DemoRealm realm) {
        return HireBrowser.loginThroughIdentityProvider(
                realm.name,
                DemoRealm.CLOSED_CLIENT,
                SOURCE_CODE_CALLBACK,
                PartnerRealm.ALIAS,
                "casey.contractor",
                PASSWORD);
    }
}

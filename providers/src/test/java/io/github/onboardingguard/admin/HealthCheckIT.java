package io.github.onboardingguard.admin;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.KeycloakTestServer;
import io.github.onboardingguard.testsupport.Poll;
import io.github.onboardingguard.testsupport.TestRealms;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.userprofile.config.UPConfig;

@DisplayName("Realm health check: GET /admin/realms/{realm}/onboarding/health names every unguarded door")
class HealthCheckIT extends KeycloakIntegrationTest {

    private static DemoRealm demo;
    private static DemoRealm other;

    @BeforeAll
    static void realms() {
        demo = DemoRealm.importFresh("health-demo");
        other = DemoRealm.importFresh("health-other");
    }

    private static Map<String, Object> health(DemoRealm realm) {
        Api.Reply reply = Api.get("/admin/realms/" + realm.name + "/onboarding/health", realm.adminToken());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    @Test
    @DisplayName("the demo realm as shipped has no hole")
    void demoRealmIsHealthy() {
        Map<String, Object> health = health(demo);
        assertThat(JsonFields.list(health, "holes")).isEmpty();
        assertThat(health).containsEntry("healthy", true);
    }

    @Test
    @DisplayName("each hole made on a copy of the demo realm is found, with its code, severity and fix")
    void findsEachHole() {
        DemoRealm realm = DemoRealm.importFresh("health-holes");
        var rep = realm.resource.toRepresentation();
        rep.setEventsListeners(List.of("jboss-logging"));
        rep.setResetCredentialsFlow("reset credentials");
        realm.resource.update(rep);
        var statusPage = realm.resource.flows().getRequiredAction("onboarding-status");
        statusPage.setEnabled(false);
        realm.resource.flows().updateRequiredAction("onboarding-status", statusPage);

        var sourceCode =
                realm.resource.clients().findByClientId(DemoRealm.CLOSED_CLIENT).get(0);
        String stockBrowser = realm.resource.flows().getFlows().stream()
                .filter(f -> "browser".equals(f.getAlias()))
                .findFirst()
                .orElseThrow()
                .getId();
        sourceCode.setAuthenticationFlowBindingOverrides(Map.of("browser", stockBrowser));
        realm.resource.clients().get(sourceCode.getId()).update(sourceCode);

        var hrPortal =
                realm.resource.clients().findByClientId(DemoRealm.OPEN_CLIENT).get(0);
        String onboardingScope = realm.resource.clientScopes().findAll().stream()
                .filter(s -> "onboarding".equals(s.getName()))
                .findFirst()
                .orElseThrow()
                .getId();
        realm.resource.clients().get(hrPortal.getId()).removeDefaultClientScope(onboardingScope);

        ClientRepresentation wiki = new ClientRepresentation();
        wiki.setClientId("legacy-wiki");
        wiki.setProtocol("saml");
        realm.resource.clients().create(wiki).close();
        // Saving it through the policy page is refused; a policy stored before the client became SAML is not.
        Api.post(
                "/realms/" + realm.name + "/onboarding-test-hooks/policy/raw?name=probationClients&value=legacy-wiki",
                null,
                null);
        realm.resource.clearRealmCache();

        // Configuration only: nothing ever logs in through it, so nothing is sent to that address.
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias("partner-sso");
        idp.setProviderId("oidc");
        idp.setEnabled(true);
        idp.setConfig(Map.of(
                "authorizationUrl",
                "http://127.0.0.1:9/auth",
                "tokenUrl",
                "http://127.0.0.1:9/token",
                "clientId",
                "partner",
                "clientSecret",
                "partner-secret",
                "clientAuthMethod",
                "client_secret_post"));
        realm.resource.identityProviders().create(idp).close();

        realm.resource.clientPoliciesPoliciesResource().updatePolicies(new ClientPoliciesRepresentation());
        realm.resource
                .roles()
                .get("default-roles-" + realm.name)
                .addComposites(List.of(realm.resource.roles().get("employee").toRepresentation()));
        UPConfig profile = realm.resource.users().userProfile().getConfiguration();
        profile.setUnmanagedAttributePolicy(UPConfig.UnmanagedAttributePolicy.ENABLED);
        realm.resource.users().userProfile().update(profile);
        GroupRepresentation everyone = new GroupRepresentation();
        everyone.setName("everyone");
        realm.resource.groups().add(everyone).close();
        String everyoneId =
                realm.resource.groups().groups("everyone", 0, 1).get(0).getId();
        realm.resource.addDefaultGroup(everyoneId);

        Map<String, Object> health = health(realm);
        assertThat(health).containsEntry("healthy", false);
        List<Object> holes = JsonFields.list(health, "holes");
        assertThat(holes)
                .extracting(h -> JsonFields.at(h, "code") + " " + JsonFields.at(h, "subject"))
                .contains(
                        "listener_not_enabled onboarding-guard",
                        "flow_without_gate reset credentials",
                        "client_flow_without_gate source-code",
                        "client_without_onboarding_scope hr-portal",
                        "saml_client_allowed legacy-wiki",
                        "idp_without_gate partner-sso",
                        "client_policy_missing onboarding-probation",
                        "composite_outside_allow_list default-roles-" + realm.name + " > employee",
                        "marker_editable onboarding-case",
                        "default_group everyone",
                        "status_page_disabled onboarding-status");
        assertThat(holes).allSatisfy(h -> {
            assertThat(JsonFields.at(h, "severity")).isIn("CRITICAL", "HIGH", "MEDIUM");
            assertThat((String) JsonFields.at(h, "fix")).isNotBlank();
        });
        // The start-up check logs the same holes as WARN for realms that use the extension.
    }

    @Test
    @DisplayName("doors Keycloak 26.6/26.7 added are named on a copy of the demo realm: a closed client taking JWT "
            + "authorization grants, and an LDAP directory whose role mapper gives roles without importing them")
    void findsNewDoors() {
        DemoRealm realm = DemoRealm.importFresh("health-new-doors");
        realm.setClientAttributes(
                DemoRealm.CLOSED_CLIENT,
                Map.of(
                        "oauth2.jwt.authorization.grant.enabled",
                        "true",
                        "oauth2.jwt.authorization.grant.idp",
                        "partner"));

        ComponentRepresentation ldap = new ComponentRepresentation();
        ldap.setName("corporate-ad");
        ldap.setProviderId("ldap");
        ldap.setProviderType("org.keycloak.storage.UserStorageProvider");
        ldap.setParentId(realm.resource.toRepresentation().getId());
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        // Nothing listens there: the directory is only configured, never asked.
        config.putSingle("connectionUrl", "ldap://127.0.0.1:1");
        config.putSingle("usersDn", "ou=people,dc=example,dc=org");
        config.putSingle("bindDn", "cn=reader,dc=example,dc=org");
        config.putSingle("bindCredential", "reader");
        config.putSingle("vendor", "other");
        config.putSingle("usernameLDAPAttribute", "uid");
        config.putSingle("rdnLDAPAttribute", "uid");
        config.putSingle("uuidLDAPAttribute", "entryUUID");
        config.putSingle("userObjectClasses", "inetOrgPerson");
        config.putSingle("editMode", "READ_ONLY");
        config.putSingle("importEnabled", "false");
        config.putSingle("enabled", "true");
        ldap.setConfig(config);
        realm.resource.components().add(ldap).close();
        String ldapId = realm.resource
                .components()
                .query(
                        realm.resource.toRepresentation().getId(),
                        "org.keycloak.storage.UserStorageProvider",
                        "corporate-ad")
                .get(0)
                .getId();
        ComponentRepresentation roles = new ComponentRepresentation();
        roles.setName("ad groups as roles");
        roles.setProviderId("role-ldap-mapper");
        roles.setProviderType("org.keycloak.storage.ldap.mappers.LDAPStorageMapper");
        roles.setParentId(ldapId);
        MultivaluedHashMap<String, String> roleConfig = new MultivaluedHashMap<>();
        roleConfig.putSingle("roles.dn", "ou=groups,dc=example,dc=org");
        roleConfig.putSingle("role.name.ldap.attribute", "cn");
        roleConfig.putSingle("role.object.classes", "groupOfNames");
        roleConfig.putSingle("membership.ldap.attribute", "member");
        roleConfig.putSingle("membership.attribute.type", "DN");
        roleConfig.putSingle("membership.user.ldap.attribute", "uid");
        roleConfig.putSingle("mode", "READ_ONLY");
        roleConfig.putSingle("user.roles.retrieve.strategy", "LOAD_ROLES_BY_MEMBER_ATTRIBUTE");
        roleConfig.putSingle("use.realm.roles.mapping", "true");
        roles.setConfig(roleConfig);
        realm.resource.components().add(roles).close();

        List<Object> holes = JsonFields.list(health(realm), "holes");
        assertThat(holes)
                .extracting(h -> JsonFields.at(h, "code") + " " + JsonFields.at(h, "subject"))
                .contains(
                        "jwt_grant_closed_client " + DemoRealm.CLOSED_CLIENT,
                        "ldap_mapper_without_import corporate-ad > ad groups as roles");
    }

    @Test
    @DisplayName(
            "given an admin who binds a client to a flow without the gate, then the server logs the new hole as WARN "
                    + "right after the change, without anyone asking for the health check")
    void newHoleIsLoggedAfterTheChange() throws Exception {
        DemoRealm realm = DemoRealm.importFresh("health-watch");
        realm.bindBrowserFlowWithoutGate(DemoRealm.CLOSED_CLIENT);
        String expected = "Realm " + realm.name + ": onboarding hole client_flow_without_gate (HIGH) at "
                + DemoRealm.CLOSED_CLIENT;
        assertThat(Poll.until(Duration.ofSeconds(10), KeycloakTestServer::logs, logs -> logs.contains(expected)))
                .contains(expected);
    }

    @Test
    @DisplayName("a stored policy that no longer parses is a critical hole")
    void invalidPolicy() {
        DemoRealm realm = DemoRealm.importFresh("health-policy");
        Api.post(
                "/realms/" + realm.name + "/onboarding-test-hooks/policy/raw?name=ceremonyMaxAttempts&value=many",
                null,
                null);
        realm.resource.clearRealmCache();
        assertThat(JsonFields.list(health(realm), "holes")).anySatisfy(hole -> {
            assertThat(JsonFields.at(hole, "code")).isEqualTo("policy_invalid");
            assertThat(JsonFields.at(hole, "severity")).isEqualTo("CRITICAL");
            assertThat((String) JsonFields.at(hole, "message")).contains("ceremonyMaxAttempts");
        });
    }

    @Test
    @DisplayName(
            "only admins of the realm may read it: anonymous 401; hire, verifier, auditor and another realm's admin 403")
    void authorization() {
        String path = "/admin/realms/" + demo.name + "/onboarding/health";
        assertThat(Api.get(path, null).status()).isEqualTo(401);
        demo.hireInProbation("curious-hire", Map.of());
        assertThat(Api.get(path, demo.tokenOf("curious-hire")).status()).isEqualTo(403);
        assertThat(Api.get(path, demo.consoleTokenOf("verifier")).status()).isEqualTo(403);
        assertThat(Api.get(path, demo.consoleTokenOf("auditor")).status()).isEqualTo(403);
        assertThat(Api.get(path, other.adminToken()).status()).isEqualTo(403);
        String viewer = TestRealms.createUser(demo.resource, "realm-viewer", PASSWORD, "employee");
        demo.grantClientRole(viewer, "realm-management", "view-realm");
        assertThat(Api.get(path, demo.tokenOf("realm-viewer")).status()).isEqualTo(200);
        assertThat(Api.get(path, KeycloakTestServer.admin().tokenManager().getAccessTokenString())
                        .status())
                .isEqualTo(200);
    }
}

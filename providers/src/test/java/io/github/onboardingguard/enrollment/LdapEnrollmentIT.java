package io.github.onboardingguard.enrollment;

import static io.github.onboardingguard.testsupport.DemoRealm.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.Api;
import io.github.onboardingguard.testsupport.DemoRealm;
import io.github.onboardingguard.testsupport.JsonFields;
import io.github.onboardingguard.testsupport.KeycloakIntegrationTest;
import io.github.onboardingguard.testsupport.Tokens;
import jakarta.ws.rs.core.Response;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

/**
 * Users an LDAP directory (the test script's private slapd) brings into the realm through
 * Keycloak's LDAP federation with import on: by a sync and at a first login.
 */
@DisplayName("Users of an LDAP directory: enrollment of imports, and accounts without import")
class LdapEnrollmentIT extends KeycloakIntegrationTest {

    private static final String LDAP_PROVIDER = "corporate-ldap";
    private static final String MAPPER_TYPE = "org.keycloak.storage.ldap.mappers.LDAPStorageMapper";

    private static String property(String name) {
        String value = System.getProperty("onboarding.ldap." + name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "onboarding.ldap." + name + " is not set; run the tests with scripts/test.sh");
        }
        return value;
    }

    private static DirContext directory() throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, "ldap://127.0.0.1:" + property("port"));
        env.put(Context.SECURITY_PRINCIPAL, property("bindDn"));
        env.put(Context.SECURITY_CREDENTIALS, property("password"));
        return new InitialDirContext(env);
    }

    /** An organizational unit of this test's own, so tests sharing the directory never see each other's people. */
    private static String unitFor(DemoRealm realm) throws NamingException {
        String dn = "ou=" + realm.name + "," + property("baseDn");
        BasicAttributes unit = new BasicAttributes(true);
        BasicAttribute objectClass = new BasicAttribute("objectClass");
        objectClass.add("top");
        objectClass.add("organizationalUnit");
        unit.put(objectClass);
        unit.put("ou", realm.name);
        DirContext ctx = directory();
        try {
            ctx.createSubcontext(dn, unit).close();
        } finally {
            ctx.close();
        }
        return dn;
    }

    private static void addPerson(String unit, String uid, String employeeType) throws NamingException {
        BasicAttributes person = new BasicAttributes(true);
        BasicAttribute objectClass = new BasicAttribute("objectClass");
        for (String name : List.of("top", "person", "organizationalPerson", "inetOrgPerson")) {
            objectClass.add(name);
        }
        person.put(objectClass);
        person.put("uid", uid);
        person.put("cn", uid);
        person.put("sn", "Directory");
        person.put("givenName", uid);
        person.put("mail", uid + "@corp.example");
        person.put("userPassword", PASSWORD);
        if (employeeType != null) {
            person.put("employeeType", employeeType);
        }
        DirContext ctx = directory();
        try {
            ctx.createSubcontext("uid=" + uid + "," + unit, person).close();
        } finally {
            ctx.close();
        }
    }

    private static String ldapProvider(DemoRealm realm, String name, String unit, boolean importUsers) {
        ComponentRepresentation ldap = new ComponentRepresentation();
        ldap.setName(name);
        ldap.setProviderId("ldap");
        ldap.setProviderType("org.keycloak.storage.UserStorageProvider");
        ldap.setParentId(realm.resource.toRepresentation().getId());
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        Map.ofEntries(
                        Map.entry("enabled", "true"),
                        Map.entry("vendor", "other"),
                        Map.entry("connectionUrl", "ldap://host.docker.internal:" + property("port")),
                        Map.entry("usersDn", unit),
                        Map.entry("authType", "simple"),
                        Map.entry("bindDn", property("bindDn")),
                        Map.entry("bindCredential", property("password")),
                        Map.entry("editMode", "READ_ONLY"),
                        Map.entry("usernameLDAPAttribute", "uid"),
                        Map.entry("rdnLDAPAttribute", "uid"),
                        Map.entry("uuidLDAPAttribute", "entryUUID"),
                        Map.entry("userObjectClasses", "inetOrgPerson, organizationalPerson"),
                        Map.entry("searchScope", "1"),
                        Map.entry("pagination", "false"),
                        Map.entry("importEnabled", Boolean.toString(importUsers)),
                        Map.entry("syncRegistrations", "false"),
                        Map.entry("trustEmail", "true"))
                .forEach(config::putSingle);
        ldap.setConfig(config);
        try (Response created = realm.resource.components().add(ldap)) {
            assertThat(created.getStatus()).as(created.readEntity(String.class)).isEqualTo(201);
            String path = created.getLocation().getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private static Response addMapper(
            DemoRealm realm, String ldapId, String name, String providerId, Map<String, String> settings) {
        ComponentRepresentation mapper = new ComponentRepresentation();
        mapper.setName(name);
        mapper.setProviderId(providerId);
        mapper.setProviderType(MAPPER_TYPE);
        mapper.setParentId(ldapId);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        settings.forEach(config::putSingle);
        mapper.setConfig(config);
        return realm.resource.components().add(mapper);
    }

    @Test
    @DisplayName("a rule on HR's employeeType: a sync enrolls the new hire and leaves the employee alone; a hire who "
            + "first appears at their login is enrolled there and refused at the closed client; the health check "
            + "names the provider until the rule and the mapper are in place")
    void importedUsersAreEnrolled() throws Exception {
        DemoRealm realm = DemoRealm.importFresh("enroll-ldap");
        realm.letAdminsEditAnyAttribute();
        String unit = unitFor(realm);
        addPerson(unit, "lena", "new-hire");
        addPerson(unit, "omar", "employee");
        String ldapId = ldapProvider(realm, LDAP_PROVIDER, unit, true);
        addMapper(
                        realm,
                        ldapId,
                        "employee type",
                        "user-attribute-ldap-mapper",
                        Map.of(
                                "ldap.attribute", "employeeType",
                                "user.model.attribute", "employeeType",
                                "read.only", "true",
                                "always.read.value.from.ldap", "false",
                                "is.mandatory.in.ldap", "false"))
                .close();

        assertThat(realm.holeSubjects()).contains("enrollment_path_uncovered " + LDAP_PROVIDER);
        realm.updatePolicyList(
                "enrollmentRules",
                List.of("admin group=/new-hires", "federation:" + LDAP_PROVIDER + " attribute=employeeType=new-hire"));
        assertThat(realm.holeSubjects())
                .contains("enrollment_mapper_missing " + LDAP_PROVIDER)
                .doesNotContain("enrollment_path_uncovered " + LDAP_PROVIDER);
        try (Response added =
                addMapper(realm, ldapId, "onboarding enrollment", "onboarding-enrollment-ldap-mapper", Map.of())) {
            assertThat(added.getStatus()).as(added.readEntity(String.class)).isEqualTo(201);
        }
        assertThat(realm.holeSubjects()).noneMatch(hole -> hole.startsWith("enrollment_"));

        Api.Reply synced = Api.post(
                "/admin/realms/" + realm.name + "/user-storage/" + ldapId + "/sync?action=triggerFullSync",
                realm.adminToken(),
                null);
        assertThat(synced.status()).as(synced.body()).isEqualTo(200);
        assertThat(realm.caseIdOfUser(realm.userIdOf("lena"))).isPresent();
        assertThat(realm.caseIdOfUser(realm.userIdOf("omar"))).isEmpty();
        assertThat(realm.auditEntries("subject=lena&type=case.created"))
                .contains("\"path\":\"federation\"", "\"source\":\"" + LDAP_PROVIDER + "\"");

        addPerson(unit, "pat", "new-hire");
        Tokens.TokenResponse closed = Tokens.passwordGrant(
                realm.name, DemoRealm.CLOSED_CLIENT, DemoRealm.CLOSED_CLIENT_SECRET, "pat", PASSWORD);
        assertThat(closed.status()).as(closed.body().toString()).isEqualTo(400);
        assertThat(realm.caseIdOfUser(realm.userIdOf("pat"))).isPresent();
        Tokens.TokenResponse open =
                Tokens.passwordGrant(realm.name, DemoRealm.OPEN_CLIENT, DemoRealm.OPEN_CLIENT_SECRET, "pat", PASSWORD);
        assertThat(open.status()).as(open.body().toString()).isEqualTo(200);
        assertThat(JsonFields.list(open.accessTokenClaims(), "realm_access.roles"))
                .contains("onboarding-probationary");
    }

    @Test
    @DisplayName("the enrollment mapper is refused on a provider that does not import its users")
    void mapperNeedsImport() throws Exception {
        DemoRealm realm = DemoRealm.importFresh("enroll-ldap-no-import");
        String ldapId = ldapProvider(realm, "proxied-ldap", unitFor(realm), false);
        try (Response refused =
                addMapper(realm, ldapId, "onboarding enrollment", "onboarding-enrollment-ldap-mapper", Map.of())) {
            assertThat(refused.getStatus()).isEqualTo(400);
            assertThat(refused.readEntity(String.class)).contains("Import users");
        }
    }

    @Test
    @DisplayName(
            "accounts of a provider without import (ids f:<provider>:<name>, longer than a UUID) sponsor hires and "
                    + "sign in; adopting one is refused, since Keycloak cannot take their roles; a malformed id finds nobody")
    void accountsWithoutImport() throws Exception {
        DemoRealm realm = DemoRealm.importFresh("ldap-long-ids");
        String unit = unitFor(realm);
        addPerson(unit, "directory-manager-with-a-long-name", null);
        addPerson(unit, "directory-employee", null);
        ldapProvider(realm, "proxied-ldap", unit, false);
        String sponsorId = realm.userIdOf("directory-manager-with-a-long-name");
        assertThat(sponsorId).startsWith("f:").hasSizeGreaterThan(36);

        Map<String, Object> hire = realm.createHire("ldap-sponsored-hire", Map.of("sponsor", sponsorId));
        assertThat(JsonFields.at(hire, "sponsor.id")).isEqualTo(sponsorId);
        Api.Reply bySponsor = Api.get(realm.casesPath() + "?sponsor=" + sponsorId, realm.adminToken());
        assertThat(JsonFields.list(bySponsor.json(), "items").stream().map(c -> JsonFields.at(c, "id")))
                .containsExactly(hire.get("id"));
        assertThat(Tokens.passwordGrant(
                                realm.name,
                                DemoRealm.OPEN_CLIENT,
                                DemoRealm.OPEN_CLIENT_SECRET,
                                "directory-employee",
                                PASSWORD)
                        .status())
                .isEqualTo(200);

        Api.Reply adopted = Api.post(
                realm.casesPath() + "/adopt",
                realm.adminToken(),
                Api.toJson(Map.of("user", "directory-employee", "sponsor", "hiring-manager")));
        assertThat(adopted.status()).as(adopted.body()).isEqualTo(409);
        assertThat(adopted.json()).containsEntry("error", "adoption_refused");
        assertThat((String) adopted.json().get("message")).contains("Import users");

        Api.Reply malformed = Api.post(
                realm.casesPath() + "/adopt",
                realm.adminToken(),
                Api.toJson(Map.of("user", "f:x", "sponsor", "hiring-manager")));
        assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
        assertThat(malformed.json()).containsEntry("field", "user");
    }
}

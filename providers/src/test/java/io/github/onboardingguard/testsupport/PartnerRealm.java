package io.github.onboardingguard.testsupport;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The partner agency of realm-config/ (the demo realm's identity provider {@value #ALIAS}),
 * imported under a unique name for one demo realm, with the demo realm's provider pointed at it.
 */
public final class PartnerRealm {

    public static final String ALIAS = "partner";
    /** The partner's own user, linked to nobody until a test links it. */
    public static final String HIRE_USERNAME = "noah.newhire";

    private static final String SHIPPED_NAME = "onboarding-partner";
    private static final String SHIPPED_BASE = "http://localhost:8080/";
    /** The browser goes there, and the partner names itself after the address the browser used. */
    private static final java.util.Set<String> BROWSER_FACING = java.util.Set.of("authorizationUrl", "issuer");
    /** How the server reaches itself inside the container, for the back-channel calls. */
    private static final String SERVER_SELF = "http://localhost:8080";

    public final RealmResource resource;
    public final String name;

    private PartnerRealm(RealmResource resource, String name) {
        this.resource = resource;
        this.name = name;
    }

    /** The shipped partner realm, next to the demo realm in realm-config/. */
    public static final String FILE = "onboarding-partner-realm.json";

    /** Imports the partner realm file for {@code demo} and points demo's shipped provider at it. */
    public static PartnerRealm importFor(DemoRealm demo) {
        String name = TestRealms.uniqueName("partner");
        File file = new File(new File(KeycloakTestServer.requiredProperty("onboarding.realmConfig")).getParentFile(), FILE);
        String json;
        try {
            json = Files.readString(file.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        // The broker endpoint the browser returns to: the demo realm of this test, at the mapped port.
        json = json.replace(SHIPPED_BASE + "realms/onboarding-demo/", KeycloakTestServer.baseUrl() + "/realms/" + demo.name + "/")
                .replace(SHIPPED_NAME, name);
        RealmRepresentation representation = TestRealms.parse(json, RealmRepresentation.class);
        // User ids are unique across realms: each import gets new ones.
        representation.getUsers().forEach(user -> user.setId(null));
        RealmResource realm = TestRealms.create(representation);

        IdentityProviderRepresentation idp = demo.resource.identityProviders().get(ALIAS).toRepresentation();
        Map<String, String> config = new HashMap<>();
        idp.getConfig().forEach((key, value) -> config.put(key, value.replace(SHIPPED_BASE + "realms/" + SHIPPED_NAME,
                (BROWSER_FACING.contains(key) ? KeycloakTestServer.baseUrl() : SERVER_SELF) + "/realms/" + name)));
        // The partner's userinfo endpoint refuses its own token at the container-internal address (issuer
        // mismatch); the ID token carries the same claims.
        config.remove("userInfoUrl");
        idp.setConfig(config);
        demo.resource.identityProviders().get(ALIAS).update(idp);
        return new PartnerRealm(realm, name);
    }

    /** Links the partner's {@value #HIRE_USERNAME} to a demo user, as an admin would. */
    public void linkHire(DemoRealm demo, String demoUserId) {
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider(ALIAS);
        link.setUserId(resource.users().searchByUsername(HIRE_USERNAME, true).get(0).getId());
        link.setUserName(HIRE_USERNAME);
        demo.resource.users().get(demoUserId).addFederatedIdentity(ALIAS, link).close();
    }
}

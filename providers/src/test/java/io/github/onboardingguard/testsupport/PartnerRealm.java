package io.github.onboardingguard.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * The partner agency of realm-config/ (the demo realm's identity provider {@value #ALIAS}),
 * imported under a unique name for one demo realm, with the demo realm's provider pointed at it.
 */
public final class PartnerRealm {

    public static final String ALIAS = "partner";
    /** The partner's own user, linked to nobody until a test links it. */
    public static final String HIRE_USERNAME = "noah.newhire";

    private static final String SHIPPED_NAME = "onboarding-partner";
    private static final String BROKER_CLIENT = "onboarding-guard-broker";
    private static final String BROKER_SECRET = "partner-broker-demo-secret";
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
        File file =
                new File(new File(KeycloakTestServer.requiredProperty("onboarding.realmConfig")).getParentFile(), FILE);
        String json;
        try {
            json = Files.readString(file.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        // The broker endpoint the browser returns to: the demo realm of this test, at the mapped port.
        json = json.replace(
                        SHIPPED_BASE + "realms/onboarding-demo/",
                        KeycloakTestServer.baseUrl() + "/realms/" + demo.name + "/")
                .replace(SHIPPED_NAME, name);
        RealmRepresentation representation = TestRealms.parse(json, RealmRepresentation.class);
        // User ids are unique across realms: each import gets new ones.
        representation.getUsers().forEach(user -> user.setId(null));
        RealmResource realm = TestRealms.create(representation);

        IdentityProviderRepresentation idp =
                demo.resource.identityProviders().get(ALIAS).toRepresentation();
        Map<String, String> config = new HashMap<>();
        idp.getConfig()
                .forEach((key, value) -> config.put(
                        key,
                        value.replace(
                                SHIPPED_BASE + "realms/" + SHIPPED_NAME,
                                (BROWSER_FACING.contains(key) ? KeycloakTestServer.baseUrl() : SERVER_SELF) + "/realms/"
                                        + name)));
        // The partner's userinfo endpoint refuses its own token at the container-internal address (issuer
        // mismatch); the ID token carries the same claims.
        config.remove("userInfoUrl");
        idp.setConfig(config);
        demo.resource.identityProviders().get(ALIAS).update(idp);
        return new PartnerRealm(realm, name);
    }

    /**
     * The JWT authorization grant (RFC 7523) from this partner into {@code clientId} of the demo
     * realm: the provider accepts the partner's tokens as assertions, the client allows the
     * provider, and the partner's tokens name the demo realm as their audience.
     */
    public void enableJwtAuthorizationGrant(DemoRealm demo, String clientId) {
        var broker = enablePasswordGrant();
        var audience = new org.keycloak.representations.idm.ProtocolMapperRepresentation();
        audience.setName("demo realm audience");
        audience.setProtocol("openid-connect");
        audience.setProtocolMapper("oidc-audience-mapper");
        audience.setConfig(Map.of(
                "included.custom.audience",
                KeycloakTestServer.baseUrl() + "/realms/" + demo.name,
                "access.token.claim",
                "true"));
        resource.clients()
                .get(broker.getId())
                .getProtocolMappers()
                .createMapper(audience)
                .close();

        IdentityProviderRepresentation idp =
                demo.resource.identityProviders().get(ALIAS).toRepresentation();
        idp.getConfig().put("jwtAuthorizationGrantEnabled", "true");
        demo.resource.identityProviders().get(ALIAS).update(idp);
        demo.setClientAttributes(
                clientId,
                Map.of("oauth2.jwt.authorization.grant.enabled", "true", "oauth2.jwt.authorization.grant.idp", ALIAS));
    }

    /** Lets the tests obtain partner tokens by password, see {@link #accessTokenOf}; returns the broker client. */
    public org.keycloak.representations.idm.ClientRepresentation enablePasswordGrant() {
        var broker = resource.clients().findByClientId(BROKER_CLIENT).get(0);
        broker.setDirectAccessGrantsEnabled(true);
        resource.clients().get(broker.getId()).update(broker);
        return broker;
    }

    /** A partner access token of {@code username}, to be used as an assertion. */
    public String accessTokenOf(String username, String password) {
        Tokens.TokenResponse response = Tokens.passwordGrant(name, BROKER_CLIENT, BROKER_SECRET, username, password);
        if (response.status() != 200) {
            throw new AssertionError("partner token for " + username + ": " + response.body());
        }
        return response.accessToken();
    }

    /** Links the partner's {@value #HIRE_USERNAME} to a demo user, as an admin would. */
    public void linkHire(DemoRealm demo, String demoUserId) {
        linkUser(demo, demoUserId, HIRE_USERNAME);
    }

    /** Links the partner's {@code partnerUsername} to a demo user, as an admin would. */
    public void linkUser(DemoRealm demo, String demoUserId, String partnerUsername) {
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider(ALIAS);
        link.setUserId(
                resource.users().searchByUsername(partnerUsername, true).get(0).getId());
        link.setUserName(partnerUsername);
        demo.resource.users().get(demoUserId).addFederatedIdentity(ALIAS, link).close();
    }
}

package io.github.onboardingguard.testsupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/** Creates realms, users and clients on the shared server; every test class works in realms of its own. */
public final class TestRealms {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private TestRealms() {}

    /** A realm name no other test uses, readable in logs: prefix plus a counter and random suffix. */
    public static String uniqueName(String prefix) {
        String slug = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return slug + "-" + COUNTER.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An empty, enabled realm with events on. */
    public static RealmResource createEmpty(String prefix) {
        RealmRepresentation realm = new RealmRepresentation();
        realm.setRealm(uniqueName(prefix));
        realm.setEnabled(true);
        realm.setEventsEnabled(true);
        return create(realm);
    }

    /**
     * The demo realm of realm-config/, imported under a unique name. The name is replaced
     * everywhere in the file, as in the account console's redirect URIs.
     */
    public static RealmResource importDemoRealm(String prefix) {
        return create(readRealmConfig(uniqueName(prefix)));
    }

    public static RealmRepresentation readRealmConfig(String realmName) {
        File file = new File(KeycloakTestServer.requiredProperty("onboarding.realmConfig"));
        try {
            String json = Files.readString(file.toPath(), StandardCharsets.UTF_8);
            String demoName = JSON.readValue(json, RealmRepresentation.class).getRealm();
            RealmRepresentation realm = JSON.readValue(json.replace(demoName, realmName), RealmRepresentation.class);
            // The shipped subscription points at scripts/run.sh's receiver; a test brings its own receivers.
            realm.getComponents()
                    .getOrDefault("org.keycloak.services.ui.extend.UiPageProvider", java.util.List.of())
                    .removeIf(component -> "onboarding-webhook".equals(component.getProviderId()));
            return realm;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** A representation from JSON, ignoring fields this admin client does not know. */
    public static <T> T parse(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + type.getSimpleName(), e);
        }
    }

    public static RealmResource create(RealmRepresentation realm) {
        KeycloakTestServer.admin().realms().create(realm);
        return KeycloakTestServer.admin().realm(realm.getRealm());
    }

    /** Creates an enabled user with a permanent password and the given realm roles; returns its id. */
    public static String createUser(RealmResource realm, String username, String password, String... realmRoles) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@example.com");
        user.setEmailVerified(true);
        user.setFirstName(username);
        user.setLastName("Test");
        user.setEnabled(true);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        user.setCredentials(List.of(credential));
        String id;
        try (Response response = realm.users().create(user)) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException("Creating user " + username + " failed: HTTP " + response.getStatus()
                        + " " + response.readEntity(String.class));
            }
            id = idFromLocation(response);
        }
        if (realmRoles.length > 0) {
            List<RoleRepresentation> roles = java.util.Arrays.stream(realmRoles)
                    .map(role -> realm.roles().get(role).toRepresentation())
                    .toList();
            realm.users().get(id).roles().realmLevel().add(roles);
        }
        return id;
    }

    /** A confidential client with the standard flow and direct grants, redirecting to any localhost URL. */
    public static String createConfidentialClient(RealmResource realm, String clientId, String secret) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setEnabled(true);
        client.setPublicClient(false);
        client.setSecret(secret);
        client.setStandardFlowEnabled(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setRedirectUris(List.of("http://localhost/*"));
        try (Response response = realm.clients().create(client)) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException(
                        "Creating client " + clientId + " failed: HTTP " + response.getStatus());
            }
            return idFromLocation(response);
        }
    }

    private static String idFromLocation(Response response) {
        String path = response.getLocation().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}

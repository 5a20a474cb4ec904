package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.keycloak.support.Users;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Who an audit actor is, for people: a user's username, a system actor's name; each looked up once per request. */
public final class ActorNames {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Map<String, String> known = new HashMap<>();

    public ActorNames(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** A deleted user stays visible by id: the trail must not lose who did something. */
    public String of(String actor) {
        if (actor == null || Actors.isSystem(actor)) {
            return actor;
        }
        return known.computeIfAbsent(
                actor,
                id -> Optional.ofNullable(Users.username(session, realm, id)).orElse(id));
    }
}

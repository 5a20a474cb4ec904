package io.github.onboardingguard.keycloak.cases;

import java.util.List;
import java.util.Optional;
import org.keycloak.Config;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/** Who administers a realm: never put on onboarding, so the realm's administration never waits for a verification. */
public final class Administrators {

    private static final List<String> ADMINISTRATION = List.of("realm-admin", "manage-realm", "manage-users");

    private Administrators() {}

    /** The role by which {@code user} administers {@code realm} (directly, by a composite or a group), if any. */
    public static Optional<String> roleOf(RealmModel realm, UserModel user) {
        boolean adminRealm = realm.getName().equals(Config.getAdminRealm());
        ClientModel management = realm.getClientByClientId(
                adminRealm ? realm.getName() + "-realm" : Constants.REALM_MANAGEMENT_CLIENT_ID);
        if (management != null) {
            for (String name : ADMINISTRATION) {
                RoleModel role = management.getRole(name);
                if (role != null && user.hasRole(role)) {
                    return Optional.of(management.getClientId() + "/" + name);
                }
            }
        }
        RoleModel admin = adminRealm ? realm.getRole("admin") : null;
        return admin != null && user.hasRole(admin) ? Optional.of("admin") : Optional.empty();
    }
}

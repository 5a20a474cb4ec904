package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.Stage;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Who may vouch for a hire: the same rules whether an admin names the sponsor or HR's attribute does. */
public final class Sponsors {

    private Sponsors() {}

    /** Why {@code sponsor} (as {@code named}) may not sponsor the hire {@code hireUsername}, or empty. */
    public static Optional<String> refusal(
            KeycloakSession session, RealmModel realm, UserModel sponsor, String named, String hireUsername) {
        if (!sponsor.isEnabled()) {
            return Optional.of("Sponsor '" + named + "' is disabled");
        }
        if (hireUsername != null && sponsor.getUsername().equalsIgnoreCase(hireUsername)) {
            return Optional.of("A hire cannot be their own sponsor");
        }
        if (new CaseLookup(session, realm)
                .caseOf(sponsor)
                .map(c -> c.getStage() != Stage.VERIFIED)
                .orElse(false)) {
            return Optional.of("Sponsor '" + named + "' is not verified yet and cannot vouch for a hire");
        }
        return Optional.empty();
    }
}

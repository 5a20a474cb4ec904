package io.github.onboardingguard.keycloak.cases;

import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Emails a hire's sponsor about their case through Keycloak's email sender and the email theme. */
public final class SponsorNotifications {

    private static final Logger LOG = Logger.getLogger(SponsorNotifications.class);

    private SponsorNotifications() {
    }

    /**
     * Best effort: the case change it reports is already decided and must not depend on the mail
     * server, so failures are logged, not thrown.
     *
     * @param attributes template attributes besides {@code hireName} and {@code hireUsername}
     */
    public static void send(KeycloakSession session, RealmModel realm, OnboardingCaseEntity onboardingCase,
                            String subjectKey, String template, Map<String, Object> attributes) {
        if (onboardingCase.getSponsorId() == null) {
            return;
        }
        UserModel sponsor = session.users().getUserById(realm, onboardingCase.getSponsorId());
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (sponsor == null || sponsor.getEmail() == null || hire == null) {
            return;
        }
        String hireName = displayName(hire);
        // Mutable: the template provider adds its own attributes. The language comes from the
        // sponsor's profile or the realm default, not from the request of whoever caused this.
        Map<String, Object> all = new HashMap<>(attributes);
        all.put("hireName", hireName);
        all.put("hireUsername", hire.getUsername());
        all.put(Constants.IGNORE_ACCEPT_LANGUAGE_HEADER, true);
        try {
            session.getProvider(EmailTemplateProvider.class)
                    .setRealm(realm)
                    .setUser(sponsor)
                    .send(subjectKey, List.of(hireName), template, all);
        } catch (EmailException | RuntimeException e) {
            LOG.warnf(e, "Could not email sponsor %s about case %s (%s)", sponsor.getUsername(), onboardingCase.getId(), template);
        }
    }

    public static String displayName(UserModel user) {
        String first = user.getFirstName();
        String last = user.getLastName();
        String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
        return name.isEmpty() ? user.getUsername() : name;
    }
}

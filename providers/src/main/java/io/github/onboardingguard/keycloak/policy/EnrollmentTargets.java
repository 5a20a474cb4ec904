package io.github.onboardingguard.keycloak.policy;

import io.github.onboardingguard.enrollment.EnrollmentRule;
import io.github.onboardingguard.enrollment.EnrollmentSettings;
import io.github.onboardingguard.enrollment.ProvisioningPath;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.storage.UserStorageProvider;

/**
 * What an enrollment rule names must exist in the realm when the policy is saved: a rule for a
 * misspelt identity provider would enroll nobody, silently.
 */
public final class EnrollmentTargets {

    private EnrollmentTargets() {}

    public static List<String> unknown(KeycloakSession session, RealmModel realm, EnrollmentSettings enrollment) {
        List<String> problems = new ArrayList<>();
        check(session, realm, EnrollmentSettings.RULES, enrollment.rules(), problems);
        check(session, realm, EnrollmentSettings.EXEMPT, enrollment.exempt(), problems);
        return problems;
    }

    /** The realm's organization with that alias; none while the realm's organizations are off. */
    public static OrganizationModel organization(KeycloakSession session, RealmModel realm, String alias) {
        if (!realm.isOrganizationsEnabled()) {
            return null;
        }
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        return organizations == null ? null : organizations.getByAlias(alias);
    }

    private static void check(
            KeycloakSession session,
            RealmModel realm,
            String setting,
            List<EnrollmentRule> rules,
            List<String> problems) {
        for (EnrollmentRule rule : rules) {
            String prefix = setting + ": '" + rule.text() + "': ";
            if (rule.source() != null
                    && rule.path() == ProvisioningPath.IDENTITY_PROVIDER
                    && session.identityProviders().getByAlias(rule.source()) == null) {
                problems.add(prefix + "no identity provider '" + rule.source() + "'");
            }
            if (rule.source() != null
                    && rule.path() == ProvisioningPath.FEDERATION
                    && realm.getComponentsStream(realm.getId(), UserStorageProvider.class.getName())
                            .noneMatch(c -> rule.source().equals(c.getName()))) {
                problems.add(prefix + "no user federation provider named '" + rule.source() + "'");
            }
            if (rule.group() != null && KeycloakModelUtils.findGroupByPath(session, realm, rule.group()) == null) {
                problems.add(prefix + "no group '" + rule.group() + "'");
            }
            if (rule.organization() != null && organization(session, realm, rule.organization()) == null) {
                problems.add(prefix + "no organization '" + rule.organization() + "'"
                        + (realm.isOrganizationsEnabled() ? "" : " (organizations are off in this realm)"));
            }
        }
    }
}

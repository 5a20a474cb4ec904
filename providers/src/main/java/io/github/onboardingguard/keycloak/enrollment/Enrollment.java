package io.github.onboardingguard.keycloak.enrollment;

import io.github.onboardingguard.enrollment.EnrollmentRule;
import io.github.onboardingguard.enrollment.EnrollmentSettings;
import io.github.onboardingguard.enrollment.NewUser;
import io.github.onboardingguard.enrollment.ProvisioningPath;
import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.cases.Administrators;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.Sponsors;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.light.LightweightUserAdapter;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;

/**
 * Opens a case for a user the moment they are created, when the onboarding policy's enrollment
 * rules say so: however HR's systems or the hire themself created the account, it starts on
 * probation with everything it was provisioned with outside the allow-list held. Users that
 * existed before are never touched: this runs only for the creation itself.
 */
public final class Enrollment {

    private static final Logger LOG = Logger.getLogger(Enrollment.class);

    /** On an account whose enrollment waits for a group it gets in a later request; see {@link PendingEnrollment}. */
    public static final String PENDING_ATTRIBUTE = PendingEnrollment.ATTRIBUTE;

    private final KeycloakSession session;
    private final RealmModel realm;

    public Enrollment(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /**
     * A user was just created through {@code path}; opens their case if a rule covers them.
     *
     * @param source the identity provider's alias or the federation provider's name, or null
     * @param actor  who created them: an admin's id, or a system actor
     */
    public Optional<OnboardingCaseEntity> onCreated(
            UserModel user, ProvisioningPath path, String source, String actor) {
        Optional<OnboardingCaseEntity> opened = decide(user, path, source, actor);
        if (opened.isEmpty() && waitsForMembership(user, path, source)) {
            new PendingEnrollment(session, realm).mark(user, path, source);
        }
        return opened;
    }

    /**
     * Whether a rule for this path asks for a group or an organization the account may get only in a
     * later request: an identity provider's mapper, SCIM's group update after the user's creation, the
     * console's groups or organization members, an organization adding a registrant.
     */
    private boolean waitsForMembership(UserModel user, ProvisioningPath path, String source) {
        if (path == ProvisioningPath.FEDERATION) {
            return false;
        }
        return RealmPolicies.problem(session, realm).isEmpty()
                && RealmPolicies.of(session, realm).enrollment().rules().stream()
                        .anyMatch(rule -> rule.covers(path, source)
                                && (rule.organization() != null
                                        || (rule.group() != null && path != ProvisioningPath.REGISTRATION)))
                && new CaseLookup(session, realm).caseOf(user).isEmpty()
                && Administrators.roleOf(realm, user).isEmpty();
    }

    private Optional<OnboardingCaseEntity> decide(UserModel user, ProvisioningPath path, String source, String actor) {
        // A transient user (an identity provider without import) is new at every login and never stored.
        if (user == null
                || user.getServiceAccountClientLink() != null
                || LightweightUserAdapter.isLightweightUser(user)) {
            return Optional.empty();
        }
        if (RealmPolicies.problem(session, realm).isPresent()) {
            // The health check names the invalid policy; its rules cannot be read until it is fixed.
            LOG.warnf(
                    "Realm %s: user %s was created while the onboarding policy is invalid; enrollment rules not applied",
                    realm.getName(), user.getUsername());
            return Optional.empty();
        }
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        EnrollmentSettings enrollment = policy.enrollment();
        if (enrollment.rules().isEmpty()
                || new CaseLookup(session, realm).caseOf(user).isPresent()) {
            return Optional.empty();
        }
        Optional<String> administers = Administrators.roleOf(realm, user);
        if (administers.isPresent()) {
            // Never enrolled: the realm's administration must not wait for a verification.
            LOG.warnf(
                    "Realm %s: new user %s administers the realm (%s); enrollment rules not applied",
                    realm.getName(), user.getUsername(), administers.get());
            return Optional.empty();
        }
        Optional<EnrollmentRule> rule = enrollment.ruleFor(newUser(user, path, source));
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("path", path.token());
        if (source != null) {
            provenance.put("source", source);
        }
        provenance.put("rule", rule.get().text());
        UserModel sponsor = null;
        // A registrant writes their own attributes: the sponsor they name is not HR's word.
        if (path != ProvisioningPath.REGISTRATION
                && !enrollment.sponsorAttribute().isEmpty()) {
            SponsorLookup found = sponsorOf(user, enrollment.sponsorAttribute());
            sponsor = found.sponsor();
            if (found.why() != null) {
                provenance.put("sponsor", "none: " + found.why());
            }
        }
        long deadline = System.currentTimeMillis() + policy.probation().toMillis();
        OnboardingCaseEntity opened =
                new OnboardingCases(session, realm).open(user, sponsor, actor, deadline, List.of(), provenance);
        // Roles provisioned with the account (a mapper, SCIM, the realm's defaults) wait like later grants.
        HeldGrants held = new HeldGrants(session, realm);
        for (RoleModel role : user.getRoleMappingsStream().toList()) {
            held.holdIfRestricted(user, role);
        }
        return Optional.of(opened);
    }

    /**
     * Decides a pending enrollment again with what the account holds now.
     *
     * @param finalDecision nothing that arrives later counts as the account's creation any more: the
     *     identity provider's mappers have run, or the account has logged in
     * @return whether a case was opened
     */
    public boolean reconsiderPending(UserModel user, boolean finalDecision) {
        if (user.getFirstAttribute(PENDING_ATTRIBUTE) == null) {
            return false;
        }
        PendingEnrollment pending = new PendingEnrollment(session, realm);
        Optional<PendingEnrollment.Pending> waiting = pending.of(user);
        if (waiting.isEmpty()) {
            return false;
        }
        boolean opened = decide(user, waiting.get().path(), waiting.get().source(), Actors.ENROLLMENT)
                .isPresent();
        if (opened || finalDecision) {
            pending.clear(user);
        }
        return opened;
    }

    /** The path of {@code user}'s pending enrollment, if one was validly marked. */
    public Optional<ProvisioningPath> pendingPath(UserModel user) {
        return user.getFirstAttribute(PENDING_ATTRIBUTE) == null
                ? Optional.empty()
                : new PendingEnrollment(session, realm).of(user).map(PendingEnrollment.Pending::path);
    }

    private NewUser newUser(UserModel user, ProvisioningPath path, String source) {
        Set<String> groups =
                user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath).collect(Collectors.toSet());
        Set<String> organizations = Set.of();
        OrganizationProvider provider = session.getProvider(OrganizationProvider.class);
        if (realm.isOrganizationsEnabled() && provider != null) {
            organizations =
                    provider.getByMember(user).map(OrganizationModel::getAlias).collect(Collectors.toSet());
        }
        return new NewUser(path, source, groups, organizations, user.getAttributes());
    }

    private record SponsorLookup(UserModel sponsor, String why) {}

    /**
     * The sponsor HR named: the attribute's value as a user id (SCIM's enterprise {@code manager}),
     * username or email, who may vouch for a hire under the same rules as the API's.
     */
    private SponsorLookup sponsorOf(UserModel user, String attribute) {
        String named = user.getFirstAttribute(attribute);
        if (named == null || named.isBlank()) {
            return new SponsorLookup(null, "attribute " + attribute + " is empty");
        }
        String ref = named.trim();
        UserModel sponsor;
        try {
            // An address names its owner only: someone whose username looks like another's address never gets in.
            if (ref.contains("@")) {
                sponsor = session.users().getUserByEmail(realm, ref);
            } else {
                sponsor = session.users().getUserById(realm, ref);
                if (sponsor == null) {
                    sponsor = session.users().getUserByUsername(realm, ref);
                }
            }
        } catch (RuntimeException e) {
            // Two users with that email (a realm allowing duplicates), a directory that does not answer.
            LOG.warnf(
                    "Realm %s: sponsor '%s' of new user %s not resolved: %s",
                    realm.getName(), ref, user.getUsername(), e);
            return new SponsorLookup(null, "attribute " + attribute + " names no single user");
        }
        if (sponsor == null) {
            return new SponsorLookup(null, "attribute " + attribute + " names no user");
        }
        Optional<String> refusal = Sponsors.refusal(session, realm, sponsor, ref, user.getUsername());
        return refusal.map(why -> new SponsorLookup(null, why)).orElse(new SponsorLookup(sponsor, null));
    }
}

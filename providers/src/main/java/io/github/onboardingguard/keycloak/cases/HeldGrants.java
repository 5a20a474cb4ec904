package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.ModelToRepresentation;

/**
 * The grants a hire may not hold before verification: holding them on the case as they are made
 * (whatever the path: admin console, REST, import, mapper), the composite-aware allow-list, the
 * probationary role's guard, and applying what was held once the hire is verified. Grants applied
 * at verification come back here through Keycloak's {@code RoleGrantedEvent}: the stage is VERIFIED
 * on the case row by then (see {@link OnboardingCases#apply}), so they stand.
 */
public final class HeldGrants {

    private static final Logger LOG = Logger.getLogger(HeldGrants.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final CaseStore store;

    public HeldGrants(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = new CaseStore(session);
    }

    /**
     * A role was just granted to the user, by whatever path (admin console, REST, import, script).
     * While the case is not VERIFIED, a role outside the policy's allow-list is taken off again in
     * the same transaction and held on the case, to be applied at verification.
     *
     * @return the held grant, if this grant was held
     */
    public Optional<DeferredGrantEntity> holdIfRestricted(UserModel user, RoleModel role) {
        Optional<OnboardingCaseEntity> restricted =
                new CaseLookup(session, realm).caseOf(user).filter(c -> c.getStage() != Stage.VERIFIED);
        if (restricted.isEmpty() || allowedInProbation(role)) {
            return Optional.empty();
        }
        user.deleteRoleMapping(role);
        DeferredGrantEntity.Kind kind =
                role.isClientRole() ? DeferredGrantEntity.Kind.CLIENT_ROLE : DeferredGrantEntity.Kind.REALM_ROLE;
        return holdAnew(restricted.get(), kind, role.getId());
    }

    /** The grant held now, or empty when it was already waiting on the case: a repeat is taken off again, not signalled again. */
    private Optional<DeferredGrantEntity> holdAnew(
            OnboardingCaseEntity onboardingCase, DeferredGrantEntity.Kind kind, String targetId) {
        boolean waiting = onboardingCase.getDeferredGrants().stream()
                .anyMatch(g -> g.getKind() == kind && g.getTargetId().equals(targetId) && g.getAppliedAt() == null);
        DeferredGrantEntity held = hold(onboardingCase, kind, targetId, Actors.current(session));
        return waiting ? Optional.empty() : Optional.of(held);
    }

    /** The group counterpart of {@link #holdIfRestricted(UserModel, RoleModel)}: no group is open during probation. */
    public Optional<DeferredGrantEntity> holdIfRestricted(UserModel user, GroupModel group) {
        Optional<OnboardingCaseEntity> restricted =
                new CaseLookup(session, realm).caseOf(user).filter(c -> c.getStage() != Stage.VERIFIED);
        if (restricted.isEmpty() || isOrganizationMembership(group)) {
            return Optional.empty();
        }
        user.leaveGroup(group);
        return holdAnew(restricted.get(), DeferredGrantEntity.Kind.GROUP, group.getId());
    }

    /**
     * An organization's own group, which is how Keycloak records that a user is a member: who the
     * hire is, not a grant, so it stays (the organization's groups below it are held like any). One
     * that carries roles is a grant all the same.
     */
    static boolean isOrganizationMembership(GroupModel group) {
        return isOrganizationOwnGroup(group)
                && group.getRoleMappingsStream().findAny().isEmpty();
    }

    /** The hidden group Keycloak keeps an organization's members in (the parent of the organization's groups). */
    private static boolean isOrganizationOwnGroup(GroupModel group) {
        return group != null && group.getType() == GroupModel.Type.ORGANIZATION && group.getParentId() == null;
    }

    /**
     * The probationary role was just taken from the user (by an admin, a script, an import): while
     * the case is not VERIFIED it goes straight back on, and the attempt is audited.
     *
     * @return the case, if the role was put back
     */
    public Optional<OnboardingCaseEntity> keepProbationaryRole(UserModel user, RoleModel revoked) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (revoked.isClientRole() || !revoked.getName().equals(policy.probationaryRole())) {
            return Optional.empty();
        }
        // By the database, not the pre-check: the role the pre-check looks for is the one just removed.
        Optional<OnboardingCaseEntity> restricted =
                store.findByUser(realm.getId(), user.getId()).filter(c -> c.getStage() != Stage.VERIFIED);
        restricted.ifPresent(c -> {
            user.grantRole(revoked);
            AuditLog.append(
                    session,
                    realm.getId(),
                    Actors.current(session),
                    user.getId(),
                    "case.probationary_role_restored",
                    Map.of(
                            "caseId",
                            c.getId(),
                            "role",
                            revoked.getName(),
                            "stage",
                            c.getStage().name()));
        });
        return restricted;
    }

    /**
     * The probationary role, or a role the policy lets a hire hold before verification together
     * with everything it gives: a role is judged by all it reaches through its composites, since
     * Keycloak's admin API and {@code hasRole()} read the expanded roles from the database.
     */
    public boolean allowedInProbation(RoleModel role) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (isProbationaryRole(role, policy)) {
            return true;
        }
        if (!allowedByName(role, policy)) {
            return false;
        }
        Set<RoleModel> reached = new HashSet<>();
        collectComposites(role, reached);
        return reached.stream().allMatch(r -> isProbationaryRole(r, policy) || allowedByName(r, policy));
    }

    /** The first role {@code role} gives, itself included, that the allow-list does not name. */
    public Optional<RoleModel> firstOutsideAllowList(RoleModel role) {
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        Set<RoleModel> reached = new LinkedHashSet<>();
        reached.add(role);
        collectComposites(role, reached);
        return reached.stream()
                .filter(r -> !isProbationaryRole(r, policy) && !allowedByName(r, policy))
                .findFirst();
    }

    private static boolean isProbationaryRole(RoleModel role, OnboardingPolicy policy) {
        return !role.isClientRole() && role.getName().equals(policy.probationaryRole());
    }

    private boolean allowedByName(RoleModel role, OnboardingPolicy policy) {
        String clientId =
                role.isClientRole() && role.getContainer() instanceof ClientModel client ? client.getClientId() : null;
        RoleModel defaultRole = realm.getDefaultRole();
        return policy.allowsRoleInToken(clientId, role.getName(), defaultRole == null ? null : defaultRole.getName());
    }

    private static void collectComposites(RoleModel role, Set<RoleModel> reached) {
        role.getCompositesStream().forEach(child -> {
            if (reached.add(child)) {
                collectComposites(child, reached);
            }
        });
    }

    /**
     * A role's composites changed: every hire not yet verified who holds a role that now gives more than the
     * allow-list has it held on the case, as if it had just been granted.
     *
     * @return the grants held now, with their users
     */
    public List<Map.Entry<UserModel, DeferredGrantEntity>> holdWhatCompositesNowGive() {
        List<Map.Entry<UserModel, DeferredGrantEntity>> held = new ArrayList<>();
        for (OnboardingCaseEntity pending : store.notVerified(realm.getId())) {
            UserModel user = session.users().getUserById(realm, pending.getUserId());
            if (user == null) {
                continue;
            }
            for (RoleModel role : user.getRoleMappingsStream().toList()) {
                if (!allowedInProbation(role)) {
                    user.deleteRoleMapping(role);
                    DeferredGrantEntity.Kind kind = role.isClientRole()
                            ? DeferredGrantEntity.Kind.CLIENT_ROLE
                            : DeferredGrantEntity.Kind.REALM_ROLE;
                    holdAnew(pending, kind, role.getId()).ifPresent(grant -> held.add(Map.entry(user, grant)));
                }
            }
        }
        return held;
    }

    /** Back to probation: what the user holds beyond the allow-list goes back onto the case. */
    public void holdEverythingRestricted(OnboardingCaseEntity onboardingCase, UserModel user, String actor) {
        for (RoleModel role : user.getRoleMappingsStream().toList()) {
            if (!allowedInProbation(role)) {
                user.deleteRoleMapping(role);
                hold(
                        onboardingCase,
                        role.isClientRole()
                                ? DeferredGrantEntity.Kind.CLIENT_ROLE
                                : DeferredGrantEntity.Kind.REALM_ROLE,
                        role.getId(),
                        actor);
            }
        }
        for (GroupModel group : user.getGroupsStream().toList()) {
            if (isOrganizationMembership(group)) {
                continue;
            }
            user.leaveGroup(group);
            hold(onboardingCase, DeferredGrantEntity.Kind.GROUP, group.getId(), actor);
        }
    }

    /** Records a grant as held on the case (once, however often it is made again) and audits it. */
    DeferredGrantEntity hold(
            OnboardingCaseEntity onboardingCase, DeferredGrantEntity.Kind kind, String targetId, String actor) {
        Optional<DeferredGrantEntity> waiting = onboardingCase.getDeferredGrants().stream()
                .filter(g -> g.getKind() == kind && g.getTargetId().equals(targetId) && g.getAppliedAt() == null)
                .findFirst();
        if (waiting.isPresent()) {
            return waiting.get();
        }
        long now = System.currentTimeMillis();
        DeferredGrantEntity held = new DeferredGrantEntity();
        held.setId(UUID.randomUUID().toString());
        held.setOnboardingCase(onboardingCase);
        held.setKind(kind);
        held.setTargetId(targetId);
        held.setHeldBy(actor);
        held.setHeldAt(now);
        onboardingCase.getDeferredGrants().add(held);
        store.persist(held);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("kind", kind.name());
        details.put("grant", describe(realm, kind, targetId));
        details.put("targetId", targetId);
        details.put("stage", onboardingCase.getStage().name());
        AuditLog.append(session, realm.getId(), actor, onboardingCase.getUserId(), "case.grant_held", details);
        LOG.infof(
                "Held %s %s for user %s until their case %s is verified",
                kind, describe(realm, kind, targetId), onboardingCase.getUserId(), onboardingCase.getId());
        return held;
    }

    /** A grant as people read it: realm role name, "client/role", or group path. */
    public static String describe(RealmModel realm, DeferredGrantEntity.Kind kind, String targetId) {
        switch (kind) {
            case GROUP -> {
                GroupModel group = realm.getGroupById(targetId);
                return group == null ? "(deleted group " + targetId + ")" : ModelToRepresentation.buildGroupPath(group);
            }
            default -> {
                RoleModel role = realm.getRoleById(targetId);
                if (role == null) {
                    return "(deleted role " + targetId + ")";
                }
                return role.isClientRole() && role.getContainer() instanceof ClientModel client
                        ? client.getClientId() + "/" + role.getName()
                        : role.getName();
            }
        }
    }

    private static final String APPLYING_APPROVED_GRANTS = "onboarding-guard.applying-approved-grants";

    /**
     * Whether the grants being made now are deferred or held grants applied at verification: whoever
     * asked for them was checked when they were recorded, not the verifier whose result applies them.
     */
    public static boolean applyingApprovedGrants(KeycloakSession session) {
        return session.getAttribute(APPLYING_APPROVED_GRANTS) != null;
    }

    /**
     * The held grants are made while the session says so: the appointment check lets them pass (whoever
     * asked for them was checked when they were recorded, not the verifier whose result applies them).
     */
    void applyApproved(OnboardingCaseEntity onboardingCase, UserModel user) {
        session.setAttribute(APPLYING_APPROVED_GRANTS, Boolean.TRUE);
        try {
            applyDeferredGrants(onboardingCase, user);
        } finally {
            session.removeAttribute(APPLYING_APPROVED_GRANTS);
        }
    }

    private void applyDeferredGrants(OnboardingCaseEntity onboardingCase, UserModel user) {
        List<String> missing = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (DeferredGrantEntity grant : onboardingCase.getDeferredGrants()) {
            if (grant.getAppliedAt() != null) {
                // Applied at an earlier verification; what was taken back since is held anew.
                continue;
            }
            grant.setAppliedAt(now);
            switch (grant.getKind()) {
                case REALM_ROLE, CLIENT_ROLE -> {
                    RoleModel role = realm.getRoleById(grant.getTargetId());
                    if (role == null) {
                        missing.add(grant.getKind() + " " + grant.getTargetId());
                    } else {
                        user.grantRole(role);
                    }
                }
                case GROUP -> {
                    GroupModel group = realm.getGroupById(grant.getTargetId());
                    if (group == null) {
                        missing.add("GROUP " + grant.getTargetId());
                    } else {
                        user.joinGroup(group);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            LOG.warnf("Case %s: deferred grants no longer exist and were skipped: %s", onboardingCase.getId(), missing);
        }
    }
}

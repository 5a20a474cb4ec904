package io.github.onboardingguard.keycloak.admin;

import io.github.onboardingguard.keycloak.cases.Administrators;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.DeferredGrantEntity;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.UserSessions;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.verification.Appointments;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import java.util.List;
import java.util.Map;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.storage.StorageId;

/**
 * Putting a user who already exists on onboarding: what they hold beyond probation is taken off and
 * held on the case, their sessions end. Taking a grant away is judged like giving it: an admin may
 * adopt only a user whose every restricted role they could map and every group they could manage.
 */
final class Adoptions {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    Adoptions(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    /** Refuses, before anything is written, an adoption of {@code user} the caller may not make. */
    void requireMayAdopt(UserModel user, String ref) {
        if (!auth.users().canManage(user)) {
            throw ApiError.forbiddenField("user", "You may not manage user '" + ref + "'");
        }
        if (user.getId().equals(auth.adminAuth().getUser().getId())) {
            throw ApiError.conflict("adoption_refused", "You cannot put yourself on onboarding");
        }
        if (user.getServiceAccountClientLink() != null) {
            throw ApiError.conflict("adoption_refused", "'" + ref + "' is a client's service account, not a person");
        }
        if (!StorageId.isLocalStorage(user.getId())) {
            throw ApiError.conflict(
                    "adoption_refused",
                    "'" + ref + "' belongs to a user federation that does not import its users, so Keycloak "
                            + "cannot take roles or groups from the account; turn on 'Import users' for that provider");
        }
        String administers = Administrators.roleOf(realm, user).orElse(null);
        if (administers != null) {
            throw ApiError.conflict(
                    "adoption_refused",
                    "'" + ref + "' administers this realm (" + administers + "); take that role away first, so "
                            + "the realm's administration never waits for a verification");
        }
        if (new CaseLookup(session, realm).caseOf(user).isPresent()) {
            throw ApiError.conflict("case_exists", "'" + ref + "' already has an onboarding case");
        }
        HeldGrants grants = new HeldGrants(session, realm);
        for (RoleModel role : user.getRoleMappingsStream().toList()) {
            if (!grants.allowedInProbation(role)
                    && (!auth.roles().canMapRole(role)
                            || (Appointments.reachesPrivileged(realm, role)
                                    && !auth.realm().canManageRealm()))) {
                throw ApiError.forbiddenField(
                        "user",
                        "'" + ref + "' holds role '" + describe(role) + "', which you may not grant, so you may not "
                                + "hold it back either");
            }
        }
        for (GroupModel group : user.getGroupsStream().toList()) {
            if (!auth.groups().canManageMembership(group)
                    || (Appointments.reachesPrivileged(realm, group)
                            && !auth.realm().canManageRealm())) {
                throw ApiError.forbiddenField(
                        "user",
                        "'" + ref + "' is in group '" + group.getName() + "', whose members you may not manage");
            }
        }
    }

    /** Opens the case ({@code INVITED}, or straight into {@code PROBATION}), holds what is restricted, ends sessions. */
    OnboardingCaseEntity adopt(UserModel user, UserModel sponsor, String actor, long deadline, Stage stage) {
        OnboardingCases cases = new OnboardingCases(session, realm);
        OnboardingCaseEntity adopted = cases.open(user, sponsor, actor, deadline, List.of(), Map.of("path", "adopted"));
        new HeldGrants(session, realm).holdEverythingRestricted(adopted, user, actor);
        if (stage == Stage.PROBATION) {
            cases.apply(adopted, StageEvent.FIRST_LOGIN, actor, "adopted on probation");
        }
        // Tokens issued before carry what is held now; the next login passes the gate.
        UserSessions.revokeAll(session, realm, user);
        return adopted;
    }

    private String describe(RoleModel role) {
        return HeldGrants.describe(
                realm,
                role.isClientRole() ? DeferredGrantEntity.Kind.CLIENT_ROLE : DeferredGrantEntity.Kind.REALM_ROLE,
                role.getId());
    }
}

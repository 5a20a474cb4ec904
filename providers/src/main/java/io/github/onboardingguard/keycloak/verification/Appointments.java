package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditEntryEntity;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.webhooks.WebhookOutbox;
import io.github.onboardingguard.verification.Appointment;
import io.github.onboardingguard.webhooks.WebhookEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Who holds the verifier and auditor roles, and who gave them. Keycloak fires a model event for
 * every role mapping and group membership, by any path; a grant that reaches one of these roles
 * (directly, through a composite or through a group) stands only if its maker may manage the realm
 * ({@link Appointment}), and every such grant, or refusal, goes into the audit trail, which is also
 * where separation of duties later reads who appointed a verifier.
 */
public final class Appointments {

    public static final String VERIFIER_ROLE = Appointment.VERIFIER_ROLE;
    public static final String AUDITOR_ROLE = Appointment.AUDITOR_ROLE;
    public static final String HELPDESK_ROLE = Appointment.HELPDESK_ROLE;
    public static final String GRANTED = "role.privileged_granted";
    public static final String REFUSED = "role.privileged_refused";
    private static final List<String> PRIVILEGED = List.of(VERIFIER_ROLE, AUDITOR_ROLE, HELPDESK_ROLE);
    private static final Logger LOG = Logger.getLogger(Appointments.class);

    private Appointments() {}

    /** Whether {@code role} gives a verifier or auditor role, itself or through its composites. */
    public static boolean reachesPrivileged(RealmModel realm, RoleModel role) {
        return !privilegedReached(realm, p -> p.equals(role) || role.hasRole(p)).isEmpty();
    }

    /** Whether membership of {@code group} gives a verifier or auditor role. */
    public static boolean reachesPrivileged(RealmModel realm, GroupModel group) {
        return !privilegedReached(realm, group::hasRole).isEmpty();
    }

    /** A role was just mapped to {@code grantee}, in the granting transaction. */
    public static void onRoleGranted(KeycloakSession session, RealmModel realm, UserModel grantee, RoleModel role) {
        List<String> reached = privilegedReached(realm, p -> p.equals(role) || role.hasRole(p));
        if (!reached.isEmpty()) {
            judge(
                    session,
                    realm,
                    grantee,
                    reached,
                    role.getContainer() instanceof ClientModel client
                            ? client.getClientId() + "/" + role.getName()
                            : role.getName());
        }
    }

    /** {@code grantee} just joined {@code group}, in the joining transaction. */
    public static void onGroupJoined(KeycloakSession session, RealmModel realm, UserModel grantee, GroupModel group) {
        List<String> reached = privilegedReached(realm, group::hasRole);
        if (!reached.isEmpty()) {
            judge(session, realm, grantee, reached, KeycloakModelUtils.buildGroupPath(group));
        }
    }

    /**
     * An admin changed a group through the admin API (its role mappings, its sub-groups, its place):
     * Keycloak fires no grant event for the members, so a group that now gives a privileged role is
     * judged here. Someone who may not manage the realm cannot have made that change: the request's
     * transaction is rolled back (the admin API has already answered, so the refusal is audited, sent
     * as a webhook and logged); a change that stands is audited as an appointment of every member.
     */
    public static void onGroupChanged(KeycloakSession session, RealmModel realm, String groupId) {
        GroupModel group = realm.getGroupById(groupId);
        if (group == null) {
            return;
        }
        List<GroupModel> affected = new ArrayList<>();
        collectGroupAndSubGroups(group, affected);
        List<String> reached = new ArrayList<>();
        for (GroupModel candidate : affected) {
            for (String role : privilegedReached(realm, candidate::hasRole)) {
                if (!reached.contains(role)) {
                    reached.add(role);
                }
            }
        }
        if (reached.isEmpty()) {
            return;
        }
        String actor = Actors.current(session);
        String granted = KeycloakModelUtils.buildGroupPath(group);
        if (outcome(session, realm, false) == Appointment.Outcome.ALLOWED) {
            for (GroupModel candidate : affected) {
                session.users().getGroupMembersStream(realm, candidate).forEach(member -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("roles", reached);
                    details.put("granted", granted);
                    details.put("selfGranted", actor.equals(member.getId()));
                    AuditLog.append(session, realm.getId(), actor, member.getId(), GRANTED, details);
                });
            }
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("roles", reached);
        details.put("granted", granted);
        details.put("selfGranted", false);
        details.put("groupChange", true);
        recordRefusal(session, realm, actor, null, details);
        session.getTransactionManager().setRollbackOnly();
    }

    private static void collectGroupAndSubGroups(GroupModel group, List<GroupModel> into) {
        into.add(group);
        group.getSubGroupsStream().forEach(child -> collectGroupAndSubGroups(child, into));
    }

    /**
     * Whether the verifier's latest appointment as verifier was made by themself (the trail's
     * newest grant of the role to them). Admins with {@code manage-realm} may do that, but may then
     * not verify: a verifier is appointed by someone else. Appointments older than the trail's
     * retention, or made before this was recorded, count as made by someone else.
     */
    public static boolean selfAppointedVerifier(KeycloakSession session, RealmModel realm, String verifierId) {
        return new AuditStore(session)
                .newestContaining(realm.getId(), verifierId, GRANTED, "\"" + VERIFIER_ROLE + "\"")
                .map(AuditEntryEntity::getActor)
                .map(verifierId::equals)
                .orElse(false);
    }

    /** The decision for a grant reaching a privileged role, made by whoever sent this request. */
    private static Appointment.Outcome outcome(KeycloakSession session, RealmModel realm, boolean approvedEarlier) {
        Optional<Users.Bearer> bearer = Users.ofBearerToken(session);
        return Appointment.decide(true, bearer.isPresent(), requestByRealmManager(session, realm), approvedEarlier);
    }

    /** Whether the bearer token of this request belongs to someone who may manage {@code realm}. */
    public static boolean requestByRealmManager(KeycloakSession session, RealmModel realm) {
        return Users.ofBearerToken(session)
                .filter(b -> b.realm() != null && b.user() != null)
                .map(b -> managesRealm(realm, b.realm(), b.user()))
                .orElse(false);
    }

    /**
     * Keycloak's own rule for manage-realm: the realm's {@code realm-management} role for its own
     * admins, the realm's client in the master realm for server admins, nothing for other realms.
     * A realm whose master-realm client does not exist yet is being created by this very admin.
     */
    private static boolean managesRealm(RealmModel realm, RealmModel adminsRealm, UserModel admin) {
        ClientModel managing;
        if (adminsRealm.getId().equals(realm.getId())) {
            // The master realm manages itself through its own "master-realm" client.
            managing = Config.getAdminRealm().equals(realm.getName())
                    ? realm.getMasterAdminClient()
                    : realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        } else if (Config.getAdminRealm().equals(adminsRealm.getName())) {
            managing = realm.getMasterAdminClient();
            if (managing == null) {
                return true;
            }
        } else {
            return false;
        }
        RoleModel manageRealm = managing == null ? null : managing.getRole(AdminRoles.MANAGE_REALM);
        return manageRealm != null && admin.hasRole(manageRealm);
    }

    private static List<String> privilegedReached(RealmModel realm, Predicate<RoleModel> reaches) {
        List<String> reached = new ArrayList<>();
        for (String name : PRIVILEGED) {
            RoleModel privileged = realm.getRole(name);
            if (privileged != null && reaches.test(privileged)) {
                reached.add(name);
            }
        }
        return reached;
    }

    private static void judge(
            KeycloakSession session, RealmModel realm, UserModel grantee, List<String> reached, String granted) {
        Appointment.Outcome outcome = outcome(session, realm, HeldGrants.applyingApprovedGrants(session));
        String actor = Actors.current(session);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("roles", reached);
        details.put("granted", granted);
        details.put("selfGranted", actor.equals(grantee.getId()));
        if (outcome == Appointment.Outcome.ALLOWED) {
            AuditLog.append(session, realm.getId(), actor, grantee.getId(), GRANTED, details);
            return;
        }
        recordRefusal(session, realm, actor, grantee.getId(), details);
        // An error response alone would still commit the mapping made before this event.
        session.getTransactionManager().setRollbackOnly();
        throw ApiError.forbidden(
                "privileged_role",
                "Granting " + String.join(" or ", reached) + " (through '" + granted
                        + "') needs the manage-realm role of realm '" + realm.getName() + "'");
    }

    /** The refusal rolls the request back, so its trail entry and alert are written in a transaction of their own. */
    private static void recordRefusal(
            KeycloakSession session, RealmModel realm, String actor, String granteeId, Map<String, Object> details) {
        String realmId = realm.getId();
        Map<String, Object> alert = new LinkedHashMap<>(details);
        alert.put("actor", actor);
        alert.put("userId", granteeId);
        LOG.warnf(
                "Realm %s: refused a grant of %s through '%s' to %s by %s (no manage-realm)",
                realm.getName(),
                details.get("roles"),
                details.get("granted"),
                granteeId == null ? "the group's members" : "user " + granteeId,
                actor);
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), tx -> {
                RealmModel txRealm = tx.realms().getRealm(realmId);
                tx.getContext().setRealm(txRealm);
                AuditLog.append(tx, realmId, actor, granteeId, REFUSED, details);
                WebhookOutbox.publish(tx, txRealm, WebhookEvents.ROLE_PRIVILEGED_REFUSED, alert);
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not record the refused grant of %s to user %s", details.get("roles"), granteeId);
        }
    }
}

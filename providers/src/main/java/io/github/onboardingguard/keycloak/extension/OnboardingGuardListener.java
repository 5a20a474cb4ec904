package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.enrollment.ProvisioningPath;
import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditEvents;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.CaseRemovals;
import io.github.onboardingguard.keycloak.cases.FirstLogin;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.cases.Refusals;
import io.github.onboardingguard.keycloak.enrollment.Enrollment;
import io.github.onboardingguard.keycloak.invitations.InvitationActionTokenHandler;
import io.github.onboardingguard.keycloak.policy.PolicyChanges;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.recovery.Recoveries;
import io.github.onboardingguard.keycloak.risk.RiskMonitor;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.verification.Appointments;
import io.github.onboardingguard.keycloak.verification.PasskeyRegistrations;
import io.github.onboardingguard.keycloak.webhooks.PolicyReceiverMigration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.UserStoragePrivateUtil;
import org.keycloak.storage.UserStorageProvider;

/**
 * Hands the Keycloak events of users who may have a case to each capability: the first-login
 * transition, the audit trail, the risk rules. Everyone else stops at the first check.
 */
final class OnboardingGuardListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(OnboardingGuardListener.class);
    /** The resource path of a user's creation: {@code users/{id}}, or SCIM's {@code scim/v2/Users/{id}}. */
    private static final Pattern CREATED_USER = Pattern.compile("^(?:(scim/v2/Users/)|users/)([^/]+)$");

    private final KeycloakSession session;
    private final ListenerSettings settings;
    private final HoleWatch holeWatch;

    OnboardingGuardListener(KeycloakSession session, ListenerSettings settings, HoleWatch holeWatch) {
        this.session = session;
        this.settings = settings;
        this.holeWatch = holeWatch;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() == EventType.REGISTER) {
            enrollRegistered(event);
        }
        if (event.getError() == null && event.getType() != null) {
            // Whatever the step (password, OTP, passkey, profile, email), in a sign-in through a replaced link.
            InvitationActionTokenHandler.refuseIfReplaced(
                    session,
                    session.realms().getRealm(event.getRealmId()),
                    event.getUserId(),
                    event.getType().name());
        }
        // Token refreshes, code exchanges, userinfo: most events concern no capability; they cost nothing.
        if (event.getType() == null
                || !(AuditEvents.records(event.getType()) || RiskMonitor.watches(event.getType()))) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        UserModel user = onboardingUser(realm, event.getUserId());
        if (user == null) {
            return;
        }
        if (event.getType() == EventType.LOGIN) {
            FirstLogin.startProbation(session, realm, user, event.getClientId(), event.getSessionId());
        } else if (event.getType() == EventType.UPDATE_PROFILE) {
            keepMarker(realm, user);
            RiskMonitor.onProfileUpdate(session, realm, user, EventType.UPDATE_PROFILE.name(), user.getId());
        }
        AuditEvents.record(session, realm, event);
        Recoveries recoveries = new Recoveries(session, realm);
        recoveries.onUserEvent(user, event);
        recoveries.onLogin(user, event);
        PasskeyRegistrations.onEvent(session, realm, user, event);
        RiskMonitor.onEvent(session, realm, user, event, settings.countryRanges());
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        String path = event.getResourcePath();
        if (HoleWatch.watches(event.getResourceType())) {
            holeWatch.checkAfterCommit(session, event.getRealmId());
        }
        if (path != null && path.startsWith("components/")) {
            String actor = event.getAuthDetails() == null
                    ? null
                    : event.getAuthDetails().getUserId();
            // Who saves the onboarding policy (retention, rules, webhook) belongs in the trail it governs.
            PolicyChanges.noteActor(session, actor);
            if (event.getOperationType() != OperationType.DELETE) {
                // A policy created with an earlier version's alert webhook (an update cannot set it): it becomes a
                // subscription.
                RealmModel savedIn = session.realms().getRealm(event.getRealmId());
                if (PolicyReceiverMigration.pending(savedIn)) {
                    OnboardingGuardListenerFactory.moveFormerPolicyReceiver(
                            session, savedIn, actor == null ? Actors.UNKNOWN : actor);
                }
            }
            if (event.getOperationType() == OperationType.DELETE) {
                // Sent before the component goes: a user federation provider takes its imported users with it,
                // without a per-user event.
                RealmModel realm = session.realms().getRealm(event.getRealmId());
                ComponentModel component = realm.getComponent(path.split("/")[1]);
                if (component != null && UserStorageProvider.class.getName().equals(component.getProviderType())) {
                    // Refused (rolled back) while a hire of it has an open case; Keycloak still answers 204.
                    new CaseRemovals(session, realm)
                            .deleteCasesOfFederation(component.getId(), actor == null ? Actors.UNKNOWN : actor);
                }
            }
            return;
        }
        if (path != null && path.endsWith("/composites") && event.getOperationType() == OperationType.CREATE) {
            // A role now gives more: hires who hold it are judged again, as if it had just been granted.
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            new HeldGrants(session, realm)
                    .holdWhatCompositesNowGive()
                    .forEach(held -> RiskMonitor.onHeldGrant(session, realm, held.getKey(), held.getValue()));
            return;
        }
        if (path != null && path.startsWith("groups/") && event.getOperationType() != OperationType.DELETE) {
            // Group role mappings and moves fire no grant event for the members: judged here.
            Appointments.onGroupChanged(session, session.realms().getRealm(event.getRealmId()), path.split("/")[1]);
            return;
        }
        if (event.getOperationType() == OperationType.CREATE) {
            enrollCreated(event);
        }
        if (path == null || !path.startsWith("users/")) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        boolean userUpdate =
                event.getOperationType() == OperationType.UPDATE && event.getResourceType() == ResourceType.USER;
        String actor =
                event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId();
        if (userUpdate && refusedFederationLink(realm, path.split("/")[1], actor)) {
            // Rolled back: nothing of this update stands, so nothing else of it is judged.
            return;
        }
        UserModel user = onboardingUser(realm, path.split("/")[1]);
        if (user == null && userUpdate) {
            // The update may have taken away what marks the user (a verified hire has no probationary role):
            // the database decides. Admin updates of users are rare enough for the query.
            user = userWithCase(realm, path.split("/")[1]);
        }
        if (user == null) {
            return;
        }
        AuditEvents.record(session, realm, user, event, includeRepresentation);
        if (changesCredentials(path, event.getOperationType())
                || userUpdate && new Recoveries(session, realm).credentialsChangedBy(user)) {
            new Recoveries(session, realm).onAdminCredentialChange(user, actor == null ? Actors.UNKNOWN : actor, path);
            RiskMonitor.onAdminCredentialChange(
                    session,
                    realm,
                    user,
                    event.getAuthDetails() == null
                            ? null
                            : event.getAuthDetails().getUserId(),
                    path);
        }
        if (userUpdate) {
            keepMarker(realm, user);
            RiskMonitor.onProfileUpdate(session, realm, user, RiskMonitor.ADMIN_UPDATE, actor);
            RiskMonitor.onAdminUpdate(session, realm, user, actor);
        }
    }

    /**
     * Whether the update linked a hire's account to a user federation provider it did not come from, and
     * was refused. Read from the realm's own user store, before anything asks Keycloak's user storage:
     * a link to a provider that does not hold the account makes that lookup remove the account.
     */
    private boolean refusedFederationLink(RealmModel realm, String userId, String actor) {
        UserModel stored = UserStoragePrivateUtil.userLocalStorage(session).getUserById(realm, userId);
        // No pre-check on the marker: the same update may take it away (a suspended verified hire has no
        // probationary role). Only accounts with a federation link cost the case query.
        return stored != null
                && new CaseRemovals(session, realm)
                        .refuseForeignFederationLink(stored, actor == null ? Actors.UNKNOWN : actor);
    }

    private void keepMarker(RealmModel realm, UserModel user) {
        CaseLookup cases = new CaseLookup(session, realm);
        cases.restoreMarker(user)
                .ifPresent(c -> RiskMonitor.onTampering(session, realm, user, c, "case marker attribute"));
        cases.restoreNarrowedAt(user)
                .ifPresent(c -> RiskMonitor.onTampering(session, realm, user, c, "narrowing time attribute"));
    }

    /**
     * The event's user if they could have a case. Everyone else stops here, after a look at the
     * cached user and without a database query: the listener's whole cost for them.
     */
    private UserModel onboardingUser(RealmModel realm, String userId) {
        if (realm == null || userId == null) {
            return null;
        }
        UserModel user = session.users().getUserById(realm, userId);
        return user != null && CaseLookup.mayHaveCase(user, RealmPolicies.of(session, realm), realm) ? user : null;
    }

    /** Admin API paths that change what a user signs in with. */
    private static boolean changesCredentials(String path, OperationType operation) {
        return path.endsWith("/reset-password")
                || path.endsWith("/disable-credential-types")
                || path.contains("/credentials/") && operation == OperationType.DELETE
                // An identity provider's account linked by an admin signs in as the user.
                || path.contains("/federated-identity/") && operation == OperationType.CREATE;
    }

    private UserModel userWithCase(RealmModel realm, String userId) {
        UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
        return user != null && new CaseLookup(session, realm).fromDatabase(user).isPresent() ? user : null;
    }

    @Override
    public void close() {}

    /**
     * A user the admin API, a partial import or the SCIM API just created: the enrollment rules decide,
     * in the creating transaction. Only the creation itself counts: other CREATE events below a user
     * (a federated identity, a credential) name an existing user.
     */
    private void enrollCreated(AdminEvent event) {
        Matcher created = CREATED_USER.matcher(event.getResourcePath() == null ? "" : event.getResourcePath());
        if (!created.matches()) {
            return;
        }
        // A partial import reports the users it created under the realm.
        boolean partialImport = event.getResourceType() == ResourceType.REALM && created.group(1) == null;
        if (event.getResourceType() != ResourceType.USER && !partialImport) {
            return;
        }
        ProvisioningPath path = created.group(1) == null ? ProvisioningPath.ADMIN : ProvisioningPath.SCIM;
        String actor =
                event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId();
        enroll(
                session.realms().getRealm(event.getRealmId()),
                created.group(2),
                path,
                null,
                actor == null ? Actors.ENROLLMENT : actor);
    }

    /** Self-registration, or the first login through an identity provider (Keycloak calls both REGISTER). */
    private void enrollRegistered(Event event) {
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        String alias = details.get(Details.IDENTITY_PROVIDER);
        boolean brokered = "broker".equals(details.get(Details.REGISTER_METHOD)) || alias != null;
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (brokered && realm != null && event.getUserId() != null) {
            UserModel user = session.users().getUserById(realm, event.getUserId());
            if (user == null) {
                return;
            }
            guarded(realm, event.getUserId(), ProvisioningPath.IDENTITY_PROVIDER, () -> {
                Enrollment enrollment = new Enrollment(session, realm);
                if (user.getFirstAttribute(Enrollment.PENDING_ATTRIBUTE) == null) {
                    // A first broker login flow without the gate: decided here.
                    enrollment.onCreated(user, ProvisioningPath.IDENTITY_PROVIDER, alias, Actors.ENROLLMENT);
                }
                // The provider's mappers have run: what the account holds now decides, for good.
                enrollment.reconsiderPending(user, true);
            });
            return;
        }
        enroll(realm, event.getUserId(), ProvisioningPath.REGISTRATION, null, Actors.ENROLLMENT);
    }

    /**
     * A failure must not leave the new account without the case a rule gives it: the creating
     * transaction is refused instead (Keycloak swallows a listener's exception).
     */
    private void enroll(RealmModel realm, String userId, ProvisioningPath path, String source, String actor) {
        if (realm == null || userId == null) {
            return;
        }
        guarded(
                realm,
                userId,
                path,
                () -> new Enrollment(session, realm)
                        .onCreated(session.users().getUserById(realm, userId), path, source, actor));
    }

    private void guarded(RealmModel realm, String userId, ProvisioningPath path, Runnable enrollment) {
        try {
            enrollment.run();
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "Realm %s: could not enroll new user %s (%s); the creation is refused",
                    realm.getName(),
                    userId,
                    path.token());
            Refusals.atCommit(
                    session,
                    ApiError.conflict(
                            "enrollment_failed",
                            "The new user could not be enrolled in onboarding; nothing was created"));
        }
    }
}

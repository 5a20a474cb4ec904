package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditEvents;
import io.github.onboardingguard.keycloak.cases.FirstLogin;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.policy.PolicyChanges;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.risk.RiskMonitor;
import io.github.onboardingguard.keycloak.verification.Appointments;
import org.keycloak.component.ComponentModel;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.UserStorageProvider;

/**
 * Hands the Keycloak events of users who may have a case to each capability: the first-login
 * transition, the audit trail, the risk rules. Everyone else stops at the first check.
 */
final class OnboardingGuardListener implements EventListenerProvider {

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
            if (event.getOperationType() == OperationType.DELETE) {
                // Sent before the component goes: a user federation provider takes its imported users with it,
                // without a per-user event.
                RealmModel realm = session.realms().getRealm(event.getRealmId());
                ComponentModel component = realm.getComponent(path.split("/")[1]);
                if (component != null && UserStorageProvider.class.getName().equals(component.getProviderType())) {
                    // Refused (rolled back) while a hire of it has an open case; Keycloak still answers 204.
                    new OnboardingCases(session, realm)
                            .deleteCasesOfFederation(component.getId(), actor == null ? Actors.UNKNOWN : actor);
                }
            }
            return;
        }
        if (path != null && path.endsWith("/composites") && event.getOperationType() == OperationType.CREATE) {
            // A role now gives more: hires who hold it are judged again, as if it had just been granted.
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            new OnboardingCases(session, realm)
                    .holdWhatCompositesNowGive()
                    .forEach(held -> RiskMonitor.onHeldGrant(session, realm, held.getKey(), held.getValue()));
            return;
        }
        if (path != null && path.startsWith("groups/") && event.getOperationType() != OperationType.DELETE) {
            // Group role mappings and moves fire no grant event for the members: judged here.
            Appointments.onGroupChanged(session, session.realms().getRealm(event.getRealmId()), path.split("/")[1]);
            return;
        }
        if (path == null || !path.startsWith("users/")) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        boolean userUpdate =
                event.getOperationType() == OperationType.UPDATE && event.getResourceType() == ResourceType.USER;
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
        if (changesCredentials(path, event.getOperationType())) {
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
            String actor = event.getAuthDetails() == null
                    ? null
                    : event.getAuthDetails().getUserId();
            if (new OnboardingCases(session, realm)
                    .refuseForeignFederationLink(user, actor == null ? Actors.UNKNOWN : actor)) {
                // Rolled back: nothing of this update stands, so nothing else of it is judged.
                return;
            }
            keepMarker(realm, user);
            RiskMonitor.onProfileUpdate(session, realm, user, RiskMonitor.ADMIN_UPDATE, actor);
            RiskMonitor.onAdminUpdate(session, realm, user, actor);
        }
    }

    private void keepMarker(RealmModel realm, UserModel user) {
        OnboardingCases cases = new OnboardingCases(session, realm);
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
        return user != null && OnboardingCases.mayHaveCase(user, RealmPolicies.of(session, realm), realm) ? user : null;
    }

    /** Admin API paths that change what a user signs in with. */
    private static boolean changesCredentials(String path, OperationType operation) {
        return path.endsWith("/reset-password")
                || path.endsWith("/disable-credential-types")
                || path.contains("/credentials/") && operation == OperationType.DELETE;
    }

    private UserModel userWithCase(RealmModel realm, String userId) {
        UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
        return user != null
                        && new OnboardingCases(session, realm)
                                .store()
                                .findByUser(realm.getId(), user.getId())
                                .isPresent()
                ? user
                : null;
    }

    @Override
    public void close() {}
}

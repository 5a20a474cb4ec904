package io.github.onboardingguard.keycloak.extension;

import io.github.onboardingguard.keycloak.audit.AuditEvents;
import io.github.onboardingguard.keycloak.cases.FirstLogin;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.policy.PolicyChanges;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.risk.RiskMonitor;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Hands the Keycloak events of users who may have a case to each capability: the first-login
 * transition, the audit trail, the risk rules. Everyone else stops at the first check.
 */
final class OnboardingGuardListener implements EventListenerProvider {

    private final KeycloakSession session;
    private final ListenerSettings settings;

    OnboardingGuardListener(KeycloakSession session, ListenerSettings settings) {
        this.session = session;
        this.settings = settings;
    }

    @Override
    public void onEvent(Event event) {
        // Token refreshes, code exchanges, userinfo: most events concern no capability; they cost nothing.
        if (event.getType() == null || !(AuditEvents.records(event.getType()) || RiskMonitor.watches(event.getType()))) {
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
        if (path != null && path.startsWith("components/")) {
            // Who saves the onboarding policy (retention, rules, webhook) belongs in the trail it governs.
            PolicyChanges.noteActor(session, event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId());
            return;
        }
        if (path == null || !path.startsWith("users/")) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        UserModel user = onboardingUser(realm, path.split("/")[1]);
        if (user == null) {
            return;
        }
        AuditEvents.record(session, realm, user, event, includeRepresentation);
        if (event.getOperationType() == OperationType.UPDATE && event.getResourceType() == ResourceType.USER) {
            keepMarker(realm, user);
            RiskMonitor.onProfileUpdate(session, realm, user, RiskMonitor.ADMIN_UPDATE,
                    event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId());
        }
    }

    private void keepMarker(RealmModel realm, UserModel user) {
        new OnboardingCases(session, realm).restoreMarker(user)
                .ifPresent(c -> RiskMonitor.onTampering(session, realm, user, c, "case marker attribute"));
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

    @Override
    public void close() {
    }
}

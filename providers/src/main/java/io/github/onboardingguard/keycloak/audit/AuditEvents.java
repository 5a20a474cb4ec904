package io.github.onboardingguard.keycloak.audit;

import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Puts the Keycloak events of onboarding users into the audit chain: their logins, failures and
 * account changes, and what admins do to them. The listener passes only users who may have a case.
 */
public final class AuditEvents {

    /** Login and account events worth an auditor's time; token refreshes are deliberately left out. */
    static final Set<String> USER_EVENTS = Set.of("LOGIN", "LOGIN_ERROR", "LOGOUT", "LOGOUT_ERROR", "UPDATE_EMAIL",
            "UPDATE_PASSWORD", "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL", "UPDATE_PROFILE", "RESET_PASSWORD",
            "SEND_RESET_PASSWORD", "VERIFY_EMAIL", "UPDATE_TOTP", "REMOVE_TOTP", "CUSTOM_REQUIRED_ACTION",
            "IMPERSONATE", "TOKEN_EXCHANGE", "FEDERATED_IDENTITY_LINK", "REMOVE_FEDERATED_IDENTITY", "DELETE_ACCOUNT");
    static final Set<ResourceType> ADMIN_RESOURCES = Set.of(ResourceType.USER, ResourceType.REALM_ROLE_MAPPING,
            ResourceType.CLIENT_ROLE_MAPPING, ResourceType.GROUP_MEMBERSHIP, ResourceType.USER_SESSION);

    private AuditEvents() {
    }

    /** Whether events of this type go into the trail. */
    public static boolean records(EventType type) {
        return USER_EVENTS.contains(type.name());
    }

    /** @param realm the event's realm; the caller has checked that the user has a case */
    public static void record(KeycloakSession session, RealmModel realm, Event event) {
        if (event.getType() == null || !USER_EVENTS.contains(event.getType().name())) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("clientId", event.getClientId());
        details.put("ipAddress", event.getIpAddress());
        details.put("error", event.getError());
        if (event.getDetails() != null) {
            details.put("details", new LinkedHashMap<>(event.getDetails()));
        }
        AuditLog.append(session, realm.getId(), event.getUserId(), event.getUserId(), "login." + event.getType().name(), details);
    }

    /** @param user the user the admin acted on; the caller has checked that they have a case */
    public static void record(KeycloakSession session, RealmModel realm, UserModel user, AdminEvent event,
                              boolean includeRepresentation) {
        if (event.getResourceType() == null || !ADMIN_RESOURCES.contains(event.getResourceType())) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operation", event.getOperationType().name());
        details.put("resourceType", event.getResourceType().name());
        details.put("resourcePath", event.getResourcePath());
        details.put("ipAddress", event.getAuthDetails() == null ? null : event.getAuthDetails().getIpAddress());
        if (includeRepresentation && event.getRepresentation() != null) {
            details.put("representation", event.getRepresentation());
        }
        String actor = event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId();
        AuditLog.append(session, realm.getId(), actor, user.getId(),
                "admin." + event.getResourceType().name().toLowerCase(java.util.Locale.ROOT) + "."
                        + event.getOperationType().name().toLowerCase(java.util.Locale.ROOT), details);
    }
}

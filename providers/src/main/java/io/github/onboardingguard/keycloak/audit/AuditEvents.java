package io.github.onboardingguard.keycloak.audit;

import io.github.onboardingguard.risk.AddressPrefix;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;

/**
 * Puts the Keycloak events of onboarding users into the audit chain: their logins, failures and
 * account changes, and what admins do to them. The listener passes only users who may have a case.
 */
public final class AuditEvents {

    /** Login and account events worth an auditor's time; token refreshes are deliberately left out. */
    static final Set<String> USER_EVENTS = Set.of(
            "LOGIN",
            "LOGIN_ERROR",
            "LOGOUT",
            "LOGOUT_ERROR",
            "UPDATE_EMAIL",
            "UPDATE_PASSWORD",
            "UPDATE_CREDENTIAL",
            "REMOVE_CREDENTIAL",
            "UPDATE_PROFILE",
            "RESET_PASSWORD",
            "SEND_RESET_PASSWORD",
            "VERIFY_EMAIL",
            "UPDATE_TOTP",
            "REMOVE_TOTP",
            "CUSTOM_REQUIRED_ACTION",
            "IMPERSONATE",
            "TOKEN_EXCHANGE",
            "JWT_AUTHORIZATION_GRANT",
            "FEDERATED_IDENTITY_LINK",
            "REMOVE_FEDERATED_IDENTITY",
            "DELETE_ACCOUNT");

    static final Set<ResourceType> ADMIN_RESOURCES = Set.of(
            ResourceType.USER,
            ResourceType.REALM_ROLE_MAPPING,
            ResourceType.CLIENT_ROLE_MAPPING,
            ResourceType.GROUP_MEMBERSHIP,
            ResourceType.USER_SESSION);

    private AuditEvents() {}

    /** Whether events of this type go into the trail. */
    public static boolean records(EventType type) {
        return USER_EVENTS.contains(type.name());
    }

    /**
     * How long failed logins of one user with one error are folded into the entry that opened the
     * window: anyone can send wrong passwords for a hire's username, and each entry takes the realm's
     * chain lock. The entry carries Keycloak's running count of failures instead.
     */
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
    /** Keycloak's error while its brute-force protection has locked the user: the attempt never reached a password check. */
    static final String LOCKED_OUT = "user_temporarily_disabled";

    /** @param realm the event's realm; the caller has checked that the user has a case */
    public static void record(KeycloakSession session, RealmModel realm, Event event) {
        if (event.getType() == null || !USER_EVENTS.contains(event.getType().name())) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (event.getType() == EventType.LOGIN_ERROR) {
            if (LOCKED_OUT.equals(event.getError()) || failureRecordedRecently(session, realm, event)) {
                return;
            }
            UserLoginFailureModel failures = event.getUserId() == null
                    ? null
                    : session.loginFailures().getUserLoginFailure(realm, event.getUserId());
            if (failures != null) {
                details.put("failuresSinceLastLogin", failures.getNumFailures());
            }
            details.put("foldedFor", FAILURE_WINDOW.toString());
        }
        details.put("clientId", event.getClientId());
        details.put("ipAddress", event.getIpAddress());
        details.put("error", event.getError());
        if (event.getDetails() != null) {
            details.put("details", new LinkedHashMap<>(event.getDetails()));
        }
        AuditLog.append(
                session,
                realm.getId(),
                event.getUserId(),
                event.getUserId(),
                "login." + event.getType().name(),
                details);
    }

    /**
     * An entry for this user, error, client and network within {@link #FAILURE_WINDOW}: this failure is
     * folded into it. Failures from another network get an entry of their own, so a stand-in's attempts
     * cannot hide among the hire's.
     */
    private static boolean failureRecordedRecently(KeycloakSession session, RealmModel realm, Event event) {
        long since = System.currentTimeMillis() - FAILURE_WINDOW.toMillis();
        String error = "\"error\":" + quoted(event.getError());
        String client = "\"clientId\":" + quoted(event.getClientId());
        String network = AddressPrefix.of(event.getIpAddress());
        AuditStore.Filter filter =
                new AuditStore.Filter(event.getUserId(), null, "login." + EventType.LOGIN_ERROR.name(), since, null);
        return new AuditStore(session)
                .newest(realm.getId(), filter, 20).stream()
                        .anyMatch(e -> e.getDetails().contains(error)
                                && e.getDetails().contains(client)
                                && Objects.equals(network, AddressPrefix.of(recordedAddress(e.getDetails()))));
    }

    private static final Pattern RECORDED_ADDRESS = Pattern.compile("\"ipAddress\":\"([^\"]*)\"");

    private static String recordedAddress(String details) {
        Matcher address = RECORDED_ADDRESS.matcher(details);
        return address.find() ? address.group(1) : null;
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** @param user the user the admin acted on; the caller has checked that they have a case */
    public static void record(
            KeycloakSession session,
            RealmModel realm,
            UserModel user,
            AdminEvent event,
            boolean includeRepresentation) {
        if (event.getResourceType() == null || !ADMIN_RESOURCES.contains(event.getResourceType())) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operation", event.getOperationType().name());
        details.put("resourceType", event.getResourceType().name());
        details.put("resourcePath", event.getResourcePath());
        details.put(
                "ipAddress",
                event.getAuthDetails() == null ? null : event.getAuthDetails().getIpAddress());
        if (includeRepresentation && event.getRepresentation() != null) {
            details.put("representation", event.getRepresentation());
        }
        String actor =
                event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId();
        AuditLog.append(
                session,
                realm.getId(),
                actor,
                user.getId(),
                "admin." + event.getResourceType().name().toLowerCase(java.util.Locale.ROOT) + "."
                        + event.getOperationType().name().toLowerCase(java.util.Locale.ROOT),
                details);
    }
}

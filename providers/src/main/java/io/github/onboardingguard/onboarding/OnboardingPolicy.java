package io.github.onboardingguard.onboarding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A realm's onboarding policy, parsed from the flat string settings the admin console stores.
 * Immutable; {@link #parse} refuses bad values with messages an admin can act on.
 */
public record OnboardingPolicy(
        int probationDays,
        String probationaryRole,
        Set<String> probationClients,
        Set<String> tokenRoleAllowList,
        boolean documentStepRequired,
        boolean dualControl) {

    public static final String PROBATION_DAYS = "probationDays";
    public static final String PROBATIONARY_ROLE = "probationaryRole";
    public static final String PROBATION_CLIENTS = "probationClients";
    public static final String TOKEN_ROLE_ALLOW_LIST = "tokenRoleAllowList";
    public static final String DOCUMENT_STEP_REQUIRED = "documentStepRequired";
    public static final String DUAL_CONTROL = "dualControl";

    public static final int MAX_PROBATION_DAYS = 365;
    public static final String DEFAULT_PROBATIONARY_ROLE = "onboarding-probationary";
    public static final Set<String> DEFAULT_PROBATION_CLIENTS = Set.of("account-console");
    public static final Set<String> DEFAULT_TOKEN_ROLE_ALLOW_LIST = Set.of(
            DEFAULT_PROBATIONARY_ROLE, "default-roles-*", "offline_access", "uma_authorization",
            "account/manage-account", "account/view-profile");

    /** Role names as Keycloak allows them, optionally "client/role", optionally ending in '*'. */
    private static final Pattern ROLE_PATTERN = Pattern.compile("^(?:[^/\\s]{1,255}/)?[^/\\s*]{1,255}\\*?$|^(?:[^/\\s]{1,255}/)?\\*$");
    private static final Pattern CLIENT_ID_PATTERN = Pattern.compile("^[^\\s]{1,255}$");

    public OnboardingPolicy {
        probationClients = Set.copyOf(probationClients);
        tokenRoleAllowList = Set.copyOf(tokenRoleAllowList);
    }

    public static OnboardingPolicy defaults() {
        return new OnboardingPolicy(30, DEFAULT_PROBATIONARY_ROLE, DEFAULT_PROBATION_CLIENTS,
                DEFAULT_TOKEN_ROLE_ALLOW_LIST, true, false);
    }

    public Duration probation() {
        return Duration.ofDays(probationDays);
    }

    public boolean allowsClient(String clientId) {
        return probationClients.contains(clientId);
    }

    /**
     * Whether a role may stay in a not-yet-verified user's token.
     *
     * @param clientId null for a realm role
     */
    public boolean allowsRoleInToken(String clientId, String roleName) {
        String qualified = clientId == null ? roleName : clientId + "/" + roleName;
        for (String entry : tokenRoleAllowList) {
            if (entry.endsWith("*") ? qualified.startsWith(entry.substring(0, entry.length() - 1)) && sameScope(entry, clientId)
                    : entry.equals(qualified)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameScope(String wildcardEntry, String clientId) {
        // "default-roles-*" matches realm roles only; "account/*" matches roles of client "account" only.
        return wildcardEntry.contains("/") == (clientId != null);
    }

    /** Parses the stored settings; a missing setting takes its default. */
    public static OnboardingPolicy parse(Map<String, List<String>> settings) {
        OnboardingPolicy defaults = defaults();
        List<String> problems = new ArrayList<>();

        int days = defaults.probationDays;
        String rawDays = single(settings, PROBATION_DAYS);
        if (rawDays != null) {
            try {
                days = Integer.parseInt(rawDays.trim());
                if (days < 1 || days > MAX_PROBATION_DAYS) {
                    problems.add(PROBATION_DAYS + " must be between 1 and " + MAX_PROBATION_DAYS + " days, was " + days);
                }
            } catch (NumberFormatException e) {
                problems.add(PROBATION_DAYS + " must be a whole number of days, was '" + rawDays + "'");
            }
        }

        String role = single(settings, PROBATIONARY_ROLE);
        if (role == null) {
            role = defaults.probationaryRole;
        } else if (role.isBlank() || role.contains("/") || role.contains("*") || role.length() > 255) {
            problems.add(PROBATIONARY_ROLE + " must be the name of one realm role, was '" + role + "'");
        }

        Set<String> clients = multi(settings, PROBATION_CLIENTS, defaults.probationClients);
        for (String client : clients) {
            if (!CLIENT_ID_PATTERN.matcher(client).matches()) {
                problems.add(PROBATION_CLIENTS + " entry '" + client + "' is not a client id");
            }
        }

        Set<String> allowList = multi(settings, TOKEN_ROLE_ALLOW_LIST, defaults.tokenRoleAllowList);
        for (String entry : allowList) {
            if (!ROLE_PATTERN.matcher(entry).matches()) {
                problems.add(TOKEN_ROLE_ALLOW_LIST + " entry '" + entry
                        + "' must be 'role', 'client/role', or end in '*' as a prefix");
            }
        }

        boolean documentStep = bool(settings, DOCUMENT_STEP_REQUIRED, defaults.documentStepRequired, problems);
        boolean dualControl = bool(settings, DUAL_CONTROL, defaults.dualControl, problems);

        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new OnboardingPolicy(days, role.trim(), clients, allowList, documentStep, dualControl);
    }

    /** The settings as the admin console stores them; {@code parse(toSettings())} gives this policy back. */
    public Map<String, List<String>> toSettings() {
        return Map.of(
                PROBATION_DAYS, List.of(Integer.toString(probationDays)),
                PROBATIONARY_ROLE, List.of(probationaryRole),
                PROBATION_CLIENTS, List.copyOf(probationClients),
                TOKEN_ROLE_ALLOW_LIST, List.copyOf(tokenRoleAllowList),
                DOCUMENT_STEP_REQUIRED, List.of(Boolean.toString(documentStepRequired)),
                DUAL_CONTROL, List.of(Boolean.toString(dualControl)));
    }

    private static String single(Map<String, List<String>> settings, String key) {
        List<String> values = settings.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Set<String> multi(Map<String, List<String>> settings, String key, Set<String> fallback) {
        List<String> values = settings.get(key);
        if (values == null) {
            return fallback;
        }
        Set<String> result = new LinkedHashSet<>();
        for (String value : values) {
            // The admin console stores a multivalued string as one value joined with "##".
            for (String part : value.split("##")) {
                if (!part.isBlank()) {
                    result.add(part.trim());
                }
            }
        }
        return result;
    }

    private static boolean bool(Map<String, List<String>> settings, String key, boolean fallback, List<String> problems) {
        String raw = single(settings, key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(key + " must be true or false, was '" + raw + "'");
                yield fallback;
            }
        };
    }
}

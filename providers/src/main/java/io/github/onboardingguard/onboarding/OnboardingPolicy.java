package io.github.onboardingguard.onboarding;

import io.github.onboardingguard.enrollment.EnrollmentRule;
import io.github.onboardingguard.enrollment.EnrollmentSettings;
import io.github.onboardingguard.risk.RiskSettings;
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
        boolean dualControl,
        int ceremonyCodeMinutes,
        int ceremonyMaxAttempts,
        boolean passkeyBinding,
        String verificationBookingUrl,
        int auditRetentionDays,
        RiskSettings risk,
        EnrollmentSettings enrollment,
        List<Integer> reminderDays,
        Reverification reverification,
        PasskeyModels passkeyModels,
        boolean sponsorAttestation,
        int probationSessionMinutes,
        boolean probationOfflineTokens) {

    public static final String PROBATION_DAYS = "probationDays";
    public static final String PROBATIONARY_ROLE = "probationaryRole";
    public static final String PROBATION_CLIENTS = "probationClients";
    public static final String TOKEN_ROLE_ALLOW_LIST = "tokenRoleAllowList";
    public static final String DOCUMENT_STEP_REQUIRED = "documentStepRequired";
    public static final String DUAL_CONTROL = "dualControl";
    public static final String CEREMONY_CODE_MINUTES = "ceremonyCodeMinutes";
    public static final String CEREMONY_MAX_ATTEMPTS = "ceremonyMaxAttempts";
    public static final String PASSKEY_BINDING = "passkeyBinding";
    public static final String VERIFICATION_BOOKING_URL = "verificationBookingUrl";
    public static final String AUDIT_RETENTION_DAYS = "auditRetentionDays";
    public static final String REMINDER_DAYS = "reminderDays";
    public static final String SPONSOR_ATTESTATION = "sponsorAttestation";
    /** How long a session of a hire who is not verified yet lasts, in minutes; 0 leaves it to the realm's settings. */
    public static final String PROBATION_SESSION_MINUTES = "probationSessionMinutes";
    /** Whether a hire who is not verified yet may hold offline tokens. */
    public static final String PROBATION_OFFLINE_TOKENS = "probationOfflineTokens";

    public static final int MAX_PROBATION_SESSION_MINUTES = 43_200;
    public static final List<Integer> DEFAULT_REMINDER_DAYS = List.of(7, 2);
    public static final int MAX_REMINDERS = 5;

    public static final int MAX_PROBATION_DAYS = 365;
    public static final int MAX_CEREMONY_CODE_MINUTES = 30;
    public static final int MAX_CEREMONY_ATTEMPTS = 10;
    public static final int MAX_AUDIT_RETENTION_DAYS = 36_500;
    public static final String DEFAULT_PROBATIONARY_ROLE = "onboarding-probationary";
    public static final Set<String> DEFAULT_PROBATION_CLIENTS = Set.of("account-console");
    /** The allow-list entry for the realm's default role. */
    public static final String DEFAULT_ROLES_ENTRY = "default-roles-*";

    public static final Set<String> DEFAULT_TOKEN_ROLE_ALLOW_LIST = Set.of(
            DEFAULT_PROBATIONARY_ROLE,
            DEFAULT_ROLES_ENTRY,
            "offline_access",
            "uma_authorization",
            "account/manage-account",
            "account/manage-account-links",
            "account/view-profile");

    /** Role names as Keycloak allows them, optionally "client/role", optionally ending in '*'. */
    private static final Pattern ROLE_PATTERN =
            Pattern.compile("^(?:[^/\\s]{1,255}/)?[^/\\s*]{1,255}\\*?$|^(?:[^/\\s]{1,255}/)?\\*$");

    private static final Pattern CLIENT_ID_PATTERN = Pattern.compile("^[^\\s]{1,255}$");
    private static final Pattern BOOKING_URL_PATTERN = Pattern.compile("^(?:https?://|mailto:)[^\\s<>\"']{1,500}$");

    public OnboardingPolicy {
        probationClients = Set.copyOf(probationClients);
        reminderDays = reminderDays.stream()
                .sorted(java.util.Comparator.reverseOrder())
                .toList();
        tokenRoleAllowList = Set.copyOf(tokenRoleAllowList);
        verificationBookingUrl =
                verificationBookingUrl == null || verificationBookingUrl.isBlank() ? "" : verificationBookingUrl;
    }

    public static OnboardingPolicy defaults() {
        return new OnboardingPolicy(
                30,
                DEFAULT_PROBATIONARY_ROLE,
                DEFAULT_PROBATION_CLIENTS,
                DEFAULT_TOKEN_ROLE_ALLOW_LIST,
                true,
                false,
                5,
                3,
                false,
                "",
                0,
                RiskSettings.defaults(),
                EnrollmentSettings.defaults(),
                DEFAULT_REMINDER_DAYS,
                Reverification.none(),
                PasskeyModels.any(),
                false,
                0,
                false);
    }

    /** The longest a session of a hire who is not verified yet lasts; empty when the realm's settings decide. */
    public java.util.Optional<Duration> probationSessionMaxAge() {
        return probationSessionMinutes == 0
                ? java.util.Optional.empty()
                : java.util.Optional.of(Duration.ofMinutes(probationSessionMinutes));
    }

    public Duration ceremonyCodeValidity() {
        return Duration.ofMinutes(ceremonyCodeMinutes);
    }

    public Duration probation() {
        return Duration.ofDays(probationDays);
    }

    public boolean allowsClient(String clientId) {
        return probationClients.contains(clientId);
    }

    /**
     * Whether a role may stay in a not-yet-verified user's token, or be held by them.
     *
     * @param clientId         null for a realm role
     * @param realmDefaultRole the realm's own default role ({@code default-roles-<realm>}); the entry
     *                         {@value #DEFAULT_ROLES_ENTRY} means that role alone, not every role named
     *                         like it (an admin's {@code default-roles-eng} made of admin roles would
     *                         pass otherwise). Null where the realm is not known: then a plain prefix.
     */
    public boolean allowsRoleInToken(String clientId, String roleName, String realmDefaultRole) {
        String qualified = clientId == null ? roleName : clientId + "/" + roleName;
        for (String entry : tokenRoleAllowList) {
            boolean matches;
            if (entry.equals(DEFAULT_ROLES_ENTRY) && realmDefaultRole != null) {
                matches = clientId == null && roleName.equals(realmDefaultRole);
            } else if (entry.endsWith("*")) {
                matches = qualified.startsWith(entry.substring(0, entry.length() - 1)) && sameScope(entry, clientId);
            } else {
                matches = entry.equals(qualified);
            }
            if (matches) {
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

        int days = integer(settings, PROBATION_DAYS, defaults.probationDays, 1, MAX_PROBATION_DAYS, "days", problems);

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
        int codeMinutes = integer(
                settings,
                CEREMONY_CODE_MINUTES,
                defaults.ceremonyCodeMinutes,
                1,
                MAX_CEREMONY_CODE_MINUTES,
                "minutes",
                problems);
        int maxAttempts = integer(
                settings,
                CEREMONY_MAX_ATTEMPTS,
                defaults.ceremonyMaxAttempts,
                1,
                MAX_CEREMONY_ATTEMPTS,
                "attempts",
                problems);
        boolean passkeyBinding = bool(settings, PASSKEY_BINDING, defaults.passkeyBinding, problems);
        int retentionDays = integer(
                settings,
                AUDIT_RETENTION_DAYS,
                defaults.auditRetentionDays,
                0,
                MAX_AUDIT_RETENTION_DAYS,
                "days (0 keeps the audit trail forever)",
                problems);
        RiskSettings risk = RiskSettings.parse(settings, problems);
        EnrollmentSettings enrollment = EnrollmentSettings.parse(settings, problems);
        List<Integer> reminders = reminderDays(settings, defaults.reminderDays, problems);
        Reverification reverification = Reverification.parse(settings, problems);
        PasskeyModels passkeyModels = PasskeyModels.parse(settings, problems);
        boolean sponsorAttestation = bool(settings, SPONSOR_ATTESTATION, defaults.sponsorAttestation, problems);
        int sessionMinutes = integer(
                settings,
                PROBATION_SESSION_MINUTES,
                defaults.probationSessionMinutes,
                0,
                MAX_PROBATION_SESSION_MINUTES,
                "minutes (0 leaves session lifetimes to the realm)",
                problems);
        boolean offlineTokens = bool(settings, PROBATION_OFFLINE_TOKENS, defaults.probationOfflineTokens, problems);
        String bookingUrl = single(settings, VERIFICATION_BOOKING_URL);
        if (bookingUrl != null
                && !bookingUrl.isBlank()
                && !BOOKING_URL_PATTERN.matcher(bookingUrl.trim()).matches()) {
            problems.add(VERIFICATION_BOOKING_URL + " must be an http(s) or mailto: address, was '" + bookingUrl + "'");
        }

        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new OnboardingPolicy(
                days,
                role.trim(),
                clients,
                allowList,
                documentStep,
                dualControl,
                codeMinutes,
                maxAttempts,
                passkeyBinding,
                bookingUrl == null ? "" : bookingUrl.trim(),
                retentionDays,
                risk,
                enrollment,
                reminders,
                reverification,
                passkeyModels,
                sponsorAttestation,
                sessionMinutes,
                offlineTokens);
    }

    /**
     * The reminder before the deadline that is due {@code millisLeft} before it, after the one
     * already sent ({@code remindedAt}, days, or null): the smallest threshold reached, so a case
     * that starts inside several thresholds gets one reminder, not a burst. Empty when none is due.
     */
    public java.util.Optional<Integer> reminderDue(long millisLeft, Integer remindedAt) {
        Integer due = null;
        for (int days : reminderDays) {
            if (millisLeft <= Duration.ofDays(days).toMillis() && (remindedAt == null || days < remindedAt)) {
                due = days;
            }
        }
        return java.util.Optional.ofNullable(due);
    }

    private static List<Integer> reminderDays(
            Map<String, List<String>> settings, List<Integer> fallback, List<String> problems) {
        if (!settings.containsKey(REMINDER_DAYS)) {
            return fallback;
        }
        Set<Integer> days = new java.util.TreeSet<>();
        for (String value : settings.get(REMINDER_DAYS)) {
            for (String part : value.split("##|,")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    int day = Integer.parseInt(part.trim());
                    if (day < 1 || day > MAX_PROBATION_DAYS) {
                        throw new NumberFormatException();
                    }
                    days.add(day);
                } catch (NumberFormatException e) {
                    problems.add(REMINDER_DAYS + " entry '" + part.trim() + "' must be a number of days from 1 to "
                            + MAX_PROBATION_DAYS);
                }
            }
        }
        if (days.size() > MAX_REMINDERS) {
            problems.add(REMINDER_DAYS + " may name at most " + MAX_REMINDERS + " reminders");
        }
        return List.copyOf(days);
    }

    /** The settings as the admin console stores them; {@code parse(toSettings())} gives this policy back. */
    public Map<String, List<String>> toSettings() {
        Map<String, List<String>> settings = new java.util.LinkedHashMap<>(risk.toSettings());
        settings.put(
                EnrollmentSettings.RULES,
                enrollment.rules().stream().map(EnrollmentRule::text).toList());
        settings.put(
                EnrollmentSettings.EXEMPT,
                enrollment.exempt().stream().map(EnrollmentRule::text).toList());
        settings.put(EnrollmentSettings.SPONSOR_ATTRIBUTE, List.of(enrollment.sponsorAttribute()));
        settings.putAll(reverification.toSettings());
        settings.putAll(passkeyModels.toSettings());
        settings.putAll(Map.ofEntries(
                Map.entry(PROBATION_DAYS, List.of(Integer.toString(probationDays))),
                Map.entry(PROBATIONARY_ROLE, List.of(probationaryRole)),
                Map.entry(PROBATION_CLIENTS, List.copyOf(probationClients)),
                Map.entry(TOKEN_ROLE_ALLOW_LIST, List.copyOf(tokenRoleAllowList)),
                Map.entry(DOCUMENT_STEP_REQUIRED, List.of(Boolean.toString(documentStepRequired))),
                Map.entry(DUAL_CONTROL, List.of(Boolean.toString(dualControl))),
                Map.entry(CEREMONY_CODE_MINUTES, List.of(Integer.toString(ceremonyCodeMinutes))),
                Map.entry(CEREMONY_MAX_ATTEMPTS, List.of(Integer.toString(ceremonyMaxAttempts))),
                Map.entry(PASSKEY_BINDING, List.of(Boolean.toString(passkeyBinding))),
                Map.entry(VERIFICATION_BOOKING_URL, List.of(verificationBookingUrl)),
                Map.entry(AUDIT_RETENTION_DAYS, List.of(Integer.toString(auditRetentionDays))),
                Map.entry(SPONSOR_ATTESTATION, List.of(Boolean.toString(sponsorAttestation))),
                Map.entry(PROBATION_SESSION_MINUTES, List.of(Integer.toString(probationSessionMinutes))),
                Map.entry(PROBATION_OFFLINE_TOKENS, List.of(Boolean.toString(probationOfflineTokens))),
                Map.entry(
                        REMINDER_DAYS,
                        reminderDays.stream().map(String::valueOf).toList())));
        return settings;
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

    private static int integer(
            Map<String, List<String>> settings,
            String key,
            int fallback,
            int min,
            int max,
            String unit,
            List<String> problems) {
        String raw = single(settings, key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                problems.add(key + " must be between " + min + " and " + max + " " + unit + ", was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number of " + unit + ", was '" + raw + "'");
            return fallback;
        }
    }

    private static boolean bool(
            Map<String, List<String>> settings, String key, boolean fallback, List<String> problems) {
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

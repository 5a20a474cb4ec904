package io.github.onboardingguard.webhooks;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The event types a webhook can carry and the filter a subscription sets on them. A filter entry is
 * an event type, a family ({@code case.*}) or {@code *}; an empty filter takes every type.
 */
public final class WebhookEvents {

    public static final String RISK_SIGNAL = "risk.signal";
    public static final String CASE_CREATED = "case.created";
    public static final String CASE_PROBATION_STARTED = "case.probation_started";
    public static final String CASE_DOCUMENT_VERIFIED = "case.document_verified";
    public static final String CASE_VERIFIED = "case.verified";
    public static final String CASE_SUSPENDED = "case.suspended";
    public static final String CASE_REINSTATED = "case.reinstated";
    public static final String CASE_REVERIFY_REQUIRED = "case.reverify_required";
    /** A verified hire's account got a credential through recovery; nothing opens until they are seen again. */
    public static final String CASE_RECOVERY_STARTED = "case.recovery_started";

    public static final String CASE_RECOVERED = "case.recovered";
    public static final String CASE_EXPIRED = "case.expired";
    public static final String CASE_REJECTED = "case.rejected";
    /** A user with a closed or verified case was deleted (open cases cannot be). */
    public static final String CASE_DELETED = "case.deleted";

    public static final String CEREMONY_LOCKED = "ceremony.locked";
    /** Someone without manage-realm tried to give a verifier or auditor role. */
    public static final String ROLE_PRIVILEGED_REFUSED = "role.privileged_refused";

    public static final List<String> ALL = List.of(
            RISK_SIGNAL,
            CASE_CREATED,
            CASE_PROBATION_STARTED,
            CASE_DOCUMENT_VERIFIED,
            CASE_VERIFIED,
            CASE_SUSPENDED,
            CASE_REINSTATED,
            CASE_REVERIFY_REQUIRED,
            CASE_RECOVERY_STARTED,
            CASE_RECOVERED,
            CASE_EXPIRED,
            CASE_REJECTED,
            CASE_DELETED,
            CEREMONY_LOCKED,
            ROLE_PRIVILEGED_REFUSED);

    private WebhookEvents() {}

    /** Which event types a subscription takes. */
    public record Filter(Set<String> entries) {

        public static final Filter EVERYTHING = new Filter(Set.of());

        public Filter {
            entries = Set.copyOf(entries);
        }

        public boolean matches(String type) {
            if (entries.isEmpty() || entries.contains("*") || entries.contains(type)) {
                return true;
            }
            int dot = type.indexOf('.');
            return dot > 0 && entries.contains(type.substring(0, dot) + ".*");
        }
    }

    /** Parses filter entries, naming each one that matches no known event type in {@code problems}. */
    public static Filter filter(List<String> values, List<String> problems) {
        Set<String> entries = new LinkedHashSet<>();
        for (String value : values == null ? List.<String>of() : values) {
            for (String entry : value.split("[\\s,|]+|##")) {
                if (entry.isEmpty()) {
                    continue;
                }
                if (!known(entry)) {
                    problems.add(
                            "unknown event type '" + entry + "'; types: " + ALL + ", a family such as case.*, or *");
                    continue;
                }
                entries.add(entry);
            }
        }
        return new Filter(entries);
    }

    private static boolean known(String entry) {
        if (entry.equals("*") || ALL.contains(entry)) {
            return true;
        }
        if (!entry.endsWith(".*")) {
            return false;
        }
        String family = entry.substring(0, entry.length() - 1);
        return ALL.stream().anyMatch(type -> type.startsWith(family));
    }
}

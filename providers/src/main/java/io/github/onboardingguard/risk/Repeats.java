package io.github.onboardingguard.risk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * When a rule firing again is a repeat of its last signal, to be counted on it, rather than news
 * worth a signal and an alert of its own: the same user, rule and evidence within the rule's
 * window. Evidence that differs (another country, another grant, another changed field, another
 * client, another network) is never folded, so a stranger's noise cannot hide a real signal behind
 * an older one. Addresses count by their network ({@link AddressPrefix}): a neighbouring address
 * is a repeat, a second network is news.
 */
public final class Repeats {

    /** Evidence that changes from one occurrence of the same event to the next. */
    private static final Set<String> VOLATILE = Set.of("ipAddress", "failures", "at", "lastAt");

    private Repeats() {}

    /** Whether {@code evidence} tells nothing that {@code previous} (the rule's last signal for this user) did not. */
    public static boolean sameEvent(Map<?, ?> previous, Map<?, ?> evidence) {
        return previous != null && Objects.equals(stable(previous), stable(evidence));
    }

    private static Map<Object, Object> stable(Map<?, ?> evidence) {
        Map<Object, Object> stable = new LinkedHashMap<>();
        evidence.forEach((key, value) -> {
            if ("ipAddress".equals(String.valueOf(key))) {
                stable.put("network", AddressPrefix.of(value == null ? null : String.valueOf(value)));
            } else if (!VOLATILE.contains(String.valueOf(key))) {
                stable.put(key, value);
            }
        });
        return stable;
    }
}

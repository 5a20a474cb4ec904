package io.github.onboardingguard.keycloak.support;

import java.time.Instant;

/** Times as the APIs show them: ISO-8601 in UTC, from the epoch milliseconds the tables store. */
public final class Instants {

    private Instants() {
    }

    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** Null stays null, for optional columns. */
    public static String iso(Long epochMillis) {
        return epochMillis == null ? null : iso(epochMillis.longValue());
    }
}

package io.github.onboardingguard.keycloak.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Times as the APIs show them: ISO-8601 in UTC, from the epoch milliseconds the tables store. */
public final class Instants {

    private Instants() {}

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * An ISO-8601 instant from a request, if it is one and lies between 1970 and 9999: the years
     * ISO-8601 allows beyond that do not fit the tables' epoch milliseconds.
     */
    public static Optional<Instant> parse(String text) {
        try {
            Instant instant = Instant.parse(text.trim());
            return instant.isBefore(EARLIEST) || instant.isAfter(LATEST) ? Optional.empty() : Optional.of(instant);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /**
     * A time as people read it, the same on the hire's page, in emails and in the console:
     * {@code 2026-12-01 17:30 UTC}. One zone for everyone, named, so a hire, their sponsor and a
     * verifier in different countries read the same deadline.
     */
    public static String display(long epochMillis) {
        return DISPLAY.format(Instant.ofEpochMilli(epochMillis));
    }

    private static final DateTimeFormatter DISPLAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** Null stays null, for optional columns. */
    public static String iso(Long epochMillis) {
        return epochMillis == null ? null : iso(epochMillis.longValue());
    }
}

package io.github.onboardingguard.testsupport;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one way people see a time in the extension: hire's page, emails, console. */
public final class DisplayTime {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private DisplayTime() {}

    public static String of(Instant instant) {
        return FORMAT.format(instant);
    }

    public static String of(String isoInstant) {
        return of(Instant.parse(isoInstant));
    }
}

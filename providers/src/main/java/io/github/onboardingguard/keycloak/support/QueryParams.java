package io.github.onboardingguard.keycloak.support;

import java.util.Arrays;
import java.util.Locale;

/** Query and path parameters, refused with a 400 JSON error naming the parameter. */
public final class QueryParams {

    private QueryParams() {}

    public static int integer(String name, String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw ApiError.badRequest(name, "'" + name + "' must be from " + min + " to " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, "'" + name + "' must be a whole number");
        }
    }

    public static boolean bool(String name, String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.badRequest(name, "'" + name + "' must be true or false");
        };
    }

    /** An ISO-8601 instant such as {@code 2026-12-01T00:00:00Z}. */
    public static java.time.Instant instant(String name, String raw) {
        return Instants.parse(raw)
                .orElseThrow(() -> ApiError.badRequest(
                        name, "'" + name + "' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z"));
    }

    /** An enum constant by name, case-insensitive. */
    public static <E extends Enum<E>> E enumValue(String name, String raw, Class<E> type) {
        try {
            return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(
                    name,
                    "Unknown " + name + " '" + abbreviate(raw) + "'; one of "
                            + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** Echoing user input in an error, but never a whole megabyte of it. */
    public static String abbreviate(String value) {
        return value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}

package io.github.onboardingguard.risk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hire's contact fields as last seen, kept as one short hash per field (never the values), so a
 * later look can tell which fields changed without the case holding the addresses themselves.
 * Stored as {@code field=hash} pairs joined by {@code ;}, in field order.
 */
public final class ContactFingerprint {

    private ContactFingerprint() {}

    /**
     * @param salt   per case, so equal addresses of two hires do not hash alike
     * @param fields field name to value; a missing value counts as empty
     */
    public static String of(String salt, Map<String, String> fields) {
        StringBuilder stored = new StringBuilder();
        new TreeMap<>(fields).forEach((field, value) -> {
            if (!stored.isEmpty()) {
                stored.append(';');
            }
            stored.append(field)
                    .append('=')
                    .append(hash(
                            salt + "\u0000" + field,
                            value == null ? "" : value.trim().toLowerCase(Locale.ROOT)));
        });
        return stored.toString();
    }

    /** The fields whose hash differs between two fingerprints; a field only one of them knows is not compared. */
    public static List<String> changed(String before, String now) {
        Map<String, String> earlier = parse(before);
        Map<String, String> current = parse(now);
        List<String> changed = new ArrayList<>();
        current.forEach((field, hash) -> {
            String old = earlier.get(field);
            if (old != null && !old.equals(hash)) {
                changed.add(field);
            }
        });
        return changed;
    }

    private static Map<String, String> parse(String stored) {
        Map<String, String> fields = new TreeMap<>();
        if (stored == null || stored.isBlank()) {
            return fields;
        }
        for (String pair : stored.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return fields;
    }

    private static String hash(String key, String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
            // 64 bits are plenty to tell a change apart; the case keeps no address in readable form.
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

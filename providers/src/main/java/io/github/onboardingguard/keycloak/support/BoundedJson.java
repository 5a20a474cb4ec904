package io.github.onboardingguard.keycloak.support;

import io.github.onboardingguard.audit.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the extension's 4000-character columns (audit details, risk evidence, webhook
 * payloads): what does not fit is shortened, never refused, so an oversized value (a laptop farm
 * of a hundred accounts, a long user name) can neither fail the login that raised it nor go
 * unrecorded. The result stays valid JSON and says {@code "truncated": true}.
 */
public final class BoundedJson {

    /** The columns' size. Counted in UTF-8 bytes, so databases that size VARCHAR in bytes fit too. */
    public static final int COLUMN = 4000;

    /** Ever harder limits: characters kept per string, items kept per list. */
    private static final int[][] STEPS = {{500, 50}, {200, 20}, {64, 5}, {16, 2}};

    private BoundedJson() {}

    /** Canonical JSON of {@code value} in at most {@code maxBytes} UTF-8 bytes. */
    public static String fit(Map<String, Object> value, int maxBytes) {
        return CanonicalJson.write(shrink(value, maxBytes));
    }

    /** {@code value} itself if its canonical JSON fits {@code maxBytes}, else a shortened copy marked truncated. */
    public static Map<String, Object> shrink(Map<String, Object> value, int maxBytes) {
        Map<String, Object> source = value == null ? Map.of() : value;
        if (bytes(source) <= maxBytes) {
            return source;
        }
        for (int[] step : STEPS) {
            @SuppressWarnings("unchecked")
            Map<String, Object> shortened = (Map<String, Object>) shorten(source, step[0], step[1]);
            shortened.put("truncated", true);
            if (bytes(shortened) <= maxBytes) {
                return shortened;
            }
        }
        return Map.of("truncated", true);
    }

    private static Object shorten(Object value, int maxChars, int maxItems) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            // Keys are the extension's own names: cutting them could merge two into one.
            map.forEach((key, item) -> copy.put(String.valueOf(key), shorten(item, maxChars, maxItems)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < Math.min(list.size(), maxItems); i++) {
                copy.add(shorten(list.get(i), maxChars, maxItems));
            }
            if (list.size() > maxItems) {
                copy.add("+" + (list.size() - maxItems) + " more");
            }
            return copy;
        }
        if (value instanceof String text) {
            return truncate(text, maxChars);
        }
        return value;
    }

    private static String truncate(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        // Never cut a surrogate pair in half: that would not be text any more.
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end) + "…";
    }

    private static int bytes(Map<String, Object> value) {
        return CanonicalJson.write(value).getBytes(StandardCharsets.UTF_8).length;
    }
}

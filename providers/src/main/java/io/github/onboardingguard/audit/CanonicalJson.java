package io.github.onboardingguard.audit;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * One fixed JSON spelling of a value: the JSON Canonicalization Scheme (RFC 8785) for strings,
 * whole numbers, booleans, null, arrays and objects (keys sorted by UTF-16 code units, no
 * whitespace, the shortest escapes). Numbers that are not whole are written as strings, so no
 * platform's float formatting enters a hash. Hashes are computed over it: a change here needs
 * {@link AuditChain} to keep verifying what was chained before.
 */
public final class CanonicalJson {

    private CanonicalJson() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value, false);
        return out.toString();
    }

    /**
     * The spelling of releases before the RFC 8785 escapes: U+0008 and U+000C as {@code \u0008} and
     * {@code \u000c}. Entries chained then verify against it.
     */
    static String writeLegacy(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value, true);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, boolean legacy) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(out, text, legacy);
        } else if (value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Number number) {
            // Only whole numbers keep one spelling across platforms; other numbers go as text.
            string(out, number.toString(), legacy);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> entry : sorted(map).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, entry.getKey(), legacy);
                out.append(':');
                append(out, entry.getValue(), legacy);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                append(out, item, legacy);
            }
            out.append(']');
        } else {
            string(out, value.toString(), legacy);
        }
    }

    private static Map<String, Object> sorted(Map<?, ?> map) {
        Map<String, Object> sorted = new TreeMap<>();
        map.forEach((key, value) -> sorted.put(String.valueOf(key), value));
        return sorted;
    }

    private static void string(StringBuilder out, String text, boolean legacy) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append(legacy ? "\\u0008" : "\\b");
                case '\f' -> out.append(legacy ? "\\u000c" : "\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

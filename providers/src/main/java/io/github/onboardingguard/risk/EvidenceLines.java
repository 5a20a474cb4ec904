package io.github.onboardingguard.risk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A signal's evidence as lines a person reads in an alert mail: one per value, named by its path
 * ({@code changed.email.to}), lists as comma-separated text. The mail template translates the
 * names it knows and shows the others as they are.
 */
public final class EvidenceLines {

    private EvidenceLines() {}

    /** Each line a map with {@code name} and {@code value}, in the evidence's order; empty values left out. */
    public static List<Map<String, String>> of(Map<String, Object> evidence) {
        List<Map<String, String>> lines = new ArrayList<>();
        add(lines, "", evidence);
        return lines;
    }

    private static void add(List<Map<String, String>> lines, String path, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> add(lines, path.isEmpty() ? String.valueOf(key) : path + "." + key, item));
            return;
        }
        String text = value instanceof Collection<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(", "))
                : String.valueOf(value);
        if (!text.isEmpty()) {
            lines.add(Map.of("name", path, "value", text));
        }
    }
}

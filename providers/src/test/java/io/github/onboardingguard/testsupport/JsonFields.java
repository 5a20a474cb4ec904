package io.github.onboardingguard.testsupport;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one field of a parsed JSON document by path, e.g. {@code verification.evidence[0].type}. */
public final class JsonFields {

    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private JsonFields() {}

    /** The value at the path; an AssertionError names the first step that is missing. */
    public static Object at(Object root, String path) {
        Object current = root;
        Matcher step = STEP.matcher(path);
        while (step.find()) {
            if (step.group(1) != null) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(step.group(1))) {
                    throw new AssertionError(
                            "No field '" + step.group(1) + "' on the way to '" + path + "' in " + root);
                }
                current = map.get(step.group(1));
            } else {
                int index = Integer.parseInt(step.group(2));
                if (!(current instanceof List<?> list) || list.size() <= index) {
                    throw new AssertionError("No element [" + index + "] on the way to '" + path + "' in " + root);
                }
                current = list.get(index);
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object root, String path) {
        return (Map<String, Object>) at(root, path);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object root, String path) {
        return (List<Object>) at(root, path);
    }
}

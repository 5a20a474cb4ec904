package io.github.onboardingguard.keycloak.support;

import java.io.IOException;
import org.keycloak.util.JsonSerialization;

/** JSON the extension stored itself (checklists, evidence, audit details), read back for a view. */
public final class StoredJson {

    private StoredJson() {}

    /** A stored JSON object's fields; empty for anything else. */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> object(String json) {
        return parse(json) instanceof java.util.Map<?, ?> map
                ? (java.util.Map<String, Object>) map
                : java.util.Map.of();
    }

    /** The parsed value, or the text itself if it is not JSON (never a server error for a view). */
    public static Object parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JsonSerialization.readValue(json, Object.class);
        } catch (IOException e) {
            return json;
        }
    }
}

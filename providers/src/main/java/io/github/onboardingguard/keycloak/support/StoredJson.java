package io.github.onboardingguard.keycloak.support;

import java.io.IOException;
import org.keycloak.util.JsonSerialization;

/** JSON the extension stored itself (checklists, evidence, audit details), read back for a view. */
public final class StoredJson {

    private StoredJson() {}

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

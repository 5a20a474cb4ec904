package io.github.onboardingguard.keycloak.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.keycloak.util.JsonSerialization;

/** Strict reading of request bodies: unknown fields, wrong types and oversized values are 400s. */
public final class JsonBody {

    public static final int MAX_BODY_CHARS = 64 * 1024;
    public static final int MAX_STRING = 255;
    public static final int MAX_REASON = 1024;
    public static final int MAX_LIST = 100;

    private final ObjectNode node;
    private final String path;

    private JsonBody(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonBody parse(String body, Set<String> allowedFields) {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest(null, "A JSON object is required as the request body");
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw ApiError.badRequest(null, "The request body is larger than " + MAX_BODY_CHARS + " characters");
        }
        JsonNode tree;
        try {
            tree = JsonSerialization.mapper.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest(null, "The request body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw ApiError.badRequest(null, "The request body must be a JSON object");
        }
        JsonBody parsed = new JsonBody((ObjectNode) tree, "");
        parsed.rejectUnknown(allowedFields);
        return parsed;
    }

    public void rejectUnknown(Set<String> allowedFields) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw ApiError.badRequest(
                        field(name), "Unknown field '" + field(name) + "'; allowed: " + allowedFields);
            }
        }
    }

    public boolean has(String name) {
        return node.has(name) && !node.get(name).isNull();
    }

    public String requiredString(String name, int maxLength) {
        String value = optionalString(name, maxLength);
        if (value == null || value.isBlank()) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' is required");
        }
        return value;
    }

    public String optionalString(String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' must be a string");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' is longer than " + maxLength + " characters");
        }
        return text.trim();
    }

    public Boolean optionalBoolean(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' must be true or false");
        }
        return value.booleanValue();
    }

    public Integer optionalInt(String name, int min, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiError.badRequest(
                    field(name), "'" + field(name) + "' must be a whole number from " + min + " to " + max);
        }
        return value.intValue();
    }

    public Instant optionalInstant(String name) {
        String text = optionalString(name, 64);
        if (text == null) {
            return null;
        }
        return Instants.parse(text)
                .orElseThrow(() -> ApiError.badRequest(
                        field(name),
                        "'" + field(name)
                                + "' must be an ISO-8601 instant between 1970 and 9999 such as 2026-12-31T17:00:00Z"));
    }

    public List<String> stringList(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' must be an array of strings");
        }
        if (value.size() > MAX_LIST) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' has more than " + MAX_LIST + " entries");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = field(name) + "[" + i + "]";
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw ApiError.badRequest(itemPath, "'" + itemPath + "' must be a non-empty string");
            }
            if (item.textValue().length() > MAX_STRING) {
                throw ApiError.badRequest(itemPath, "'" + itemPath + "' is longer than " + MAX_STRING + " characters");
            }
            result.add(item.textValue().trim());
        }
        return result;
    }

    public JsonBody object(String name, Set<String> allowedFields) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return new JsonBody(JsonSerialization.mapper.createObjectNode(), field(name) + ".");
        }
        if (!value.isObject()) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' must be a JSON object");
        }
        JsonBody child = new JsonBody((ObjectNode) value, field(name) + ".");
        child.rejectUnknown(allowedFields);
        return child;
    }

    /** A nested object whose keys are data (e.g. client ids), not field names. */
    public JsonBody freeObject(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return new JsonBody(JsonSerialization.mapper.createObjectNode(), field(name) + ".");
        }
        if (!value.isObject()) {
            throw ApiError.badRequest(field(name), "'" + field(name) + "' must be a JSON object");
        }
        return new JsonBody((ObjectNode) value, field(name) + ".");
    }

    /** A required string that names a constant of {@code type}, case-insensitive. */
    public <E extends Enum<E>> E requiredEnum(String name, Class<E> type) {
        String raw = requiredString(name, MAX_STRING);
        try {
            return Enum.valueOf(type, raw.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(
                    field(name),
                    "'" + field(name) + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** This object's raw JSON values (strings, booleans, numbers, nested maps and lists). */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Object> values() {
        return JsonSerialization.mapper.convertValue(node, java.util.Map.class);
    }

    /** Field names of an object whose keys are free (e.g. client ids). */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        if (keys.size() > MAX_LIST) {
            throw ApiError.badRequest(
                    path.isEmpty() ? null : path.substring(0, path.length() - 1), "more than " + MAX_LIST + " entries");
        }
        return keys;
    }

    public String field(String name) {
        return path + name;
    }
}

package io.github.onboardingguard.keycloak.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Request bodies: strict reading, 400 with the field named")
class JsonBodyTest {

    private static final Set<String> FIELDS = Set.of("name", "count", "flag", "when", "tags", "nested");

    @Test
    @DisplayName("reads each type and trims strings")
    void readsFields() {
        JsonBody body = JsonBody.parse(
                "{\"name\":\"  Ada \",\"count\":3,\"flag\":true,\"when\":\"2026-12-31T17:00:00Z\","
                        + "\"tags\":[\" a \",\"b\"],\"nested\":{\"inner\":\"x\"}}",
                FIELDS);
        assertThat(body.requiredString("name", 10)).isEqualTo("Ada");
        assertThat(body.optionalInt("count", 1, 5)).isEqualTo(3);
        assertThat(body.optionalBoolean("flag")).isTrue();
        assertThat(body.optionalInstant("when")).isEqualTo(Instant.parse("2026-12-31T17:00:00Z"));
        assertThat(body.stringList("tags")).containsExactly("a", "b");
        assertThat(body.object("nested", Set.of("inner")).requiredString("inner", 5))
                .isEqualTo("x");
        assertThat(body.has("missing")).isFalse();
    }

    @Test
    @DisplayName("missing, empty, oversized, non-JSON and non-object bodies are refused")
    void refusesBadBodies() {
        assertThat(error(() -> JsonBody.parse(null, FIELDS))).containsEntry("error", "invalid_request");
        assertThat(error(() -> JsonBody.parse("  ", FIELDS))).containsEntry("error", "invalid_request");
        assertThat(error(() -> JsonBody.parse("{", FIELDS)))
                .containsEntry("message", "The request body is not valid JSON");
        assertThat(error(() -> JsonBody.parse("[1]", FIELDS)))
                .containsEntry("message", "The request body must be a JSON object");
        assertThat(error(() -> JsonBody.parse("{\"name\":\"" + "x".repeat(JsonBody.MAX_BODY_CHARS) + "\"}", FIELDS)))
                .containsEntry("error", "invalid_request");
    }

    @Test
    @DisplayName("unknown fields, wrong types and out-of-range values name the field, nested with its path")
    void namesTheField() {
        assertThat(error(() -> JsonBody.parse("{\"nmae\":\"x\"}", FIELDS))).containsEntry("field", "nmae");
        JsonBody body = JsonBody.parse(
                "{\"name\":5,\"count\":9,\"flag\":\"yes\",\"when\":\"tomorrow\",\"tags\":[\"\"],"
                        + "\"nested\":{\"inner\":1}}",
                FIELDS);
        assertThat(error(() -> body.requiredString("name", 10))).containsEntry("field", "name");
        assertThat(error(() -> body.optionalInt("count", 1, 5))).containsEntry("field", "count");
        assertThat(error(() -> body.optionalBoolean("flag"))).containsEntry("field", "flag");
        assertThat(error(() -> body.optionalInstant("when"))).containsEntry("field", "when");
        assertThat(error(() -> body.stringList("tags"))).containsEntry("field", "tags[0]");
        assertThat(error(() -> body.object("nested", Set.of("inner")).requiredString("inner", 5)))
                .containsEntry("field", "nested.inner");
        assertThat(error(() -> body.object("nested", Set.of("other")))).containsEntry("field", "nested.inner");
    }

    @Test
    @DisplayName("a required string that is blank, or longer than allowed, is refused")
    void requiredAndLength() {
        JsonBody body =
                JsonBody.parse("{\"name\":\"   \",\"tags\":[\"" + "y".repeat(JsonBody.MAX_STRING + 1) + "\"]}", FIELDS);
        assertThat(error(() -> body.requiredString("name", 10))).containsEntry("message", "'name' is required");
        assertThat(error(() -> body.stringList("tags"))).containsEntry("field", "tags[0]");
        JsonBody longName = JsonBody.parse("{\"name\":\"abcdef\"}", FIELDS);
        assertThat(error(() -> longName.requiredString("name", 5)))
                .containsEntry("message", "'name' is longer than 5 characters");
    }

    @Test
    @DisplayName("enums are case-insensitive and list the allowed values when wrong")
    void enums() {
        JsonBody body = JsonBody.parse("{\"name\":\"friday\"}", FIELDS);
        assertThat(body.requiredEnum("name", java.time.DayOfWeek.class)).isEqualTo(java.time.DayOfWeek.FRIDAY);
        JsonBody wrong = JsonBody.parse("{\"name\":\"someday\"}", FIELDS);
        assertThat(error(() -> wrong.requiredEnum("name", java.time.DayOfWeek.class))
                        .get("message"))
                .asString()
                .contains("MONDAY");
    }

    static Map<String, Object> error(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(ApiError.class);
        WebApplicationException thrown = catchThrowableOfType(WebApplicationException.class, call::run);
        assertThat(thrown.getResponse().getStatus()).isEqualTo(400);
        @SuppressWarnings("unchecked")
        Map<String, Object> entity = (Map<String, Object>) thrown.getResponse().getEntity();
        return entity;
    }
}

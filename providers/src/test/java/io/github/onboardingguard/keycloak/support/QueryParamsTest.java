package io.github.onboardingguard.keycloak.support;

import static io.github.onboardingguard.keycloak.support.JsonBodyTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Query parameters: defaults, ranges and 400s naming the parameter")
class QueryParamsTest {

    @Test
    @DisplayName("integers: absent gives the default, values are trimmed and range-checked")
    void integers() {
        assertThat(QueryParams.integer("max", null, 50, 1, 200)).isEqualTo(50);
        assertThat(QueryParams.integer("max", " 20 ", 50, 1, 200)).isEqualTo(20);
        assertThat(error(() -> QueryParams.integer("max", "0", 50, 1, 200)))
                .containsEntry("field", "max")
                .containsEntry("message", "'max' must be from 1 to 200");
        assertThat(error(() -> QueryParams.integer("max", "ten", 50, 1, 200)))
                .containsEntry("message", "'max' must be a whole number");
        assertThat(error(() -> QueryParams.integer("max", "99999999999", 50, 1, 200)))
                .containsEntry("field", "max");
    }

    @Test
    @DisplayName("booleans accept true and false in any case, nothing else")
    void booleans() {
        assertThat(QueryParams.bool("overdue", "TRUE")).isTrue();
        assertThat(QueryParams.bool("overdue", " false")).isFalse();
        assertThat(error(() -> QueryParams.bool("overdue", "yes"))).containsEntry("field", "overdue");
    }

    @Test
    @DisplayName("enum values are case-insensitive; a wrong one is echoed shortened")
    void enums() {
        assertThat(QueryParams.enumValue("day", "monday", DayOfWeek.class)).isEqualTo(DayOfWeek.MONDAY);
        String message = (String) error(() -> QueryParams.enumValue("day", "x".repeat(1000), DayOfWeek.class))
                .get("message");
        assertThat(message)
                .contains("x".repeat(40) + "...")
                .doesNotContain("x".repeat(41))
                .contains("SUNDAY");
    }

    @Test
    @DisplayName("abbreviate keeps short input and cuts long input at 40 characters")
    void abbreviate() {
        assertThat(QueryParams.abbreviate(null)).isEmpty();
        assertThat(QueryParams.abbreviate("short")).isEqualTo("short");
        assertThat(QueryParams.abbreviate("y".repeat(41))).isEqualTo("y".repeat(40) + "...");
    }
}

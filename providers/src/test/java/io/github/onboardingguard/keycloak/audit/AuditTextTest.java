package io.github.onboardingguard.keycloak.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

@DisplayName("Audit text: details that fit their column, CSV cells a spreadsheet cannot run")
class AuditTextTest {

    @Test
    @DisplayName("small details are stored as canonical JSON, unchanged")
    void smallDetailsUnchanged() {
        assertThat(AuditLog.fit(Map.of("b", 1, "a", "x"))).isEqualTo("{\"a\":\"x\",\"b\":1}");
        assertThat(AuditLog.fit(null)).isEqualTo("{}");
    }

    @Test
    @DisplayName("large details are shortened per field, marked truncated, and stay valid JSON within the column")
    void largeDetailsShortened() throws IOException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", 42);
        details.put("ok", true);
        details.put("long", "z".repeat(10_000));
        details.put("list", List.of("q".repeat(3000), "r".repeat(3000)));
        String fitted = AuditLog.fit(details);
        assertThat(fitted.length()).isLessThanOrEqualTo(AuditLog.MAX_DETAILS);
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = JsonSerialization.readValue(fitted, Map.class);
        assertThat(parsed).containsEntry("count", 42).containsEntry("ok", true).containsEntry("truncated", true);
        assertThat((String) parsed.get("long"))
                .startsWith("z".repeat(500))
                .endsWith("…")
                .hasSize(501);
    }

    @Test
    @DisplayName("details too large at first are cut harder, field by field, before anything is given up")
    void hugeDetailsCutHarder() throws IOException {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            details.put("field" + i, "w".repeat(1000));
        }
        details.put("accounts", java.util.Collections.nCopies(100, "farm-" + "x".repeat(200)));
        String fitted = AuditLog.fit(details);
        assertThat(fitted.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(AuditLog.MAX_DETAILS);
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = JsonSerialization.readValue(fitted, Map.class);
        assertThat(parsed).containsKeys("field0", "field19").containsEntry("truncated", true);
        assertThat((List<?>) parsed.get("accounts")).last().isEqualTo("+95 more");
    }

    @Test
    @DisplayName("details that cannot fit even cut hard leave only the truncation mark")
    void hopelessDetailsMarkOnly() {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            details.put("field-with-a-long-name-" + i, "w");
        }
        assertThat(AuditLog.fit(details)).isEqualTo("{\"truncated\":true}");
    }

    @Test
    @DisplayName("CSV cells are quoted per RFC 4180, with quotes doubled")
    void csvQuoting() {
        assertThat(AuditExport.cell(null)).isEmpty();
        assertThat(AuditExport.cell("plain")).isEqualTo("\"plain\"");
        assertThat(AuditExport.cell("say \"hi\", then\r\nleave")).isEqualTo("\"say \"\"hi\"\", then\r\nleave\"");
    }

    @Test
    @DisplayName("a cell starting with a formula character is neutralised for spreadsheet users")
    void csvFormulaInjection() {
        assertThat(AuditExport.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(AuditExport.cell("+1")).isEqualTo("\"'+1\"");
        assertThat(AuditExport.cell("-2")).isEqualTo("\"'-2\"");
        assertThat(AuditExport.cell("@sum")).isEqualTo("\"'@sum\"");
        assertThat(AuditExport.cell("a=b")).isEqualTo("\"a=b\"");
    }
}

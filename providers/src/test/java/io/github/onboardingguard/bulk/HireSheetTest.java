package io.github.onboardingguard.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HireSheetTest {

    private static List<HireSheet.Row> read(String csv) {
        return HireSheet.read(CsvSheet.parse(csv, HireSheet.MAX_ROWS));
    }

    @Test
    @DisplayName("a row becomes the single-hire API's body and the adoption API's body")
    void bodies() {
        HireSheet.Row row = read("username,email,sponsor,realmRoles,clientRoles,groups,deadline,invite\n"
                        + "ada,ada@example.com,boss,employee; reader,crm:viewer;crm:editor,/eng,2027-01-01T00:00:00Z,false\n")
                .get(0);
        assertThat(row.readable()).isTrue();
        assertThat(row.hasGrants()).isTrue();
        assertThat(row.create())
                .containsEntry("username", "ada")
                .containsEntry("email", "ada@example.com")
                .containsEntry("sponsor", "boss")
                .containsEntry("deadline", "2027-01-01T00:00:00Z")
                .containsEntry(
                        "grants",
                        Map.of(
                                "realmRoles", List.of("employee", "reader"),
                                "clientRoles", Map.of("crm", List.of("viewer", "editor")),
                                "groups", List.of("/eng")))
                .containsEntry("invitation", Map.of("send", false))
                .doesNotContainKey("firstName");
        assertThat(row.adopt()).isEqualTo(Map.of("user", "ada", "sponsor", "boss", "deadline", "2027-01-01T00:00:00Z"));
    }

    @Test
    @DisplayName(
            "a cell a spreadsheet would run is refused with its column, whichever column it is in; a leading tab is "
                    + "dropped like other white space")
    void formulas() {
        List<HireSheet.Row> rows = read("username,sponsor,firstName\n"
                + "a,boss,\"=HYPERLINK(\"\"http://x\"\")\"\nb,boss,+1\nc,boss,-2\nd,boss,@SUM(A1)\ne,boss,\"\tx\"\n"
                + "f,boss,Ok\n");
        assertThat(rows)
                .extracting(HireSheet.Row::code)
                .containsExactly(
                        "formula_refused", "formula_refused", "formula_refused", "formula_refused", null, null);
        assertThat(rows.get(0).field()).isEqualTo("firstName");
        assertThat(rows.get(4).create())
                .as("white space around a cell is dropped")
                .containsEntry("firstName", "x");
    }

    @Test
    @DisplayName("a username again, in any case, is refused on its later line; empty required cells and bad values too")
    void rowRefusals() {
        List<HireSheet.Row> rows = read("username,sponsor,invite,stage,clientRoles\n"
                + "dup,boss,,,\nDUP,boss,,,\n,boss,,,\nx,,,,\ny,boss,maybe,,\nz,boss,,VERIFIED,\nw,boss,,,crm\n");
        assertThat(rows)
                .extracting(HireSheet.Row::code)
                .containsExactly(
                        null,
                        "duplicate_username",
                        "invalid_request",
                        "invalid_request",
                        "invalid_request",
                        "invalid_request",
                        "invalid_request");
        assertThat(rows)
                .extracting(HireSheet.Row::field)
                .containsExactly(null, "username", "username", "sponsor", "invite", "stage", "clientRoles");
    }

    @Test
    @DisplayName("an unknown or repeated column, or a missing username or sponsor column, refuses the whole file")
    void header() {
        assertThatThrownBy(() -> read("username,sponsor,salary\n"))
                .isInstanceOf(HireSheet.BadHeaderException.class)
                .hasMessageContaining("salary");
        assertThatThrownBy(() -> read("username,sponsor,email,email\n"))
                .isInstanceOf(HireSheet.BadHeaderException.class);
        assertThatThrownBy(() -> read("username,email\n")).hasMessageContaining("sponsor");
    }

    @Test
    @DisplayName("an unreadable line is refused as malformed with its line number")
    void malformed() {
        HireSheet.Row row = read("username,sponsor\nok,boss\n\"broken,boss\n").get(1);
        assertThat(row.code()).isEqualTo("malformed_row");
        assertThat(row.problem()).startsWith("Line 3 ");
    }
}

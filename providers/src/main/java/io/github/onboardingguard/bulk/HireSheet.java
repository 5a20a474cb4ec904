package io.github.onboardingguard.bulk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A bulk start file read as hires: each row becomes the body the single-hire API takes (create) or
 * the adoption API takes (when the username exists), or the reason it cannot. The columns are the
 * API's fields; lists are separated by {@code ;}.
 */
public final class HireSheet {

    public static final int MAX_ROWS = 1000;
    public static final List<String> COLUMNS = List.of(
            "username",
            "email",
            "firstName",
            "lastName",
            "sponsor",
            "deadline",
            "realmRoles",
            "clientRoles",
            "groups",
            "stage",
            "invite");
    private static final Set<String> REQUIRED = Set.of("username", "sponsor");
    private static final Set<String> GRANTS = Set.of("realmRoles", "clientRoles", "groups");

    /** A cell a spreadsheet would run as a formula when someone opens an export of it. */
    static boolean looksLikeFormula(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0;
    }

    /** One row: either its bodies or its problem ({@code field} may be null). */
    public record Row(
            int line,
            String username,
            Map<String, Object> create,
            Map<String, Object> adopt,
            boolean hasGrants,
            String code,
            String field,
            String problem) {

        public boolean readable() {
            return problem == null;
        }

        static Row refused(int line, String username, String code, String field, String problem) {
            return new Row(line, username, null, null, false, code, field, problem);
        }
    }

    /** A header that names no usable columns: nothing of the file is used. */
    public static final class BadHeaderException extends RuntimeException {
        public BadHeaderException(String message) {
            super(message);
        }
    }

    public static List<Row> read(CsvSheet sheet) {
        List<String> header = sheet.header();
        Set<String> seen = new HashSet<>();
        for (String column : header) {
            if (!COLUMNS.contains(column)) {
                throw new BadHeaderException(
                        "Unknown column '" + abbreviate(column) + "'; the columns are " + String.join(", ", COLUMNS));
            }
            if (!seen.add(column)) {
                throw new BadHeaderException("Column '" + column + "' appears twice");
            }
        }
        for (String required : REQUIRED) {
            if (!seen.contains(required)) {
                throw new BadHeaderException("The header must name the column '" + required + "'");
            }
        }
        List<Row> rows = new ArrayList<>();
        Set<String> usernames = new HashSet<>();
        for (CsvSheet.Row row : sheet.rows()) {
            if (row.problem() != null) {
                rows.add(Row.refused(
                        row.line(), null, "malformed_row", null, "Line " + row.line() + " " + row.problem()));
                continue;
            }
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                cells.put(header.get(i), row.cells().get(i).strip());
            }
            rows.add(readRow(row.line(), cells, usernames));
        }
        return rows;
    }

    private static Row readRow(int line, Map<String, String> cells, Set<String> usernames) {
        String username = cells.get("username");
        for (Map.Entry<String, String> cell : cells.entrySet()) {
            if (looksLikeFormula(cell.getValue())) {
                return Row.refused(
                        line,
                        username,
                        "formula_refused",
                        cell.getKey(),
                        "'" + cell.getKey() + "' starts with '"
                                + printable(cell.getValue().charAt(0))
                                + "', which a spreadsheet would run as a formula");
            }
        }
        for (String required : REQUIRED) {
            if (cells.get(required).isEmpty()) {
                return Row.refused(line, username, "invalid_request", required, "'" + required + "' is empty");
            }
        }
        if (!usernames.add(username.toLowerCase(Locale.ROOT))) {
            return Row.refused(
                    line,
                    username,
                    "duplicate_username",
                    "username",
                    "Username '" + abbreviate(username) + "' appears on an earlier line; each hire once per file");
        }
        Boolean invite;
        switch (cells.getOrDefault("invite", "")) {
            case "" -> invite = null;
            case "true" -> invite = Boolean.TRUE;
            case "false" -> invite = Boolean.FALSE;
            default -> {
                return Row.refused(line, username, "invalid_request", "invite", "'invite' is true, false or empty");
            }
        }
        Map<String, Object> grants = new LinkedHashMap<>();
        grants.put("realmRoles", list(cells.get("realmRoles")));
        Map<String, List<String>> clientRoles = new LinkedHashMap<>();
        for (String clientRole : list(cells.get("clientRoles"))) {
            int colon = clientRole.indexOf(':');
            if (colon <= 0 || colon == clientRole.length() - 1) {
                return Row.refused(
                        line,
                        username,
                        "invalid_request",
                        "clientRoles",
                        "Client roles are written client:role, separated by ';'");
            }
            clientRoles
                    .computeIfAbsent(clientRole.substring(0, colon), k -> new ArrayList<>())
                    .add(clientRole.substring(colon + 1));
        }
        grants.put("clientRoles", clientRoles);
        grants.put("groups", list(cells.get("groups")));
        boolean hasGrants =
                GRANTS.stream().anyMatch(column -> !list(cells.get(column)).isEmpty());

        Map<String, Object> create = new LinkedHashMap<>();
        create.put("username", username);
        putIfPresent(create, "email", cells.get("email"));
        putIfPresent(create, "firstName", cells.get("firstName"));
        putIfPresent(create, "lastName", cells.get("lastName"));
        create.put("sponsor", cells.get("sponsor"));
        putIfPresent(create, "deadline", cells.get("deadline"));
        create.put("grants", grants);
        String stage = cells.getOrDefault("stage", "");
        if (!stage.isEmpty() && !stage.equals("INVITED") && !stage.equals("PROBATION")) {
            return Row.refused(line, username, "invalid_request", "stage", "'stage' is INVITED, PROBATION or empty");
        }

        Map<String, Object> adopt = new LinkedHashMap<>();
        adopt.put("user", username);
        adopt.put("sponsor", cells.get("sponsor"));
        putIfPresent(adopt, "deadline", cells.get("deadline"));
        putIfPresent(adopt, "stage", stage);
        Map<String, Object> invitation = new LinkedHashMap<>();
        if (invite != null) {
            invitation.put("send", invite);
        }
        create.put("invitation", invitation);
        return new Row(line, username, create, adopt, hasGrants, null, null, null);
    }

    private static List<String> list(String cell) {
        if (cell == null || cell.isEmpty()) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String value : cell.split(";")) {
            if (!value.isBlank()) {
                values.add(value.strip());
            }
        }
        return values;
    }

    private static void putIfPresent(Map<String, Object> body, String field, String value) {
        if (value != null && !value.isEmpty()) {
            body.put(field, value);
        }
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : c == '\r' ? "\\r" : String.valueOf(c);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}

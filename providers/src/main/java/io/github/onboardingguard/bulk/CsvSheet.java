package io.github.onboardingguard.bulk;

import java.util.ArrayList;
import java.util.List;

/**
 * A CSV text (RFC 4180: comma separated, double quotes around a cell that holds commas, quotes or
 * line breaks, a quote doubled inside) split into a header and rows. A row that cannot be read is
 * kept with its problem, so the caller can answer for every row.
 */
public final class CsvSheet {

    /** One data row: its line in the file (1-based, the header is line 1), its cells or why it could not be read. */
    public record Row(int line, List<String> cells, String problem) {}

    private final List<String> header;
    private final List<Row> rows;

    private CsvSheet(List<String> header, List<Row> rows) {
        this.header = header;
        this.rows = rows;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Thrown when the text has more than the allowed rows: nothing of it is used. */
    public static final class TooManyRowsException extends RuntimeException {
        public TooManyRowsException(int max) {
            super("The file has more than " + max + " rows; split it into files of at most " + max);
        }
    }

    /** Thrown when the text has no header line or a header that cannot be read. */
    public static final class MalformedHeaderException extends RuntimeException {
        public MalformedHeaderException(String message) {
            super(message);
        }
    }

    public static CsvSheet parse(String text, int maxRows) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Row> records = new ArrayList<>();
        int position = 0;
        int line = 1;
        while (position < body.length()) {
            Reader reader = new Reader(body, position);
            List<String> cells = reader.record();
            Row row = new Row(line, cells, reader.problem);
            line += reader.linesConsumed;
            position = reader.position;
            if (reader.problem == null && cells.size() == 1 && cells.get(0).isBlank()) {
                continue; // an empty line, e.g. the one after the last row
            }
            records.add(row);
            if (records.size() > maxRows + 1) {
                throw new TooManyRowsException(maxRows);
            }
        }
        if (records.isEmpty()) {
            throw new MalformedHeaderException("The file is empty; its first line must name the columns");
        }
        Row first = records.get(0);
        if (first.problem() != null) {
            throw new MalformedHeaderException("The header line cannot be read: " + first.problem());
        }
        List<String> header = first.cells().stream().map(String::strip).toList();
        List<Row> data = new ArrayList<>();
        for (Row row : records.subList(1, records.size())) {
            if (row.problem() == null && row.cells().size() != header.size()) {
                data.add(new Row(
                        row.line(),
                        row.cells(),
                        "has " + row.cells().size() + " cells where the header names " + header.size()));
            } else {
                data.add(row);
            }
        }
        return new CsvSheet(header, data);
    }

    /** Reads one record from a position; a record may span lines inside quotes. */
    private static final class Reader {
        private final String text;
        private int position;
        private int linesConsumed = 1;
        private String problem;

        Reader(String text, int position) {
            this.text = text;
            this.position = position;
        }

        List<String> record() {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (quoted) {
                    if (c == '"') {
                        if (position < text.length() && text.charAt(position) == '"') {
                            cell.append('"');
                            position++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            linesConsumed++;
                        }
                        cell.append(c);
                    }
                } else if (c == '"') {
                    if (cell.length() > 0 || wasQuoted) {
                        problem = "a quote inside a cell that does not start with one";
                        skipToEndOfLine();
                        return cells;
                    }
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r' && position < text.length() && text.charAt(position) == '\n') {
                        position++;
                    }
                    cells.add(cell.toString());
                    return cells;
                } else if (wasQuoted) {
                    problem = "text after the closing quote of a cell";
                    skipToEndOfLine();
                    return cells;
                } else {
                    cell.append(c);
                }
            }
            if (quoted) {
                problem = "a quote that is never closed";
            }
            cells.add(cell.toString());
            return cells;
        }

        private void skipToEndOfLine() {
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '\n') {
                    return;
                }
            }
        }
    }
}

package org.homecoming.roster.lists;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader. It accepts what list systems and spreadsheets really send: a UTF-8 byte-order
 * mark, CRLF or LF line ends, quoted fields holding commas, quotes ({@code ""}) and line breaks, and blank
 * lines (skipped). Each record remembers the line it starts on, so an error can point at the row a person
 * sees in an editor or a spreadsheet.
 */
final class CsvReader {

    private static final char BOM = '\uFEFF';

    /** One record of the file; {@code line} is 1-based and counts the header as line 1. */
    record CsvRecord(int line, List<String> fields) {

        boolean isBlank() {
            return fields.stream().allMatch(String::isBlank);
        }
    }

    /** The text cannot be split into records, for example a quote is never closed. */
    static final class MalformedCsvException extends RuntimeException {
        private final int line;

        MalformedCsvException(int line, String reason) {
            super(reason);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    private CsvReader() {
    }

    /** Every non-blank record of the text, the header included. */
    static List<CsvRecord> read(String text) {
        List<CsvRecord> records = new ArrayList<>();
        int start = !text.isEmpty() && text.charAt(0) == BOM ? 1 : 0;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int quotedSince = -1;
        boolean quoted = false;
        boolean atFieldStart = true;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && atFieldStart) {
                quoted = true;
                quotedSince = line;
                atFieldStart = false;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                add(records, new CsvRecord(recordLine, fields));
                fields = new ArrayList<>();
                field.setLength(0);
                atFieldStart = true;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                atFieldStart = false;
            }
        }
        if (quoted) {
            throw new MalformedCsvException(quotedSince, "a quoted field opened on line " + quotedSince + " is never closed");
        }
        if (!fields.isEmpty() || !field.isEmpty()) {
            fields.add(field.toString());
            add(records, new CsvRecord(recordLine, fields));
        }
        return records;
    }

    private static void add(List<CsvRecord> records, CsvRecord record) {
        if (!record.isBlank()) {
            records.add(record);
        }
    }
}

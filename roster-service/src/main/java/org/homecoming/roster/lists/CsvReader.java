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

    /** The text has more records, or a record more fields, than its reader takes: it is not read on. */
    static final class TooLongException extends RuntimeException {
        private final int line;
        private final boolean records;

        private TooLongException(int line, boolean records, String reason) {
            super(reason);
            this.line = line;
            this.records = records;
        }

        /** The line where the record past the limit starts. */
        int line() {
            return line;
        }

        /** Whether there are too many records (otherwise a record has too many fields). */
        boolean tooManyRecords() {
            return records;
        }
    }

    private CsvReader() {
    }

    /** Every non-blank record of the text, the header included. */
    static List<CsvRecord> read(String text) {
        return read(text, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Every non-blank record of the text, the header included, reading no further than needed to know that there are more
     * than {@code maxRecords} records or a record has more than {@code maxFields} fields: a text of millions of commas or
     * line breaks is refused after a bounded part of it, not held as millions of fields.
     *
     * @throws TooLongException when it has more records or a record more fields
     */
    static List<CsvRecord> read(String text, int maxRecords, int maxFields) {
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
                if (fields.size() >= maxFields) {
                    throw new TooLongException(recordLine, false, "line " + recordLine + " has more than " + maxFields + " fields");
                }
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                add(records, new CsvRecord(recordLine, fields), maxRecords);
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
            add(records, new CsvRecord(recordLine, fields), maxRecords);
        }
        return records;
    }

    private static void add(List<CsvRecord> records, CsvRecord record, int maxRecords) {
        if (record.isBlank()) {
            return;
        }
        if (records.size() >= maxRecords) {
            throw new TooLongException(record.line(), true, "the text has more than " + maxRecords + " records");
        }
        records.add(record);
    }
}

package org.homecoming.roster.lists;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.homecoming.events.common.Side;
import org.homecoming.platform.web.Violation;
import org.homecoming.roster.lists.CsvReader.CsvRecord;
import org.homecoming.roster.lists.CsvReader.MalformedCsvException;
import org.homecoming.roster.lists.CsvReader.TooLongException;

/**
 * Reads a release list from CSV: UTF-8, a header row naming the {@link ListColumn columns} in any order,
 * one person per row. Problems with the file's shape become violations of the upload, so they are
 * answered together with the problems of its rows.
 */
final class ReleaseListCsv {

    private static final String EXPECTED = Arrays.stream(ListColumn.values()).map(ListColumn::header)
            .collect(Collectors.joining(","));
    /**
     * The most fields a line may have: far more than the columns, so a header with a few unknown columns is still answered
     * cell by cell, but a line of a million commas is refused as such instead of as a million unknown columns.
     */
    static final int MAX_FIELDS = 64;

    private ReleaseListCsv() {
    }

    static ListUpload read(byte[] body, String listId, Side releasingSide) {
        Optional<String> text = utf8(body == null ? new byte[0] : body);
        if (text.isEmpty()) {
            return new ListUpload(listId, releasingSide, List.of(), List.of(Violation.of("body",
                    "is not valid UTF-8; save the list as CSV UTF-8")));
        }
        if (text.get().indexOf('\u0000') >= 0) {
            return new ListUpload(listId, releasingSide, List.of(), List.of(Violation.of("body",
                    "contains a NUL character; a CSV list is text")));
        }
        List<CsvRecord> records;
        try {
            records = CsvReader.read(text.get(), ListUpload.MAX_ROWS + 1, MAX_FIELDS);
        } catch (MalformedCsvException malformed) {
            return new ListUpload(listId, releasingSide, List.of(),
                    List.of(Violation.atRow(malformed.line(), "body", malformed.getMessage())));
        } catch (TooLongException tooLong) {
            Violation refused = tooLong.tooManyRecords() ? ListUpload.tooManyRows("body")
                    : Violation.atRow(tooLong.line(), "body", "has more than " + MAX_FIELDS + " fields on this line; a release "
                    + "list has " + ListColumn.values().length + " columns: " + EXPECTED);
            return new ListUpload(listId, releasingSide, List.of(), List.of(refused));
        }
        if (records.isEmpty()) {
            return new ListUpload(listId, releasingSide, List.of(), List.of(Violation.of("body",
                    "is empty; the first row must be the header " + EXPECTED)));
        }
        List<Violation> violations = new ArrayList<>();
        CsvRecord header = records.get(0);
        List<ListColumn> columns = columns(header, violations);
        if (!violations.isEmpty()) {
            return new ListUpload(listId, releasingSide, List.of(), violations);
        }
        List<ListRow> rows = new ArrayList<>(records.size() - 1);
        for (CsvRecord record : records.subList(1, records.size())) {
            if (record.fields().size() != columns.size()) {
                violations.add(Violation.atRow(record.line(), "row", "has " + record.fields().size()
                        + " fields but the header has " + columns.size()));
                continue;
            }
            Map<ListColumn, String> values = new EnumMap<>(ListColumn.class);
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i), record.fields().get(i));
            }
            rows.add(ListRow.of(record.line(), "", values));
        }
        return new ListUpload(listId, releasingSide, rows, violations);
    }

    private static List<ListColumn> columns(CsvRecord header, List<Violation> violations) {
        List<ListColumn> columns = new ArrayList<>();
        Set<ListColumn> seen = new HashSet<>();
        // An unknown header cell is named by its position, never by its text: a list sent without its header line has
        // the first person's names and birth date there, and an answer is logged by every client and gateway it passes.
        int position = 0;
        for (String name : header.fields()) {
            position++;
            Optional<ListColumn> column = ListColumn.byHeader(name);
            if (column.isEmpty()) {
                violations.add(Violation.atRow(header.line(), "column " + position,
                        "is not a column of a release list (is the header line missing, or the separator not a comma?); the columns are " + EXPECTED));
            } else if (!seen.add(column.get())) {
                violations.add(Violation.atRow(header.line(), column.get().header(), "appears twice in the header"));
            } else {
                columns.add(column.get());
            }
        }
        for (ListColumn column : ListColumn.values()) {
            if (column.required() && !seen.contains(column)) {
                violations.add(Violation.atRow(header.line(), column.header(), "the header lacks this required column"));
            }
        }
        return columns;
    }

    private static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }
}

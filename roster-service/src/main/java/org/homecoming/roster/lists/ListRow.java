package org.homecoming.roster.lists;

import java.text.Normalizer;
import java.util.EnumMap;
import java.util.Map;

/**
 * One row of an uploaded list as text, before validation.
 *
 * @param row        where a person finds it: the CSV line (the header is line 1) or the 1-based JSON entry
 * @param pathPrefix what goes before a column name in an error: nothing for CSV, {@code entries[i].} for JSON
 * @param values     the non-blank values by column, trimmed and in Unicode NFC
 */
record ListRow(int row, String pathPrefix, Map<ListColumn, String> values) {

    ListRow {
        values = Map.copyOf(values);
    }

    static ListRow of(int row, String pathPrefix, Map<ListColumn, String> raw) {
        Map<ListColumn, String> clean = new EnumMap<>(ListColumn.class);
        raw.forEach((column, value) -> {
            if (value != null && !value.isBlank()) {
                // NFC: the same name typed on two keyboards (й as one or two code points) is one name
                clean.put(column, Normalizer.normalize(value.strip(), Normalizer.Form.NFC));
            }
        });
        return new ListRow(row, pathPrefix, clean);
    }

    String value(ListColumn column) {
        return values.get(column);
    }

    String field(ListColumn column) {
        return pathPrefix + column.header();
    }
}

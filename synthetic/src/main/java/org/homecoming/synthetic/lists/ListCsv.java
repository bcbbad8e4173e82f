package org.homecoming.synthetic.lists;

import java.util.List;
import java.util.stream.Collectors;

/** A release list in the CSV form the roster accepts: the header line, and rows quoted by RFC 4180. */
public final class ListCsv {

    /** The header line, every column in the roster's canonical order, with the CRLF that ends it. */
    public static final String HEADER = "personId,surname,givenName,patronymic,surnameLatin,givenNameLatin,patronymicLatin,"
            + "birthDate,category,unit,capturePlace,captureDate\r\n";

    private ListCsv() {
    }

    /** One row, without its line end; a null field is an empty cell. */
    public static String row(List<String> fields) {
        return fields.stream().map(ListCsv::cell).collect(Collectors.joining(","));
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}

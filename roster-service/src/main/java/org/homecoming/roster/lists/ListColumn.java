package org.homecoming.roster.lists;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The columns of a release list, in the order of the CSV header and of the canonical form. */
enum ListColumn {
    PERSON_ID("personId", true),
    SURNAME("surname", true),
    GIVEN_NAME("givenName", true),
    PATRONYMIC("patronymic", false),
    SURNAME_LATIN("surnameLatin", false),
    GIVEN_NAME_LATIN("givenNameLatin", false),
    PATRONYMIC_LATIN("patronymicLatin", false),
    BIRTH_DATE("birthDate", false),
    CATEGORY("category", true),
    UNIT("unit", false),
    CAPTURE_PLACE("capturePlace", false),
    CAPTURE_DATE("captureDate", false);

    private static final Map<String, ListColumn> BY_HEADER = Arrays.stream(values())
            .collect(Collectors.toMap(column -> column.header.toLowerCase(Locale.ROOT), Function.identity()));

    private final String header;
    private final boolean required;

    ListColumn(String header, boolean required) {
        this.header = header;
        this.required = required;
    }

    String header() {
        return header;
    }

    boolean required() {
        return required;
    }

    /** Header names are matched without regard to case or surrounding spaces. */
    static Optional<ListColumn> byHeader(String header) {
        return Optional.ofNullable(BY_HEADER.get(header.strip().toLowerCase(Locale.ROOT)));
    }
}

package org.homecoming.roster.lists;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;

/** A valid entry of a release list: one person to be freed. Optional values are null. */
record ListEntry(String personId, String surname, String givenName, String patronymic,
                 String surnameLatin, String givenNameLatin, String patronymicLatin,
                 LocalDate birthDate, PersonCategory category, String unit, String capturePlace,
                 LocalDate captureDate) {

    private static final char FIELD_SEPARATOR = '\u001F';

    ListEntry {
        Objects.requireNonNull(personId);
        Objects.requireNonNull(surname);
        Objects.requireNonNull(givenName);
        Objects.requireNonNull(category);
    }

    /**
     * The entry as one line of the checksum input: every column in header order, separated by the ASCII
     * unit separator (U+001F), absent values empty, dates ISO-8601, ending with a line feed.
     */
    String canonical() {
        StringBuilder line = new StringBuilder(160);
        append(line, personId).append(FIELD_SEPARATOR);
        append(line, surname).append(FIELD_SEPARATOR);
        append(line, givenName).append(FIELD_SEPARATOR);
        append(line, patronymic).append(FIELD_SEPARATOR);
        append(line, surnameLatin).append(FIELD_SEPARATOR);
        append(line, givenNameLatin).append(FIELD_SEPARATOR);
        append(line, patronymicLatin).append(FIELD_SEPARATOR);
        append(line, birthDate).append(FIELD_SEPARATOR);
        append(line, category).append(FIELD_SEPARATOR);
        append(line, unit).append(FIELD_SEPARATOR);
        append(line, capturePlace).append(FIELD_SEPARATOR);
        append(line, captureDate).append('\n');
        return line.toString();
    }

    private static StringBuilder append(StringBuilder line, Object value) {
        return value == null ? line : line.append(value);
    }

    PersonListingChanged toEvent(ListingChange change, String roundId, String listId, int version, Side side,
                                 Instant changedAt) {
        PersonName latin = surnameLatin == null ? null : new PersonName(surnameLatin, givenNameLatin, patronymicLatin);
        return PersonListingChanged.newBuilder()
                .setPersonId(personId)
                .setChange(change)
                .setRoundId(roundId)
                .setListId(listId)
                .setListVersion(version)
                .setReleasingSide(side)
                .setNativeName(new PersonName(surname, givenName, patronymic))
                .setLatinName(latin)
                .setBirthDate(birthDate)
                .setCategory(category)
                .setUnit(unit)
                .setCapturePlace(capturePlace)
                .setCaptureDate(captureDate)
                .setChangedAt(changedAt)
                .build();
    }

    static ListEntry from(PersonListingChanged event) {
        PersonName latin = event.getLatinName();
        return new ListEntry(event.getPersonId(), event.getNativeName().getSurname(),
                event.getNativeName().getGivenName(), event.getNativeName().getPatronymic(),
                latin == null ? null : latin.getSurname(), latin == null ? null : latin.getGivenName(),
                latin == null ? null : latin.getPatronymic(), event.getBirthDate(), event.getCategory(),
                event.getUnit(), event.getCapturePlace(), event.getCaptureDate());
    }
}

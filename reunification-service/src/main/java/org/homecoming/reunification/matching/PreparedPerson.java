package org.homecoming.reunification.matching;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PersonDescription} prepared for scoring: every name in every plausible reading, as shared
 * {@link NameToken}s, and the birth date and category packed into primitives. An index holds one of these
 * per inquiry, so it is kept small: one array and a few primitives besides the shared tokens.
 */
final class PreparedPerson {

    /** One reading of one written name. Given name and patronymic may be null. */
    record PreparedName(NameToken surname, NameToken givenName, NameToken patronymic) {
    }

    static final int UNKNOWN = 0;

    final PreparedName[] names;
    /** Birth date as yyyymmdd, or {@link #UNKNOWN}. */
    final int birthDate;
    /** Birth year (from the date when known), or {@link #UNKNOWN}. */
    final short birthYear;
    /** Category ordinal + 1, or {@link #UNKNOWN}. */
    final byte category;

    private PreparedPerson(PreparedName[] names, int birthDate, short birthYear, byte category) {
        this.names = names;
        this.birthDate = birthDate;
        this.birthYear = birthYear;
        this.category = category;
    }

    static PreparedPerson of(PersonDescription person, NameVocabulary vocabulary) {
        List<PreparedName> prepared = new ArrayList<>(person.names().size() * 2);
        for (Name name : person.names()) {
            addReadings(name, vocabulary, prepared);
        }
        LocalDate date = person.birthDate();
        int packedDate = date == null ? UNKNOWN : date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
        int year = date != null ? date.getYear() : person.birthYear() != null ? person.birthYear() : UNKNOWN;
        byte category = person.category() == null ? UNKNOWN : (byte) (person.category().ordinal() + 1);
        return new PreparedPerson(prepared.toArray(PreparedName[]::new), packedDate, (short) year, category);
    }

    private static void addReadings(Name name, NameVocabulary vocabulary, List<PreparedName> into) {
        String surname = clean(name.surname());
        String given = clean(name.givenName());
        String patronymic = clean(name.patronymic());
        // a whole name written into one field: "Петренко Олександр Іванович"
        if (given.isEmpty() && surname.indexOf(' ') > 0) {
            String[] words = surname.split(" ");
            surname = words[0];
            given = words[1];
            if (patronymic.isEmpty() && words.length > 2) {
                patronymic = words[2];
            }
        } else if (patronymic.isEmpty() && given.indexOf(' ') > 0) {
            String[] words = given.split(" ");
            given = words[0];
            patronymic = words[1];
        }
        if (surname.isEmpty() && given.isEmpty()) {
            return;
        }
        for (Transliteration.Reading reading : Transliteration.readings(surname + ' ' + given + ' ' + patronymic)) {
            NameToken s = surname.isEmpty() ? null : vocabulary.token(surname, reading);
            NameToken g = given.isEmpty() ? null : vocabulary.token(given, reading);
            NameToken p = patronymic.isEmpty() ? null : vocabulary.token(patronymic, reading);
            if (s == null && g == null) {
                continue;
            }
            PreparedName candidate = new PreparedName(s, g, p);
            boolean duplicate = false;
            for (PreparedName existing : into) {
                duplicate |= existing.surname() == s && existing.givenName() == g && existing.patronymic() == p;
            }
            if (!duplicate) {
                into.add(candidate);
            }
        }
    }

    private static String clean(String part) {
        return part == null ? "" : part.strip().replaceAll("\\s+", " ");
    }
}

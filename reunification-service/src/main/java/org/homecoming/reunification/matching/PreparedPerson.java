package org.homecoming.reunification.matching;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.homecoming.events.common.Sex;

/**
 * A {@link PersonDescription} prepared for scoring: every name in every plausible reading, as shared
 * {@link NameToken}s, and the birth date, category and the other evidence packed into primitives. An index holds
 * one of these per inquiry, so it is kept small: it is its own first reading (most persons have only one), and holds
 * an array only for the further readings, besides a few fields and the shared tokens.
 */
final class PreparedPerson extends PreparedName {

    static final int UNKNOWN = 0;
    /** No capture date. */
    static final int NO_DAY = Integer.MIN_VALUE;

    /** Words a hotline note carries besides the name ("born about 1990", "р.н."), dropped before reading it. */
    private static final Set<String> NOT_A_NAME = Set.of("born", "b", "about", "approx", "circa", "ca", "aged", "age",
            "year", "years", "old", "yo", "dob", "народився", "народилася", "народжений", "народжена", "родился",
            "родилась", "рік", "року", "роки", "років", "года", "год", "лет", "г", "р", "н", "рн", "гр", "близько",
            "около", "приблизно", "примерно");

    private static final PreparedName[] NO_MORE_NAMES = new PreparedName[0];

    /** The readings after the first, which is this person's own; empty for most. */
    private final PreparedName[] moreNames;
    /** Birth date as yyyymmdd, or {@link #UNKNOWN}. */
    final int birthDate;
    /** Birth year (from the date when known), or {@link #UNKNOWN}. */
    final short birthYear;
    /** Category ordinal + 1, or {@link #UNKNOWN}. */
    final byte category;
    /** Stated sex (GivenNames.MALE/FEMALE), else the one a patronymic ending tells, else UNKNOWN_SEX. */
    final byte sex;
    /** The numbers of the unit ("72"), or null. */
    final String unit;
    /** The capture place (its words as hyphen-joined parts), or null. */
    final NameToken capturePlace;
    /** Capture date as epoch day, or {@link #NO_DAY}. */
    final int captureDay;

    private PreparedPerson(List<PreparedName> names, int birthDate, short birthYear, byte category, byte sex,
            String unit, NameToken capturePlace, int captureDay) {
        super(names.isEmpty() ? null : names.get(0).surname(), names.isEmpty() ? null : names.get(0).givenName(),
                names.isEmpty() ? null : names.get(0).patronymic());
        this.moreNames = names.size() <= 1 ? NO_MORE_NAMES
                : names.subList(1, names.size()).toArray(PreparedName[]::new);
        this.birthDate = birthDate;
        this.birthYear = birthYear;
        this.category = category;
        this.sex = sex;
        this.unit = unit;
        this.capturePlace = capturePlace;
        this.captureDay = captureDay;
    }

    static PreparedPerson of(PersonDescription person, NameVocabulary vocabulary) {
        byte statedSex = person.sex() == null ? GivenNames.UNKNOWN_SEX
                : person.sex() == Sex.MALE ? GivenNames.MALE : GivenNames.FEMALE;
        List<PreparedName> prepared = new ArrayList<>(person.names().size() * 2);
        for (Name name : person.names()) {
            addReadings(name, vocabulary, prepared);
        }
        if (person.fullName() != null) {
            for (Name reading : FullName.readings(person.fullName(), statedSex, vocabulary)) {
                addReadings(reading, vocabulary, prepared);
            }
        }
        byte sex = statedSex != GivenNames.UNKNOWN_SEX ? statedSex : patronymicSex(prepared);
        LocalDate date = person.birthDate();
        int packedDate = date == null ? UNKNOWN : date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
        int year = date != null ? date.getYear() : person.birthYear() != null ? person.birthYear() : UNKNOWN;
        byte category = person.category() == null ? UNKNOWN : (byte) (person.category().ordinal() + 1);
        NameToken place = null;
        if (person.capturePlace() != null && !person.capturePlace().isBlank()) {
            String written = person.capturePlace().strip();
            place = vocabulary.token(written, Transliteration.readings(written).get(0));
        }
        int captureDay = person.captureDate() == null ? NO_DAY : (int) person.captureDate().toEpochDay();
        return new PreparedPerson(prepared, packedDate, (short) year, category, sex,
                unitNumbers(person.unit()), place, captureDay);
    }

    /** How many readings of the names there are: none when no name could be read (then its own fields are null). */
    int readings() {
        return surname() == null && givenName() == null ? 0 : 1 + moreNames.length;
    }

    /** A reading, {@code 0 <= i < readings()}: the first is the person itself. */
    PreparedName reading(int i) {
        return i == 0 ? this : moreNames[i - 1];
    }

    private static byte patronymicSex(List<PreparedName> names) {
        byte sex = GivenNames.UNKNOWN_SEX;
        for (PreparedName name : names) {
            if (name.patronymic() != null && name.patronymic().patronymicSex != GivenNames.UNKNOWN_SEX) {
                if (sex != GivenNames.UNKNOWN_SEX && sex != name.patronymic().patronymicSex) {
                    return GivenNames.UNKNOWN_SEX;
                }
                sex = name.patronymic().patronymicSex;
            }
        }
        return sex;
    }

    /** The digit groups of a unit, joined by '/', interned (units repeat); null when it has none. */
    static String unitNumbers(String unit) {
        if (unit == null) {
            return null;
        }
        StringBuilder numbers = new StringBuilder();
        boolean inNumber = false;
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            if (c >= '0' && c <= '9') {
                if (!inNumber && numbers.length() > 0) {
                    numbers.append('/');
                }
                numbers.append(c);
                inNumber = true;
            } else {
                inNumber = false;
            }
        }
        return numbers.length() == 0 ? null : numbers.toString().intern();
    }

    private static void addReadings(Name name, NameVocabulary vocabulary, List<PreparedName> into) {
        String surname = clean(name.surname());
        String given = clean(name.givenName());
        String patronymic = clean(name.patronymic());
        // a whole name written into one field: "Петренко Олександр Іванович"
        if (given.isEmpty() && surname.indexOf(' ') > 0) {
            for (Name reading : FullName.readings(surname, GivenNames.UNKNOWN_SEX, vocabulary)) {
                addReadings(reading, vocabulary, into);
            }
            return;
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
            boolean duplicate = false;
            for (PreparedName existing : into) {
                duplicate |= existing.surname() == s && existing.givenName() == g && existing.patronymic() == p;
            }
            if (!duplicate) {
                into.add(new PreparedName(s, g, p));
            }
        }
    }

    private static String clean(String part) {
        return part == null ? "" : part.strip().replaceAll("\\s+", " ");
    }

    /** Words of a hotline note that can be part of a name. */
    static List<String> nameWords(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split("[\\s]+")) {
            String trimmed = word.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
            if (trimmed.isEmpty() || trimmed.chars().anyMatch(Character::isDigit)
                    || NOT_A_NAME.contains(trimmed.toLowerCase(Locale.ROOT).replace(".", ""))) {
                continue;
            }
            words.add(trimmed);
        }
        return words;
    }
}

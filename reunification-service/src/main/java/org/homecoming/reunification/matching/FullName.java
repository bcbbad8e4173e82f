package org.homecoming.reunification.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole name written as one string ("Петренко Олександр Іванович", "Oleksandr Petrenko",
 * "PETRENKO, Aleksandr", "Sasha Petrenko, born about 1990") into every plausible split into surname, given
 * name and patronymic. The scorer then keeps the reading that agrees best with the listed person, and already
 * compares every reading with the listed names and keeps the best.
 *
 * <p>The name vocabulary decides what a word can be: a word with a patronymic ending (-ович, -івна, -ovich,
 * -ovna) is read as the patronymic, unless a stated sex rules its gender out; a comma puts the surname first.
 * Without either, each word in turn is tried as the given name and the rest as a (double) surname.
 */
final class FullName {

    /** More words than this are not a name; only the first ones are read. */
    private static final int MAX_WORDS = 5;

    private FullName() {
    }

    static List<Name> readings(String written, byte sex, NameVocabulary vocabulary) {
        List<Name> readings = new ArrayList<>();
        int comma = written.indexOf(',');
        if (comma > 0) {
            List<String> before = PreparedPerson.nameWords(written.substring(0, comma));
            List<String> after = PreparedPerson.nameWords(written.substring(comma + 1));
            if (!before.isEmpty() && !after.isEmpty()) {
                // "Петренко, Олександр Іванович": the surname comes first
                readings.add(new Name(String.join("-", before), after.get(0), after.size() > 1 ? after.get(1) : null));
                return readings;
            }
            written = before.isEmpty() ? written.substring(comma + 1) : written.substring(0, comma);
        }
        List<String> words = PreparedPerson.nameWords(written);
        if (words.size() > MAX_WORDS) {
            words = words.subList(0, MAX_WORDS);
        }
        if (words.isEmpty()) {
            return readings;
        }
        if (words.size() == 1) {
            readings.add(new Name(words.get(0), null, null));
            readings.add(new Name(null, words.get(0), null));
            return readings;
        }
        Transliteration.Reading script = Transliteration.readings(String.join(" ", words)).get(0);
        boolean anyPatronymic = false;
        for (int p = 0; p < words.size(); p++) {
            NameToken token = vocabulary.token(words.get(p), script);
            if (token != null && token.patronymicSex != GivenNames.UNKNOWN_SEX
                    && (sex == GivenNames.UNKNOWN_SEX || sex == token.patronymicSex)) {
                anyPatronymic = true;
                List<String> rest = new ArrayList<>(words);
                rest.remove(p);
                splitRest(rest, words.get(p), readings);
            }
        }
        if (!anyPatronymic) {
            splitRest(words, null, readings);
            if (words.size() == 3) {
                // a patronymic we cannot recognise (a typo, an unusual father's name): in its usual places
                readings.add(new Name(words.get(0), words.get(1), words.get(2)));
                readings.add(new Name(words.get(2), words.get(0), words.get(1)));
            }
        }
        return readings;
    }

    /** The words left besides the patronymic: one is the given name, the others the surname. */
    private static void splitRest(List<String> rest, String patronymic, List<Name> into) {
        if (rest.isEmpty()) {
            return;
        }
        if (rest.size() == 1) {
            into.add(new Name(null, rest.get(0), patronymic));
            into.add(new Name(rest.get(0), null, patronymic));
            return;
        }
        if (rest.size() == 2) {
            // both ways: the scorer's own swap compares a surname with a given name as surnames, which misses
            // "Sasha Petrenko" against Петренко Олександр
            into.add(new Name(rest.get(0), rest.get(1), patronymic));
            into.add(new Name(rest.get(1), rest.get(0), patronymic));
            return;
        }
        for (int g = 0; g < rest.size(); g++) {
            List<String> surname = new ArrayList<>(rest);
            surname.remove(g);
            into.add(new Name(String.join("-", surname), rest.get(g), patronymic));
        }
    }
}

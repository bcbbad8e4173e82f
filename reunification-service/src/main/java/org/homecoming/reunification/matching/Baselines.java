package org.homecoming.reunification.matching;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The two simple matchers that the real scorer is measured against, on the same labelled set. Both say
 * AUTO_MATCH when their name test passes and the birth dates are equal, and REVIEW when only the name test
 * passes.
 */
public final class Baselines {

    private Baselines() {
    }

    /** Names equal after NFKC and lowercasing, Cyrillic left as it is: what the walking skeleton did. */
    public static QualityReport.PairClassifier exactNormalized() {
        return (sought, listed) -> classify(sought, listed, (a, b) ->
                nonEmptyEqual(nfkc(a.surname()), nfkc(b.surname())) && nonEmptyEqual(nfkc(a.givenName()), nfkc(b.givenName())));
    }

    /** Jaro–Winkler of at least 0.9 on surname and on given name, after a naive letter-by-letter romanisation. */
    public static QualityReport.PairClassifier naiveJaroWinkler() {
        return (sought, listed) -> classify(sought, listed, (a, b) ->
                similar(naive(a.surname()), naive(b.surname())) && similar(naive(a.givenName()), naive(b.givenName())));
    }

    private interface NameTest {
        boolean agree(Name a, Name b);
    }

    private static Outcome classify(PersonDescription sought, PersonDescription listed, NameTest test) {
        boolean names = sought.names().stream().anyMatch(a -> listed.names().stream().anyMatch(b -> test.agree(a, b)));
        if (!names) {
            return Outcome.NON_MATCH;
        }
        boolean dates = sought.birthDate() != null && Objects.equals(sought.birthDate(), listed.birthDate());
        return dates ? Outcome.AUTO_MATCH : Outcome.REVIEW;
    }

    private static boolean similar(String a, String b) {
        return !a.isEmpty() && !b.isEmpty() && JaroWinkler.similarity(a, b) >= 0.9;
    }

    private static boolean nonEmptyEqual(String a, String b) {
        return !a.isEmpty() && a.equals(b);
    }

    private static String nfkc(String text) {
        return text == null ? "" : Normalizer.normalize(text, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }

    private static final Map<Character, String> NAIVE = Map.ofEntries(
            Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "g"), Map.entry('ґ', "g"),
            Map.entry('д', "d"), Map.entry('е', "e"), Map.entry('є', "e"), Map.entry('ё', "e"), Map.entry('ж', "zh"),
            Map.entry('з', "z"), Map.entry('и', "i"), Map.entry('і', "i"), Map.entry('ї', "i"), Map.entry('й', "j"),
            Map.entry('к', "k"), Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"), Map.entry('о', "o"),
            Map.entry('п', "p"), Map.entry('р', "r"), Map.entry('с', "s"), Map.entry('т', "t"), Map.entry('у', "u"),
            Map.entry('ф', "f"), Map.entry('х', "h"), Map.entry('ц', "c"), Map.entry('ч', "ch"), Map.entry('ш', "sh"),
            Map.entry('щ', "sch"), Map.entry('ъ', ""), Map.entry('ы', "y"), Map.entry('ь', ""), Map.entry('э', "e"),
            Map.entry('ю', "ju"), Map.entry('я', "ja"), Map.entry('\'', ""));

    private static String naive(String text) {
        String lower = nfkc(text);
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            out.append(NAIVE.getOrDefault(c, String.valueOf(c)));
        }
        return out.toString();
    }
}

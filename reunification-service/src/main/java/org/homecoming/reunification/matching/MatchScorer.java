package org.homecoming.reunification.matching;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Scores a sought person against a listed one.
 *
 * <p>WALKING SKELETON: exact normalized surname + given name plus an equal birth date. The real
 * Fellegi-Sunter scorer replaces this.
 */
public final class MatchScorer {

    public Assessment assess(PersonDescription sought, PersonDescription listed) {
        boolean sameName = sought.names().stream().anyMatch(a -> listed.names().stream().anyMatch(b -> sameName(a, b)));
        boolean sameBirth = sought.birthDate() != null && Objects.equals(sought.birthDate(), listed.birthDate());
        if (sameName && sameBirth) {
            return new Assessment(Outcome.AUTO_MATCH, 20.0,
                    List.of(new Evidence("name", "EXACT", 10.0), new Evidence("birthDate", "EXACT", 10.0)));
        }
        return new Assessment(Outcome.NON_MATCH, 0.0, List.of());
    }

    private static boolean sameName(Name a, Name b) {
        return normalize(a.surname()).equals(normalize(b.surname())) && normalize(a.givenName()).equals(normalize(b.givenName()));
    }

    private static String normalize(String text) {
        return text == null ? "" : Normalizer.normalize(text, Normalizer.Form.NFKC).trim().toLowerCase(Locale.ROOT);
    }
}

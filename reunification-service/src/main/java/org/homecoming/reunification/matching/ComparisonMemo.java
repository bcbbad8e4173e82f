package org.homecoming.reunification.matching;

import java.util.IdentityHashMap;

import org.homecoming.reunification.matching.MatchWeights.GivenNameLevel;
import org.homecoming.reunification.matching.MatchWeights.PatronymicLevel;
import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;

/**
 * Name-comparison levels already worked out while one person is scored against many inquiries. Tokens are
 * shared, so the thousand inquiries in a surname block hold a handful of distinct surnames: each is
 * compared with the arriving person's names once, not a thousand times. Confined to one search thread.
 */
final class ComparisonMemo {

    private final IdentityHashMap<NameToken, IdentityHashMap<NameToken, SurnameLevel>> surnames = new IdentityHashMap<>();
    private final IdentityHashMap<NameToken, IdentityHashMap<NameToken, GivenNameLevel>> givenNames = new IdentityHashMap<>();
    private final IdentityHashMap<NameToken, IdentityHashMap<NameToken, PatronymicLevel>> patronymics = new IdentityHashMap<>();

    SurnameLevel surname(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return SurnameLevel.MISSING;
        }
        IdentityHashMap<NameToken, SurnameLevel> known = surnames.get(listed);
        if (known == null) {
            known = new IdentityHashMap<>();
            surnames.put(listed, known);
        }
        SurnameLevel level = known.get(sought);
        if (level == null) {
            level = MatchScorer.surnameLevel(sought, listed);
            known.put(sought, level);
        }
        return level;
    }

    GivenNameLevel givenName(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return GivenNameLevel.MISSING;
        }
        IdentityHashMap<NameToken, GivenNameLevel> known = givenNames.get(listed);
        if (known == null) {
            known = new IdentityHashMap<>();
            givenNames.put(listed, known);
        }
        GivenNameLevel level = known.get(sought);
        if (level == null) {
            level = MatchScorer.givenNameLevel(sought, listed);
            known.put(sought, level);
        }
        return level;
    }

    PatronymicLevel patronymic(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return PatronymicLevel.MISSING;
        }
        IdentityHashMap<NameToken, PatronymicLevel> known = patronymics.get(listed);
        if (known == null) {
            known = new IdentityHashMap<>();
            patronymics.put(listed, known);
        }
        PatronymicLevel level = known.get(sought);
        if (level == null) {
            level = MatchScorer.patronymicLevel(sought, listed);
            known.put(sought, level);
        }
        return level;
    }
}

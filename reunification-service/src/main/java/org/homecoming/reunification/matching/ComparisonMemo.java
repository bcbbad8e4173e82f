package org.homecoming.reunification.matching;

import java.util.IdentityHashMap;
import java.util.function.BiFunction;

import org.homecoming.reunification.matching.MatchWeights.GivenNameLevel;
import org.homecoming.reunification.matching.MatchWeights.PatronymicLevel;
import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;

/**
 * Name-comparison levels already worked out while one person is scored against many inquiries. Tokens are
 * shared, so the thousand inquiries in a surname block hold a handful of distinct surnames: each is
 * compared with the arriving person's names once, not a thousand times. Confined to one search thread.
 *
 * <p>Two shortcuts before the maps, because the index visits a block's inquiries one after another: the same token
 * on both sides is EXACT, and each listed token remembers its last answer (the inquiries of one surname block share
 * their surname token, so the swapped-order comparison of that surname with the listed given name repeats).
 */
final class ComparisonMemo {

    /** The levels of one listed token against the sought tokens met so far. */
    private static final class Row<L> {
        NameToken lastSought;
        L lastLevel;
        final IdentityHashMap<NameToken, L> known = new IdentityHashMap<>();
    }

    private final IdentityHashMap<NameToken, Row<SurnameLevel>> surnames = new IdentityHashMap<>();
    private final IdentityHashMap<NameToken, Row<GivenNameLevel>> givenNames = new IdentityHashMap<>();
    private final IdentityHashMap<NameToken, Row<PatronymicLevel>> patronymics = new IdentityHashMap<>();

    SurnameLevel surname(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return SurnameLevel.MISSING;
        }
        return sought == listed ? SurnameLevel.EXACT : level(surnames, sought, listed, MatchScorer::surnameLevel);
    }

    GivenNameLevel givenName(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return GivenNameLevel.MISSING;
        }
        return sought == listed ? GivenNameLevel.EXACT : level(givenNames, sought, listed, MatchScorer::givenNameLevel);
    }

    PatronymicLevel patronymic(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return PatronymicLevel.MISSING;
        }
        return sought == listed ? PatronymicLevel.EXACT : level(patronymics, sought, listed, MatchScorer::patronymicLevel);
    }

    private static <L> L level(IdentityHashMap<NameToken, Row<L>> rows, NameToken sought, NameToken listed,
            BiFunction<NameToken, NameToken, L> compare) {
        Row<L> row = rows.get(listed);
        if (row == null) {
            row = new Row<>();
            rows.put(listed, row);
        } else if (row.lastSought == sought) {
            return row.lastLevel;
        }
        L level = row.known.get(sought);
        if (level == null) {
            level = compare.apply(sought, listed);
            row.known.put(sought, level);
        }
        row.lastSought = sought;
        row.lastLevel = level;
        return level;
    }
}

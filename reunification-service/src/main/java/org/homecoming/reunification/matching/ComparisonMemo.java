package org.homecoming.reunification.matching;

import java.util.IdentityHashMap;

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
 * their surname token, so the swapped-order comparison of that surname with the listed given name repeats). Written out
 * per field rather than through one generic method, so each call site stays monomorphic for the JIT.
 */
final class ComparisonMemo {

    /** The levels of one listed token against the sought tokens met so far, and its last answer. */
    private static final class SurnameRow {
        NameToken lastSought;
        SurnameLevel lastLevel;
        final IdentityHashMap<NameToken, SurnameLevel> known = new IdentityHashMap<>();
    }

    /** The levels of one listed token against the sought tokens met so far, and its last answer. */
    private static final class GivenNameRow {
        NameToken lastSought;
        GivenNameLevel lastLevel;
        final IdentityHashMap<NameToken, GivenNameLevel> known = new IdentityHashMap<>();
    }

    /** The levels of one listed token against the sought tokens met so far, and its last answer. */
    private static final class PatronymicRow {
        NameToken lastSought;
        PatronymicLevel lastLevel;
        final IdentityHashMap<NameToken, PatronymicLevel> known = new IdentityHashMap<>();
    }

    private final IdentityHashMap<NameToken, SurnameRow> surnames = new IdentityHashMap<>();
    private final IdentityHashMap<NameToken, GivenNameRow> givenNames = new IdentityHashMap<>();
    private final IdentityHashMap<NameToken, PatronymicRow> patronymics = new IdentityHashMap<>();

    SurnameLevel surname(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return SurnameLevel.MISSING;
        }
        if (sought == listed) {
            return SurnameLevel.EXACT;
        }
        SurnameRow row = surnames.get(listed);
        if (row == null) {
            row = new SurnameRow();
            surnames.put(listed, row);
        } else if (row.lastSought == sought) {
            return row.lastLevel;
        }
        SurnameLevel level = row.known.get(sought);
        if (level == null) {
            level = MatchScorer.surnameLevel(sought, listed);
            row.known.put(sought, level);
        }
        row.lastSought = sought;
        row.lastLevel = level;
        return level;
    }

    GivenNameLevel givenName(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return GivenNameLevel.MISSING;
        }
        if (sought == listed) {
            return GivenNameLevel.EXACT;
        }
        GivenNameRow row = givenNames.get(listed);
        if (row == null) {
            row = new GivenNameRow();
            givenNames.put(listed, row);
        } else if (row.lastSought == sought) {
            return row.lastLevel;
        }
        GivenNameLevel level = row.known.get(sought);
        if (level == null) {
            level = MatchScorer.givenNameLevel(sought, listed);
            row.known.put(sought, level);
        }
        row.lastSought = sought;
        row.lastLevel = level;
        return level;
    }

    PatronymicLevel patronymic(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return PatronymicLevel.MISSING;
        }
        if (sought == listed) {
            return PatronymicLevel.EXACT;
        }
        PatronymicRow row = patronymics.get(listed);
        if (row == null) {
            row = new PatronymicRow();
            patronymics.put(listed, row);
        } else if (row.lastSought == sought) {
            return row.lastLevel;
        }
        PatronymicLevel level = row.known.get(sought);
        if (level == null) {
            level = MatchScorer.patronymicLevel(sought, listed);
            row.known.put(sought, level);
        }
        row.lastSought = sought;
        row.lastLevel = level;
        return level;
    }
}

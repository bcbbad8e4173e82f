package org.homecoming.reunification.matching;

import java.util.Arrays;
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

    /**
     * The number of distinct sought surnames a search usually meets, to size the rows: the given-name blocks bring
     * candidates of a thousand or more surnames, and growing a row step by step rehashes it again and again.
     */
    private static final int EXPECTED_SURNAMES = 1024;
    private static final int EXPECTED_NAMES = 64;

    /** The levels of one listed token against the sought tokens met so far, and its last answer. */
    private static final class SurnameRow {
        final NameToken listed;
        NameToken lastSought;
        SurnameLevel lastLevel;
        /** Bits an agreement on this listed surname loses for being common; NaN until asked. */
        double adjustment = Double.NaN;
        final IdentityHashMap<NameToken, SurnameLevel> known = new IdentityHashMap<>(EXPECTED_SURNAMES);

        SurnameRow(NameToken listed) {
            this.listed = listed;
        }
    }

    /** The levels of one listed token against the sought tokens met so far, and its last answer. */
    private static final class GivenNameRow {
        final NameToken listed;
        NameToken lastSought;
        GivenNameLevel lastLevel;
        final IdentityHashMap<NameToken, GivenNameLevel> known = new IdentityHashMap<>(EXPECTED_NAMES);

        GivenNameRow(NameToken listed) {
            this.listed = listed;
        }
    }

    /** The levels of one listed token against the sought tokens met so far, and its last answer. */
    private static final class PatronymicRow {
        final NameToken listed;
        NameToken lastSought;
        PatronymicLevel lastLevel;
        final IdentityHashMap<NameToken, PatronymicLevel> known = new IdentityHashMap<>(EXPECTED_NAMES);

        PatronymicRow(NameToken listed) {
            this.listed = listed;
        }
    }

    // one row per token of the listed person, a handful: found by a scan, cheaper than hashing for each candidate
    private SurnameRow[] surnames = new SurnameRow[4];
    private int surnameRows;
    private GivenNameRow[] givenNames = new GivenNameRow[4];
    private int givenNameRows;
    private PatronymicRow[] patronymics = new PatronymicRow[4];
    private int patronymicRows;

    SurnameLevel surname(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return SurnameLevel.MISSING;
        }
        if (sought == listed) {
            return SurnameLevel.EXACT;
        }
        SurnameRow row = surnameRow(listed);
        if (row.lastSought == sought) {
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

    /** What an agreement on this listed surname loses for being common among the listed people, looked up once. */
    double surnameAdjustment(NameToken listed, ListedSurnames surnames) {
        if (listed == null) {
            return 0.0;
        }
        SurnameRow row = surnameRow(listed);
        if (Double.isNaN(row.adjustment)) {
            row.adjustment = surnames.adjustment(listed);
        }
        return row.adjustment;
    }

    GivenNameLevel givenName(NameToken sought, NameToken listed) {
        if (sought == null || listed == null) {
            return GivenNameLevel.MISSING;
        }
        if (sought == listed) {
            return GivenNameLevel.EXACT;
        }
        GivenNameRow row = givenNameRow(listed);
        if (row.lastSought == sought) {
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
        PatronymicRow row = patronymicRow(listed);
        if (row.lastSought == sought) {
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

    private SurnameRow surnameRow(NameToken listed) {
        for (int i = 0; i < surnameRows; i++) {
            if (surnames[i].listed == listed) {
                return surnames[i];
            }
        }
        if (surnameRows == surnames.length) {
            surnames = Arrays.copyOf(surnames, surnameRows * 2);
        }
        return surnames[surnameRows++] = new SurnameRow(listed);
    }

    private GivenNameRow givenNameRow(NameToken listed) {
        for (int i = 0; i < givenNameRows; i++) {
            if (givenNames[i].listed == listed) {
                return givenNames[i];
            }
        }
        if (givenNameRows == givenNames.length) {
            givenNames = Arrays.copyOf(givenNames, givenNameRows * 2);
        }
        return givenNames[givenNameRows++] = new GivenNameRow(listed);
    }

    private PatronymicRow patronymicRow(NameToken listed) {
        for (int i = 0; i < patronymicRows; i++) {
            if (patronymics[i].listed == listed) {
                return patronymics[i];
            }
        }
        if (patronymicRows == patronymics.length) {
            patronymics = Arrays.copyOf(patronymics, patronymicRows * 2);
        }
        return patronymics[patronymicRows++] = new PatronymicRow(listed);
    }
}

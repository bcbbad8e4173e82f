package org.homecoming.reunification.pairing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Each inquiry's pairs (or each person's), in the order they were made: a table of the arrays themselves, keyed by the
 * id their pairs hold (open addressing, linear probing). Some 350,000 inquiries have pairs; a hash map cost a node of 32
 * bytes per inquiry for what the array's first pair knows already. Sides are only ever added: a rebuild starts a new
 * table.
 */
final class PairsBySide {

    private static final Pair[] NONE = {};
    private static final int FIRST_CAPACITY = 16;

    private final boolean byInquiry;
    private Pair[][] slots = new Pair[FIRST_CAPACITY][];
    private int size;

    private PairsBySide(boolean byInquiry) {
        this.byInquiry = byInquiry;
    }

    static PairsBySide byInquiry() {
        return new PairsBySide(true);
    }

    static PairsBySide byPerson() {
        return new PairsBySide(false);
    }

    /** The pairs of this inquiry (or person), none when it has none. */
    Pair[] of(String id) {
        Pair[] pairs = get(id);
        return pairs == null ? NONE : pairs;
    }

    /** The pairs of this inquiry (or person), or null. */
    Pair[] get(String id) {
        Pair[][] table = slots;
        int mask = table.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            Pair[] pairs = table[i];
            if (pairs == null || id.equals(key(pairs))) {
                return pairs;
            }
        }
    }

    /** Holds these pairs, all of one inquiry (or person), in place of those it held of it. */
    void put(Pair[] pairs) {
        String id = key(pairs);
        int mask = slots.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            if (slots[i] == null) {
                break;
            }
            if (id.equals(key(slots[i]))) {
                slots[i] = pairs;
                return;
            }
        }
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        place(slots, pairs);
        size++;
    }

    /** The inquiries (or persons) that have pairs. */
    Set<String> ids() {
        List<String> ids = new ArrayList<>(size);
        for (Pair[] pairs : slots) {
            if (pairs != null) {
                ids.add(key(pairs));
            }
        }
        return Set.copyOf(ids);
    }

    private String key(Pair[] pairs) {
        return byInquiry ? pairs[0].inquiryId : pairs[0].personId;
    }

    private void grow() {
        Pair[][] larger = new Pair[slots.length * 2][];
        for (Pair[] pairs : slots) {
            if (pairs != null) {
                place(larger, pairs);
            }
        }
        slots = larger;
    }

    private void place(Pair[][] table, Pair[] pairs) {
        int mask = table.length - 1;
        int i = slot(key(pairs), mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = pairs;
    }

    private static int slot(String id, int mask) {
        int h = id.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}

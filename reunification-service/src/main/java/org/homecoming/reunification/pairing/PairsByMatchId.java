package org.homecoming.reunification.pairing;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * The pairs by match id, as a table of the pairs themselves, keyed by the match id's two halves that each pair holds
 * (open addressing, linear probing). A service holds hundreds of thousands of pairs, and a hash map cost a node and a
 * UUID per pair (some 64 bytes); this costs a slot. Pairs are only ever added: a rebuild starts a new table.
 */
final class PairsByMatchId {

    private static final int FIRST_CAPACITY = 16;

    private Pair[] slots = new Pair[FIRST_CAPACITY];
    private int size;

    /** Adds a pair whose match id is not in the table yet. */
    void add(Pair pair) {
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        place(slots, pair);
        size++;
    }

    /** The pair with this match id, or null. */
    Pair get(long high, long low) {
        Pair[] table = slots;
        int mask = table.length - 1;
        for (int i = slot(high, low, mask); ; i = (i + 1) & mask) {
            Pair pair = table[i];
            if (pair == null || (pair.matchHigh == high && pair.matchLow == low)) {
                return pair;
            }
        }
    }

    /** The pair with this match id, or null. */
    Pair get(UUID matchId) {
        return get(matchId.getMostSignificantBits(), matchId.getLeastSignificantBits());
    }

    boolean contains(Pair pair) {
        return get(pair.matchHigh, pair.matchLow) != null;
    }

    /** Every pair, in no particular order. */
    void forEach(Consumer<Pair> action) {
        for (Pair pair : slots) {
            if (pair != null) {
                action.accept(pair);
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        Pair[] larger = new Pair[slots.length * 2];
        for (Pair pair : slots) {
            if (pair != null) {
                place(larger, pair);
            }
        }
        slots = larger;
    }

    private static void place(Pair[] table, Pair pair) {
        int mask = table.length - 1;
        int i = slot(pair.matchHigh, pair.matchLow, mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = pair;
    }

    /** A match id is a name-based UUID, an MD5 digest: its bits are spread already; mixing them again spreads ids made otherwise. */
    private static int slot(long high, long low, int mask) {
        long h = (high ^ low) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}

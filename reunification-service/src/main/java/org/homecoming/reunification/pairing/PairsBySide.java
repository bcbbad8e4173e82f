package org.homecoming.reunification.pairing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Each inquiry's pairs (or each person's), in the order they were made: a table of the arrays themselves, keyed by the
 * id their pairs hold (open addressing, linear probing). Some 350,000 inquiries have pairs; a hash map cost a node of 32
 * bytes per inquiry for what the array's first pair knows already. Most inquiries have one pair, held in the table
 * without an array (an array of one cost 24 bytes). Sides are only ever added: a rebuild starts a new table.
 */
final class PairsBySide {

    private static final Pair[] NONE = {};
    private static final int FIRST_CAPACITY = 16;

    private final boolean byInquiry;
    /** Each slot empty, a {@link Pair} or an array of two pairs and more. */
    private Object[] slots = new Object[FIRST_CAPACITY];
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
        Object[] table = slots;
        int mask = table.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            Object held = table[i];
            if (held == null) {
                return null;
            }
            if (id.equals(key(held))) {
                return held instanceof Pair pair ? new Pair[] {pair} : (Pair[]) held;
            }
        }
    }

    /** Holds these pairs, all of one inquiry (or person), in place of those it held of it. */
    void put(Pair[] pairs) {
        Object held = pairs.length == 1 ? pairs[0] : pairs;
        String id = key(held);
        int mask = slots.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            if (slots[i] == null) {
                break;
            }
            if (id.equals(key(slots[i]))) {
                slots[i] = held;
                return;
            }
        }
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        place(slots, held);
        size++;
    }

    /** The inquiries (or persons) that have pairs. */
    Set<String> ids() {
        List<String> ids = new ArrayList<>(size);
        for (Object held : slots) {
            if (held != null) {
                ids.add(key(held));
            }
        }
        return Set.copyOf(ids);
    }

    private String key(Object held) {
        Pair first = held instanceof Pair pair ? pair : ((Pair[]) held)[0];
        return byInquiry ? first.inquiryId : first.personId;
    }

    private void grow() {
        Object[] larger = new Object[slots.length * 2];
        for (Object held : slots) {
            if (held != null) {
                place(larger, held);
            }
        }
        slots = larger;
    }

    private void place(Object[] table, Object held) {
        int mask = table.length - 1;
        int i = slot(key(held), mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = held;
    }

    private static int slot(String id, int mask) {
        int h = id.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}

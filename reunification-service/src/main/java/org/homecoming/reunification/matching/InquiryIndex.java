package org.homecoming.reunification.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;

import org.homecoming.reunification.matching.MatchWeights.BirthDateLevel;

/**
 * The open inquiries, indexed so that a listed or arriving person is scored only against plausible ones.
 *
 * <p>Each inquiry is prepared once at {@link #put} and filed under blocking keys: the phonetic key of its
 * surname (masculine form, and each part of a double surname), and its given name's equivalence class
 * together with the birth year. A person is scored against the union of the blocks for their own keys,
 * looked up with both name orders and with the birth year ±1, so a typo in the surname is still found
 * through the given name and birth year, and a typo in the given name through the surname.
 *
 * <p>Memory: an inquiry lives in a slot, a position in a few flat arrays (its id as two longs, its revision, its
 * prepared person), found by id through an open-addressing table of ints. There is no object per inquiry besides its
 * prepared person (whose tokens are shared across inquiries), and an int per block it is filed in: with a million
 * inquiries, a UUID, a map node and an entry object each came to about 108 bytes, the slot and its table cells come to
 * about 28. Ids that are not UUIDs as {@link UUID#toString} writes them (tests use "inq-1") are kept in a side map.
 *
 * <p>Concurrency: writers ({@link #put}, {@link #remove}) are serialised on the index; readers never lock.
 * A block is an immutable snapshot (array and size) replaced on each change, and slots are published
 * before the snapshot that names them, so a reader sees either the old or the new state of a block.
 * The slots and the id table change in place, inside short windows of a {@link StampedLock}'s write lock; a reader
 * takes no lock but reads them optimistically and keeps what it read only if no window opened meanwhile, else reads
 * again. So a reader that looks up an id, or the id of a slot it scored, sees one consistent state, never the id of
 * one inquiry with the prepared person or revision of another that took its slot since.
 */
public final class InquiryIndex {

    private static final int[] NO_SLOTS = new int[0];
    /** Candidates compared per chunk: enough reads to overlap, few enough that their inquiries stay in the cache. */
    private static final int CHUNK = 64;
    private static final int INITIAL_SLOTS = 1024;
    /** A table cell holds its slot + 1; these two mark a cell never used and a cell whose inquiry was removed. */
    private static final int EMPTY = 0;
    private static final int REMOVED = -1;

    /**
     * The per-slot state, as parallel arrays. One object holds them all so that a reader never pairs the ids of one
     * generation with the prepared persons of another: they grow together, by copying, and a generation replaced is
     * never written again. A slot holding no inquiry has no prepared person.
     */
    private static final class Slots {

        final long[] idHigh;
        final long[] idLow;
        final int[] revision;
        /**
         * The prepared inquiry of each slot, apart from the rest: a search touches every candidate's prepared person
         * but the id of the few that match only, and with a million inquiries each object reached is a likely cache miss.
         */
        final PreparedPerson[] sought;

        Slots(int capacity) {
            this(new long[capacity], new long[capacity], new int[capacity], new PreparedPerson[capacity]);
        }

        private Slots(long[] idHigh, long[] idLow, int[] revision, PreparedPerson[] sought) {
            this.idHigh = idHigh;
            this.idLow = idLow;
            this.revision = revision;
            this.sought = sought;
        }

        Slots grownTo(int capacity) {
            return new Slots(Arrays.copyOf(idHigh, capacity), Arrays.copyOf(idLow, capacity),
                    Arrays.copyOf(revision, capacity), Arrays.copyOf(sought, capacity));
        }

        int capacity() {
            return sought.length;
        }
    }

    /** An inquiry found by id: what a reader takes away from one consistent read. */
    private record Found(int slot, int revision, PreparedPerson sought) {
    }

    /** An immutable view of one block: the first {@code size} elements of {@code slots}. */
    private record Block(int[] slots, int size) {
    }

    private final MatchScorer scorer;
    private final ConcurrentHashMap<String, Block> blocks = new ConcurrentHashMap<>();
    /** Opened by a writer around each change to the slots, the id table or the side maps; readers only validate. */
    private final StampedLock window = new StampedLock();
    private volatile Slots slots = new Slots(INITIAL_SLOTS);
    /**
     * The slot of each UUID id, by open addressing with linear probing; a removal leaves a {@link #REMOVED} mark so
     * that probes for other ids go on past it, and the table is rebuilt without the marks when it fills.
     */
    private volatile int[] table = new int[2 * INITIAL_SLOTS];
    /** Cells of the table that are not {@link #EMPTY}: live ids and removal marks. */
    private int tableUsed;
    /** The ids that are not UUIDs, both ways; empty in the service, whose ids are all UUIDs. */
    private final ConcurrentHashMap<String, Integer> slotOfOtherId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, String> otherIdOfSlot = new ConcurrentHashMap<>();
    private volatile int size;
    private int[] freeSlots = NO_SLOTS;
    private int freeCount;
    private int nextSlot;

    public InquiryIndex(MatchScorer scorer) {
        this.scorer = scorer;
    }

    /** Adds the inquiry, or replaces it when the relative corrected it. */
    public void put(String inquiryId, PersonDescription sought) {
        put(inquiryId, 0, sought);
    }

    /**
     * Adds the inquiry at a revision, or replaces it when the relative corrected it. The index is the only place that
     * keeps the sought person (prepared): whoever needs the revision matching took, or an assessment against it, asks
     * here rather than keeping the description a second time.
     */
    public synchronized void put(String inquiryId, int revision, PersonDescription sought) {
        remove(inquiryId);
        PreparedPerson prepared = scorer.prepare(sought);
        int slot = allocateSlot();
        boolean uuid = isUuid(inquiryId);
        long high = uuid ? bits(inquiryId, 0, 18) : 0;
        long low = uuid ? bits(inquiryId, 19, 36) : 0;
        if (uuid && tableUsed + 1 > table.length - (table.length >> 2)) {
            // built outside the window: only this writer changes the table, and readers go on with the old one meanwhile
            int live = size - slotOfOtherId.size();
            int[] rebuilt = rebuiltTable(live + 1);
            long stamp = window.writeLock();
            table = rebuilt;
            tableUsed = live;
            window.unlockWrite(stamp);
        }
        long stamp = window.writeLock();
        try {
            Slots current = slots;
            current.idHigh[slot] = high;
            current.idLow[slot] = low;
            current.revision[slot] = revision;
            current.sought[slot] = prepared;
            if (uuid) {
                insert(table, slot, high, low);
            } else {
                slotOfOtherId.put(inquiryId, slot);
                otherIdOfSlot.put(slot, inquiryId);
            }
        } finally {
            window.unlockWrite(stamp);
        }
        size++;
        for (String key : keysToFile(prepared)) {
            append(key, slot);
        }
    }

    public synchronized void remove(String inquiryId) {
        Found found = find(inquiryId);
        if (found == null) {
            return;
        }
        int slot = found.slot();
        for (String key : keysToFile(found.sought())) {
            removeFromBlock(key, slot);
        }
        long stamp = window.writeLock();
        try {
            if (isUuid(inquiryId)) {
                int[] cells = table;
                cells[cellOf(cells, slots, bits(inquiryId, 0, 18), bits(inquiryId, 19, 36))] = REMOVED;
            } else {
                slotOfOtherId.remove(inquiryId);
                otherIdOfSlot.remove(slot);
            }
            slots.sought[slot] = null;
        } finally {
            window.unlockWrite(stamp);
        }
        size--;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeSlots.length * 2));
        }
        freeSlots[freeCount++] = slot;
    }

    public int size() {
        return size;
    }

    /**
     * The ids of up to {@code max} inquiries, spread over the index (the warm-up before readiness rehearses the arrival
     * path with their sought persons). Read-only, without a lock, as {@link #candidatesFor}: an inquiry removed meanwhile
     * is left out.
     */
    public List<String> sampleIds(int max) {
        Slots current = slots;
        int live = size;
        List<String> ids = new ArrayList<>(Math.max(0, Math.min(max, live)));
        if (max <= 0 || live == 0) {
            return ids;
        }
        // slots are taken from the start (and freed ones reused), so the live inquiries lie about in the first `live`
        int step = Math.max(1, live / max);
        for (int slot = 0; slot < current.capacity() && ids.size() < max; slot += step) {
            PreparedPerson sought = current.sought[slot];
            String id = sought == null ? null : idHolding(slot, sought);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The revision the inquiry was put at, if it is in the index. */
    public OptionalInt revision(String inquiryId) {
        Found found = find(inquiryId);
        return found == null ? OptionalInt.empty() : OptionalInt.of(found.revision());
    }

    /** The inquiry, as put in the index, assessed against a person; empty when it is not in the index. */
    public Optional<Assessment> assess(String inquiryId, PersonDescription listed) {
        Found found = find(inquiryId);
        return found == null ? Optional.empty() : Optional.of(scorer.compare(found.sought(), scorer.prepare(listed)).toAssessment());
    }

    /** The inquiries whose assessment against this person is AUTO_MATCH or REVIEW, best first. */
    public List<Candidate> candidatesFor(PersonDescription listed) {
        PreparedPerson person = scorer.prepare(listed);
        int[] candidateSlots = candidateSlots(person);
        PreparedPerson[] prepared = slots.sought;
        // Two passes over each chunk of candidates. Their prepared inquiries lie scattered over a large heap, so reaching
        // each is a cache miss; the first pass only compares birth dates, a short loop whose reads the processor
        // overlaps, where the long name comparison would wait for each inquiry in turn. The second compares names, the
        // chunk's inquiries still in the cache.
        PreparedPerson[] batch = new PreparedPerson[CHUNK];
        BirthDateLevel[] birthDates = new BirthDateLevel[CHUNK];
        int[] batchSlots = new int[CHUNK];
        ComparisonMemo memo = new ComparisonMemo();
        List<Candidate> candidates = new ArrayList<>();
        for (int start = 0; start < candidateSlots.length; start += CHUNK) {
            int end = Math.min(candidateSlots.length, start + CHUNK);
            int n = 0;
            for (int k = start; k < end; k++) {
                int slot = candidateSlots[k];
                PreparedPerson sought = slot < prepared.length ? prepared[slot] : null;
                if (sought != null) {
                    batch[n] = sought;
                    birthDates[n] = MatchScorer.birthDateLevel(sought, person);
                    batchSlots[n++] = slot;
                }
            }
            for (int i = 0; i < n; i++) {
                PreparedPerson sought = batch[i];
                Comparison comparison = scorer.compare(sought, person, birthDates[i], MatchWeights.REVIEW_THRESHOLD, memo);
                if (comparison != null && comparison.outcome() != Outcome.NON_MATCH) {
                    // a writer may have freed and reused the slot meanwhile: report only the inquiry that was scored
                    String inquiryId = idHolding(batchSlots[i], sought);
                    if (inquiryId != null) {
                        candidates.add(new Candidate(inquiryId, comparison.toAssessment()));
                    }
                }
            }
        }
        candidates.sort((a, b) -> Double.compare(b.assessment().score(), a.assessment().score()));
        return candidates;
    }

    /** How many inquiries a person would be scored against (the size of their blocks); for capacity planning. */
    public int candidateCount(PersonDescription listed) {
        return candidateSlots(scorer.prepare(listed)).length;
    }

    private int[] candidateSlots(PreparedPerson person) {
        Set<String> keys = keysToSearch(person);
        List<Block> found = new ArrayList<>(keys.size());
        int total = 0;
        for (String key : keys) {
            Block block = blocks.get(key);
            if (block != null) {
                found.add(block);
                total += block.size();
            }
        }
        int[] all = new int[total];
        int n = 0;
        for (Block block : found) {
            System.arraycopy(block.slots(), 0, all, n, block.size());
            n += block.size();
        }
        // an inquiry filed under several of the keys is scored once
        Arrays.sort(all);
        int unique = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[unique++] = all[i];
            }
        }
        return Arrays.copyOf(all, unique);
    }


    /**
     * The inquiry with this id, read in one consistent state, or null. The reads are optimistic: they may meet a
     * writer's change half made (a cell naming a slot another id has just taken), so every bound is checked and the
     * result is kept only if no write window opened since they began; else they are made again. When validation
     * succeeds, StampedLock guarantees that the writes before the last write unlock happen-before these reads, so they
     * saw that state whole. A writer window lasts a few stores, so the retry is short; a reader never blocks a writer
     * nor waits on a lock.
     */
    private Found find(String inquiryId) {
        boolean uuid = isUuid(inquiryId);
        long high = uuid ? bits(inquiryId, 0, 18) : 0;
        long low = uuid ? bits(inquiryId, 19, 36) : 0;
        while (true) {
            long stamp = window.tryOptimisticRead();
            if (stamp == 0) {
                Thread.onSpinWait();
                continue;
            }
            Slots current = slots;
            int slot = -1;
            if (uuid) {
                int[] cells = table;
                int cell = cellOf(cells, current, high, low);
                slot = cell < 0 ? -1 : cells[cell] - 1;
            } else {
                Integer other = slotOfOtherId.get(inquiryId);
                slot = other == null ? -1 : other;
            }
            boolean held = slot >= 0 && slot < current.capacity();
            PreparedPerson sought = held ? current.sought[slot] : null;
            int revision = held ? current.revision[slot] : 0;
            if (window.validate(stamp)) {
                return sought == null ? null : new Found(slot, revision, sought);
            }
        }
    }

    /**
     * The id of the inquiry in a slot, if it still holds the prepared person a reader scored; else null (the inquiry
     * was removed or corrected meanwhile, and the slot may hold another). Read optimistically, as {@link #find}.
     */
    private String idHolding(int slot, PreparedPerson scored) {
        while (true) {
            long stamp = window.tryOptimisticRead();
            if (stamp == 0) {
                Thread.onSpinWait();
                continue;
            }
            Slots current = slots;
            boolean holds = slot < current.capacity() && current.sought[slot] == scored;
            long high = holds ? current.idHigh[slot] : 0;
            long low = holds ? current.idLow[slot] : 0;
            String other = holds && !otherIdOfSlot.isEmpty() ? otherIdOfSlot.get(slot) : null;
            if (window.validate(stamp)) {
                return !holds ? null : other != null ? other : new UUID(high, low).toString();
            }
        }
    }

    /**
     * The cell of the table that holds the id, or -1. Bounded by the table's length and checking each slot against
     * the arrays' capacity, so that a reader's optimistic pass over a table being changed ends, and fails validation.
     */
    private static int cellOf(int[] cells, Slots slots, long high, long low) {
        int mask = cells.length - 1;
        int cell = hash(high, low) & mask;
        for (int probes = 0; probes < cells.length; probes++, cell = (cell + 1) & mask) {
            int value = cells[cell];
            if (value == EMPTY) {
                return -1;
            }
            int slot = value - 1;
            if (value != REMOVED && slot < slots.capacity() && slots.idHigh[slot] == high && slots.idLow[slot] == low) {
                return cell;
            }
        }
        return -1;
    }

    /** Files a slot under its id, which is not in the table: in the first cell of its probe that holds no live id. */
    private void insert(int[] cells, int slot, long high, long low) {
        int mask = cells.length - 1;
        int cell = hash(high, low) & mask;
        while (cells[cell] != EMPTY && cells[cell] != REMOVED) {
            cell = (cell + 1) & mask;
        }
        if (cells[cell] == EMPTY) {
            tableUsed++;
        }
        cells[cell] = slot + 1;
    }

    /** A table with room for the live ids at most half full, without removal marks. */
    private int[] rebuiltTable(int live) {
        int capacity = Integer.highestOneBit(Math.max(2 * INITIAL_SLOTS, 2 * live) - 1) << 1;
        int[] rebuilt = new int[capacity];
        int mask = capacity - 1;
        Slots current = slots;
        for (int value : table) {
            if (value != EMPTY && value != REMOVED) {
                int slot = value - 1;
                int cell = hash(current.idHigh[slot], current.idLow[slot]) & mask;
                while (rebuilt[cell] != EMPTY) {
                    cell = (cell + 1) & mask;
                }
                rebuilt[cell] = value;
            }
        }
        return rebuilt;
    }

    /** Spreads both halves of the id over every bit: ids made in sequence must not crowd one run of cells. */
    private static int hash(long high, long low) {
        long h = high * 0x9E3779B97F4A7C15L + low;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /**
     * Whether the id is a UUID as {@link UUID#toString} writes it (lower-case, dashed), the form of every id the
     * service makes: only then do its two longs give the same string back.
     */
    private static boolean isUuid(String id) {
        if (id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean valid = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    /** The hex digits of a UUID string between two positions, dashes skipped, as a long. */
    private static long bits(String uuid, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = uuid.charAt(i);
            if (c != '-') {
                value = value << 4 | Character.digit(c, 16);
            }
        }
        return value;
    }

    /** The keys an inquiry is filed under. */
    private static Set<String> keysToFile(PreparedPerson sought) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < sought.readings(); i++) {
            PreparedName name = sought.reading(i);
            addSurnameKeys(name.surname(), keys);
            if (sought.birthYear != PreparedPerson.UNKNOWN) {
                addGivenNameKeys(name.givenName(), sought.birthYear, false, keys);
            } else {
                addNoDateKeys(name.givenName(), name.surname(), false, keys);
            }
        }
        return keys;
    }

    /** The keys searched for a person: both name orders, and the birth year ±1. */
    private static Set<String> keysToSearch(PreparedPerson listed) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < listed.readings(); i++) {
            PreparedName name = listed.reading(i);
            addSurnameKeys(name.surname(), keys);
            addSurnameKeys(name.givenName(), keys);
            addNoDateKeys(name.givenName(), name.surname(), true, keys);
            addNoDateKeys(name.surname(), name.givenName(), true, keys);
            if (listed.birthYear != PreparedPerson.UNKNOWN) {
                for (int year = listed.birthYear - 1; year <= listed.birthYear + 1; year++) {
                    addGivenNameKeys(name.givenName(), year, true, keys);
                    addGivenNameKeys(name.surname(), year, true, keys);
                }
            }
        }
        return keys;
    }

    private static void addSurnameKeys(NameToken surname, Set<String> keys) {
        if (surname == null) {
            return;
        }
        keys.add("s" + surname.masculineKey);
        if (surname.partKeys != null) {
            for (String part : surname.partKeys) {
                keys.add("s" + part);
            }
        }
    }

    /**
     * Given-name keys: the equivalence class with the year. A name the equivalence file does not know is
     * filed under its phonetic key; a search also tries that key and the classes the key points to, so an
     * unknown spelling on either side still meets a known one.
     */
    private static void addGivenNameKeys(NameToken given, int year, boolean searching, Set<String> keys) {
        if (given == null || given.isInitial()) {
            return;
        }
        int[] classes = searching ? given.blockingClasses : given.givenClasses;
        for (int classId : classes) {
            keys.add("g" + classId + '/' + year);
        }
        if (searching || given.givenClasses.length == 0) {
            keys.add("k" + given.phoneticKey + '/' + year);
        }
    }

    /**
     * Keys of an inquiry without a birth year: the given name's class with the surname's first letter. Without them a
     * name-only inquiry would be found only through its surname's phonetic key, so one typo there would hide it.
     */
    private static void addNoDateKeys(NameToken given, NameToken surname, boolean searching, Set<String> keys) {
        if (given == null || given.isInitial() || surname == null) {
            return;
        }
        char initial = surname.canonical.charAt(0);
        int[] classes = searching ? given.blockingClasses : given.givenClasses;
        for (int classId : classes) {
            keys.add("n" + classId + '/' + initial);
        }
        if (searching || given.givenClasses.length == 0) {
            keys.add("m" + given.phoneticKey + '/' + initial);
        }
    }

    private int allocateSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (nextSlot == slots.capacity()) {
            // copied outside the window: only this writer changes the slots, and readers go on with the old generation
            Slots grown = slots.grownTo(nextSlot * 2);
            long stamp = window.writeLock();
            slots = grown;
            window.unlockWrite(stamp);
        }
        return nextSlot++;
    }

    private void append(String key, int slot) {
        Block block = blocks.get(key);
        if (block == null) {
            int[] array = new int[4];
            array[0] = slot;
            blocks.put(key, new Block(array, 1));
            return;
        }
        int[] array = block.slots();
        if (block.size() == array.length) {
            array = Arrays.copyOf(array, array.length + (array.length >> 1) + 1);
        }
        // writing past the published size is invisible to readers of the current snapshot
        array[block.size()] = slot;
        blocks.put(key, new Block(array, block.size() + 1));
    }

    private void removeFromBlock(String key, int slot) {
        Block block = blocks.get(key);
        if (block == null) {
            return;
        }
        int[] remaining = new int[Math.max(1, block.size())];
        int n = 0;
        for (int i = 0; i < block.size(); i++) {
            if (block.slots()[i] != slot) {
                remaining[n++] = block.slots()[i];
            }
        }
        if (n == 0) {
            blocks.remove(key);
        } else {
            // a fresh array: readers of the old snapshot keep reading an array that no longer changes
            blocks.put(key, new Block(remaining, n));
        }
    }
}

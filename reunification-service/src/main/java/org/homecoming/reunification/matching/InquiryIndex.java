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

import org.homecoming.reunification.matching.MatchWeights.BirthDateLevel;
import org.homecoming.reunification.matching.PreparedPerson.PreparedName;

/**
 * The open inquiries, indexed so that a listed or arriving person is scored only against plausible ones.
 *
 * <p>Each inquiry is prepared once at {@link #put} and filed under blocking keys: the phonetic key of its
 * surname (masculine form, and each part of a double surname), and its given name's equivalence class
 * together with the birth year. A person is scored against the union of the blocks for their own keys,
 * looked up with both name orders and with the birth year ±1, so a typo in the surname is still found
 * through the given name and birth year, and a typo in the given name through the surname.
 *
 * <p>Memory: an inquiry costs its id (as a UUID), one small entry object, the array of its prepared names (whose
 * tokens are shared across inquiries) and an int per block it is filed in; there are no per-inquiry maps.
 *
 * <p>Concurrency: writers ({@link #put}, {@link #remove}) are serialised on the index; readers never lock.
 * A block is an immutable snapshot (array and size) replaced on each change, and slots are published
 * before the snapshot that names them, so a reader sees either the old or the new state of a block.
 */
public final class InquiryIndex {

    private static final int[] NO_SLOTS = new int[0];
    /** Candidates compared per chunk: enough reads to overlap, few enough that their inquiries stay in the cache. */
    private static final int CHUNK = 64;

    /**
     * An indexed inquiry; immutable, so safely read by threads that race with writers. Its id is held as {@link #key}:
     * a {@link UUID} (32 bytes, where the string is 80) when the id is one, as every id the service makes is.
     */
    private record Entry(Object key, int slot, int revision, PreparedPerson sought) {

        String inquiryId() {
            return key.toString();
        }
    }

    /** An immutable view of one block: the first {@code size} elements of {@code slots}. */
    private record Block(int[] slots, int size) {
    }

    private final MatchScorer scorer;
    private final ConcurrentHashMap<Object, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Block> blocks = new ConcurrentHashMap<>();
    private volatile Entry[] slots = new Entry[1024];
    /**
     * The prepared inquiry of each slot, apart from its entry: a search touches every candidate's prepared person but
     * the entry of the few that match only, and with a million inquiries each object reached is a likely cache miss.
     */
    private volatile PreparedPerson[] soughtBySlot = new PreparedPerson[1024];
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
        Entry entry = new Entry(key(inquiryId), slot, revision, prepared);
        soughtBySlot[slot] = prepared;
        slots[slot] = entry;
        for (String key : keysToFile(prepared)) {
            append(key, slot);
        }
        byId.put(entry.key(), entry);
    }

    public synchronized void remove(String inquiryId) {
        Entry entry = byId.remove(key(inquiryId));
        if (entry == null) {
            return;
        }
        for (String key : keysToFile(entry.sought())) {
            removeFromBlock(key, entry.slot());
        }
        slots[entry.slot()] = null;
        soughtBySlot[entry.slot()] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeSlots.length * 2));
        }
        freeSlots[freeCount++] = entry.slot();
    }

    public int size() {
        return byId.size();
    }

    /** The revision the inquiry was put at, if it is in the index. */
    public OptionalInt revision(String inquiryId) {
        Entry entry = byId.get(key(inquiryId));
        return entry == null ? OptionalInt.empty() : OptionalInt.of(entry.revision());
    }

    /** The inquiry, as put in the index, assessed against a person; empty when it is not in the index. */
    public Optional<Assessment> assess(String inquiryId, PersonDescription listed) {
        Entry entry = byId.get(key(inquiryId));
        return entry == null ? Optional.empty() : Optional.of(scorer.compare(entry.sought(), scorer.prepare(listed)).toAssessment());
    }

    /** The inquiries whose assessment against this person is AUTO_MATCH or REVIEW, best first. */
    public List<Candidate> candidatesFor(PersonDescription listed) {
        PreparedPerson person = scorer.prepare(listed);
        int[] candidateSlots = candidateSlots(person);
        Entry[] entries = slots;
        PreparedPerson[] prepared = soughtBySlot;
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
                int slot = batchSlots[i];
                Comparison comparison = scorer.compare(sought, person, birthDates[i], MatchWeights.REVIEW_THRESHOLD, memo);
                if (comparison != null && comparison.outcome() != Outcome.NON_MATCH) {
                    Entry entry = slot < entries.length ? entries[slot] : null;
                    // a writer may have freed and reused the slot meanwhile: report only the inquiry that was scored
                    if (entry != null && entry.sought() == sought) {
                        candidates.add(new Candidate(entry.inquiryId(), comparison.toAssessment()));
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

    /** The id as the index holds it: a UUID when it reads back as the same string, else the string. */
    private static Object key(String inquiryId) {
        if (inquiryId.length() == 36 && inquiryId.charAt(8) == '-' && inquiryId.charAt(13) == '-') {
            try {
                UUID uuid = UUID.fromString(inquiryId);
                if (uuid.toString().equals(inquiryId)) {
                    return uuid;
                }
            } catch (IllegalArgumentException notAUuid) {
                // held as written
            }
        }
        return inquiryId;
    }

    /** The keys an inquiry is filed under. */
    private static Set<String> keysToFile(PreparedPerson sought) {
        Set<String> keys = new LinkedHashSet<>();
        for (PreparedName name : sought.names) {
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
        for (PreparedName name : listed.names) {
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
        if (nextSlot == slots.length) {
            soughtBySlot = Arrays.copyOf(soughtBySlot, slots.length * 2);
            slots = Arrays.copyOf(slots, slots.length * 2);
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

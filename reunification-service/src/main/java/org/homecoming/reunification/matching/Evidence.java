package org.homecoming.reunification.matching;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How one field compared: the agreement level reached and the weight (log2 of m/u) it contributed. */
public record Evidence(String field, String level, double weight) {

    /** Enough for every combination of levels that occurs; past it, lists are kept as they come. */
    private static final int MOST_SHARED = 20_000;
    private static final Map<List<Evidence>, List<Evidence>> SHARED = new ConcurrentHashMap<>();

    /**
     * The same evidence, as one list held once for every pair that has it. A service holds hundreds of thousands of
     * pairs, and their evidence repeats a few hundred combinations of (field, level, weight).
     */
    public static List<Evidence> shared(List<Evidence> evidence) {
        List<Evidence> known = SHARED.get(evidence);
        if (known != null) {
            return known;
        }
        List<Evidence> copy = List.copyOf(evidence);
        if (SHARED.size() >= MOST_SHARED) {
            return copy;
        }
        known = SHARED.putIfAbsent(copy, copy);
        return known == null ? copy : known;
    }
}

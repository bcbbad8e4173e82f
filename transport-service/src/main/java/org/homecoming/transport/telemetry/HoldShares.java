package org.homecoming.transport.telemetry;

import java.util.HashMap;
import java.util.Map;

/**
 * The hold's bound split into one share per partner, so that one partner cannot fill the hold for the others: a captured
 * partner credential that reports made-up buses within its topic's quota fills its own share, and then only its own
 * readings are refused, while every other partner's early readings are still held. Strict shares rather than a shared
 * pool that a partner may borrow from: a borrower's readings would have to be evicted (dead-lettered before their time)
 * or the lender refused when it needs its room back, and either is what this prevents. The shares add up to no more than
 * the whole bound, so the hold still takes no more memory than before. Readings that an earlier run held from a topic no
 * longer read (a partner since removed, the old shared intake) are counted under their topic, take no partner's room, and
 * leave within a window.
 *
 * <p>Counts what each source (a partner's intake topic, which names its sender) has in the hold, in readings and bytes;
 * the owner tells it of every reading held and released. Not thread-safe: one stream task owns it.
 */
public final class HoldShares {

    /** What one source has in the hold, or may have at most. */
    public record Share(long readings, long bytes) {

        Share plus(long footprint) {
            return new Share(readings + 1, bytes + footprint);
        }

        Share minus(long footprint) {
            return new Share(readings - 1, bytes - footprint);
        }
    }

    private static final Share EMPTY = new Share(0, 0);

    private final Share limit;
    private final int sources;
    private final Map<String, Share> held = new HashMap<>();

    /**
     * @param capacity      readings the whole hold may have
     * @param capacityBytes bytes (keys and values as stored) the whole hold may have
     * @param sources       how many sources share it (the partners whose intake is read), each getting an equal part
     * @throws IllegalArgumentException when a share would not fit a single reading
     */
    public HoldShares(long capacity, long capacityBytes, int sources) {
        if (sources < 1) {
            throw new IllegalArgumentException("The hold is shared by at least one partner");
        }
        if (capacity / sources < 1) {
            throw new IllegalArgumentException("homecoming.holding.capacity (" + capacity + ") is smaller than the number of"
                    + " partners (" + sources + "): each partner's share of the hold needs room for one reading");
        }
        this.sources = sources;
        this.limit = new Share(capacity / sources, capacityBytes / sources);
    }

    /** What each source may have in the hold at most. */
    public Share limit() {
        return limit;
    }

    /** How many sources the hold is split among. */
    int sources() {
        return sources;
    }

    /** Whether {@code source}'s share has room for one more reading of {@code footprint} bytes. */
    boolean admits(String source, long footprint) {
        Share now = of(source);
        return now.readings() < limit.readings() && now.bytes() + footprint <= limit.bytes();
    }

    /** {@code source} has a reading of {@code footprint} bytes in the hold (admitted, or found in the store). */
    void held(String source, long footprint) {
        held.merge(source, EMPTY.plus(footprint), (was, one) -> was.plus(footprint));
    }

    /** {@code source}'s reading of {@code footprint} bytes left the hold (processed or dead-lettered). */
    void released(String source, long footprint) {
        Share now = of(source).minus(footprint);
        if (now.readings() <= 0) {
            held.remove(source);
        } else {
            held.put(source, now);
        }
    }

    /** What {@code source} has in the hold. */
    Share of(String source) {
        return held.getOrDefault(source, EMPTY);
    }

    /** What every source together has in the hold. */
    Share total() {
        long readings = 0;
        long bytes = 0;
        for (Share share : held.values()) {
            readings += share.readings();
            bytes += share.bytes();
        }
        return new Share(readings, bytes);
    }

    /** Forgets every count, before the store is counted afresh. */
    void clear() {
        held.clear();
    }
}

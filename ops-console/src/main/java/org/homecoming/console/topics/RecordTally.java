package org.homecoming.console.topics;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;
import org.homecoming.console.topics.RecordCounter.Counted;

/**
 * Keeps, reading after reading, the records (not offsets) that each partition holds and that each consumer
 * group has yet to read, counting only what changed since the last reading: a settled system reads nothing.
 *
 * <p>Where a count could not be made (too far to read in one go), the figure is the offset difference and
 * marked inexact; the next reading tries again from the start.
 */
final class RecordTally {

    /** A figure and whether it is a true count of records (else an offset difference, an upper bound). */
    record Figure(long records, boolean exact) {
        Figure plus(Figure other) {
            return new Figure(records + other.records, exact && other.exact);
        }
    }

    /** Records held and records ever written (the rate's base) of one partition, up to its end offset. */
    private record Held(long start, long end, long held, long written, boolean exact) {
    }

    /** A group's lag on one partition, between its committed offset and the end offset. */
    private record Lag(long committed, long end, Figure figure) {
    }

    private record GroupPartition(String groupId, TopicPartition partition) {
    }

    private final RecordCounter counter;
    private final Map<TopicPartition, Held> held = new HashMap<>();
    private final Map<GroupPartition, Lag> lags = new HashMap<>();

    RecordTally(RecordCounter counter) {
        this.counter = counter;
    }

    /**
     * What one reading found. {@code consumed} is, per group and topic, the records the group has read of those
     * written since the console first saw each partition (written minus lag): only its growth means anything, as the
     * base of the group's records/s.
     */
    record Reading(Map<TopicPartition, Figure> held, Map<TopicPartition, Long> written, Map<String, Figure> lag,
                   Map<String, Map<String, Long>> consumed) {
    }

    /**
     * @param ranges    start and end offset ({@code read_committed} end: the last stable offset) of each partition
     *                  whose records are held
     * @param committed each group's committed offset on each partition it committed on
     * @param ends      the end offset of every partition of either map
     */
    Reading read(Map<TopicPartition, long[]> ranges, Map<String, Map<TopicPartition, Long>> committed,
                 Map<TopicPartition, Long> ends) {
        Map<TopicPartition, NavigableSet<Long>> boundaries = new HashMap<>();
        ranges.forEach((partition, range) -> {
            Held before = held.get(partition);
            NavigableSet<Long> needed = boundaries.computeIfAbsent(partition, p -> new TreeSet<>());
            needed.add(range[1]);
            if (before != null && before.exact && before.end <= range[1] && range[0] <= before.end) {
                needed.add(before.end);
                if (range[0] != before.start) {
                    needed.add(range[0]);
                }
                // Else only what came since is read: held and written grow by the same records.
            } else {
                needed.add(range[0]);
            }
        });
        committed.forEach((groupId, offsets) -> offsets.forEach((partition, offset) -> {
            Long end = ends.get(partition);
            Lag before = lags.get(new GroupPartition(groupId, partition));
            if (end == null || offset >= end || (before != null && before.figure.exact()
                    && before.committed == offset && before.end == end)) {
                return;
            }
            NavigableSet<Long> needed = boundaries.computeIfAbsent(partition, p -> new TreeSet<>());
            needed.add(offset);
            needed.add(end);
        }));
        Map<TopicPartition, Counted> counts = counter.count(boundaries);

        Map<TopicPartition, Figure> heldNow = new HashMap<>();
        Map<TopicPartition, Long> writtenNow = new HashMap<>();
        ranges.forEach((partition, range) -> {
            Held now = held(held.get(partition), range[0], range[1], counts.get(partition));
            held.put(partition, now);
            heldNow.put(partition, new Figure(now.held, now.exact));
            writtenNow.put(partition, now.written);
        });

        Map<String, Figure> lagNow = new HashMap<>();
        Map<String, Map<String, Long>> consumedNow = new HashMap<>();
        Map<GroupPartition, Lag> seen = new HashMap<>();
        committed.forEach((groupId, offsets) -> {
            Figure total = new Figure(0, true);
            for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
                GroupPartition key = new GroupPartition(groupId, entry.getKey());
                Lag lag = lag(lags.get(key), entry.getValue(), ends.get(entry.getKey()), counts.get(entry.getKey()));
                seen.put(key, lag);
                total = total.plus(lag.figure);
                Long written = writtenNow.get(entry.getKey());
                if (written != null) {
                    consumedNow.computeIfAbsent(groupId, id -> new HashMap<>())
                            .merge(entry.getKey().topic(), written - lag.figure.records(), Long::sum);
                }
            }
            lagNow.put(groupId, total);
        });
        lags.clear();
        lags.putAll(seen);
        held.keySet().retainAll(ranges.keySet());
        return new Reading(heldNow, writtenNow, lagNow, consumedNow);
    }

    private static Held held(Held before, long start, long end, Counted counted) {
        boolean incremental = before != null && before.exact && before.end <= end && start <= before.end;
        if (counted == null) {
            // Too far to count now: offsets, an upper bound, until a later reading counts it all.
            long written = before == null || end < before.end ? end - start : before.written + (end - before.end);
            return new Held(start, end, end - start, written, false);
        }
        if (!incremental) {
            long records = counted.between(start, end);
            // Written only serves the rate: after an inexact spell it goes on from offsets rather than jump.
            long written = before == null || end < before.end ? records : before.written + (end - before.end);
            return new Held(start, end, records, written, true);
        }
        long added = counted.between(before.end, end);
        long records = start == before.start ? before.held + added : counted.between(start, end);
        return new Held(start, end, records, before.written + added, true);
    }

    private static Lag lag(Lag before, Long committed, Long end, Counted counted) {
        if (end == null || committed == null) {
            return new Lag(committed == null ? 0 : committed, end == null ? 0 : end, new Figure(0, end != null));
        }
        if (committed >= end) {
            return new Lag(committed, end, new Figure(0, true));
        }
        if (before != null && before.figure.exact() && before.committed == committed && before.end == end) {
            return before;
        }
        if (counted == null) {
            return new Lag(committed, end, new Figure(end - committed, false));
        }
        return new Lag(committed, end, new Figure(counted.between(committed, end), true));
    }
}

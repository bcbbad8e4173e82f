package org.homecoming.console.topics;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Counts the records that a {@code read_committed} consumer reads between offsets of a partition: records of
 * committed transactions and records written outside any transaction. Offsets also number the commit markers
 * of transactions and the records of aborted ones, so on a transactional topic a difference of offsets
 * overstates what a consumer has to read (a settled group sits one marker short of the end on every partition
 * a transaction wrote to). Only keys and values as bytes are read, never decoded.
 *
 * <p>Bounded: a partition whose range is longer than {@code maxOffsets}, or that could not be read to its end
 * within {@code maxTime}, gets no count, and the caller falls back to offsets and says so.
 */
final class RecordCounter implements AutoCloseable {

    private final Consumer<byte[], byte[]> consumer;
    private final long maxOffsets;
    private final Duration maxTime;

    RecordCounter(Consumer<byte[], byte[]> consumer, long maxOffsets, Duration maxTime) {
        this.consumer = consumer;
        this.maxOffsets = maxOffsets;
        this.maxTime = maxTime;
    }

    /** The records found between consecutive boundaries of one partition. */
    static final class Counted {

        private final long[] boundaries;
        private final long[] segments;

        Counted(long[] boundaries) {
            this.boundaries = boundaries;
            this.segments = new long[Math.max(0, boundaries.length - 1)];
        }

        void found(long offset) {
            int at = Arrays.binarySearch(boundaries, offset);
            int segment = at >= 0 ? at : -at - 2;
            if (segment >= 0 && segment < segments.length) {
                segments[segment]++;
            }
        }

        /** Records in [from, to); both must be boundaries that were asked for. */
        long between(long from, long to) {
            int first = Arrays.binarySearch(boundaries, from);
            int last = Arrays.binarySearch(boundaries, to);
            if (first < 0 || last < 0) {
                throw new IllegalArgumentException("not a counted boundary: " + from + " or " + to);
            }
            long records = 0;
            for (int segment = first; segment < last; segment++) {
                records += segments[segment];
            }
            return records;
        }

        long end() {
            return boundaries[boundaries.length - 1];
        }
    }

    /**
     * Counts each partition between its lowest and its highest boundary, segment by segment.
     *
     * @return a count for each partition read to its end; partitions that could not be are left out
     */
    private final Set<String> unreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Map<TopicPartition, Counted> count(Map<TopicPartition, NavigableSet<Long>> boundaries) {
        Map<TopicPartition, Counted> done = new HashMap<>();
        Map<TopicPartition, Counted> reading = new HashMap<>();
        boundaries.forEach((partition, offsets) -> {
            if (offsets.isEmpty() || unreadable.contains(partition.topic())) {
                return;
            }
            Counted counted = new Counted(offsets.stream().mapToLong(Long::longValue).toArray());
            long from = offsets.first();
            long to = offsets.last();
            if (to <= from) {
                done.put(partition, counted);
            } else if (to - from <= maxOffsets) {
                reading.put(partition, counted);
            }
        });
        if (reading.isEmpty()) {
            return done;
        }
        consumer.assign(reading.keySet());
        reading.forEach((partition, counted) -> consumer.seek(partition, boundaries.get(partition).first()));
        Set<TopicPartition> open = new HashSet<>(reading.keySet());
        long deadline = System.nanoTime() + maxTime.toNanos();
        try {
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (TopicAuthorizationException e) {
                    // The console may not read some topics (reunification.inquiries holds contact data): those are
                    // shown from offsets, marked inexact, and never asked for again.
                    unreadable.addAll(e.unauthorizedTopics());
                    return done;
                }
                for (TopicPartition partition : records.partitions()) {
                    Counted counted = reading.get(partition);
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        counted.found(record.offset());
                    }
                }
                // A read_committed consumer moves past commit markers and aborted records without returning
                // them: the position, not the last record, tells that a range has been read.
                for (Iterator<TopicPartition> partitions = open.iterator(); partitions.hasNext(); ) {
                    TopicPartition partition = partitions.next();
                    if (consumer.position(partition) >= reading.get(partition).end()) {
                        partitions.remove();
                        consumer.pause(List.of(partition));
                        done.put(partition, reading.get(partition));
                    }
                }
            }
        } finally {
            consumer.assign(List.of());
        }
        return done;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}

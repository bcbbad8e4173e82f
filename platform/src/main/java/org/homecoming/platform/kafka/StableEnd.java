package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a read_committed read of some partitions, begun now, reaches every record written before now. A consumer
 * that reads "to the end" with read_committed stops at the last stable offset: below the first transaction still open
 * there. A commit made after that transaction began (another instance's claim, a moment ago) lies above it and is not
 * read, for as long as the transaction stays open; one left open by a killed instance or a broker that died stays
 * open until the transaction times out. A decision taken on such a read (after taking a {@link FencedTransactions} id,
 * say) misses what it was meant to see. So the read waits until the last stable offset of each partition has reached
 * the high watermark (everything written, committed or not) as it was when the wait began.
 */
public final class StableEnd {

    private static final Duration POLL = Duration.ofMillis(20);

    private StableEnd() {
    }

    /**
     * Waits, at most {@code wait}, until every transaction open on the partitions now has ended (committed or aborted).
     *
     * @return whether they did; false also when the broker could not say in time (a decision must not be taken then)
     */
    public static boolean await(Admin admin, Collection<TopicPartition> partitions, Duration wait) throws InterruptedException {
        return awaitEnds(admin, partitions, wait).isPresent();
    }

    /**
     * As {@link #await(Admin, Collection, Duration)}, and where it ended: the last stable offset of each partition as
     * the broker gave it when the wait ended. A reader that must also know whether it has read that far (it compares
     * its own position with it) takes it from here, so that no second look-up can see a later end.
     *
     * @return each partition's last stable offset, at or above its high watermark when the wait began; empty when the
     *         transactions did not end in time or the broker could not say in time
     */
    public static Optional<Map<TopicPartition, Long>> awaitEnds(Admin admin, Collection<TopicPartition> partitions, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Map<TopicPartition, Long> written = ends(admin, partitions, IsolationLevel.READ_UNCOMMITTED, wait);
            while (true) {
                Map<TopicPartition, Long> stable = ends(admin, partitions, IsolationLevel.READ_COMMITTED,
                        Duration.ofNanos(Math.max(deadline - System.nanoTime(), POLL.toNanos())));
                if (written.entrySet().stream().allMatch(end -> stable.getOrDefault(end.getKey(), -1L) >= end.getValue())) {
                    return Optional.of(Map.copyOf(stable));
                }
                if (System.nanoTime() >= deadline) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
            }
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /**
     * As {@link #await(Admin, Collection, Duration)}, for every partition of {@code topic} as the broker describes it
     * now.
     */
    public static boolean await(Admin admin, String topic, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<TopicPartition> partitions;
        try {
            partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(wait.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic).partitions().stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        return await(admin, partitions, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)));
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Collection<TopicPartition> partitions, IsolationLevel isolation,
                                                  Duration wait)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(
                        partitions.stream().collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest())),
                        new ListOffsetsOptions(isolation))
                .all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
    }
}

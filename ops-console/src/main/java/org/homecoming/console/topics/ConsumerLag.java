package org.homecoming.console.topics;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/** How far a consumer group is behind: for each partition it committed on, the end offset minus its offset. */
final class ConsumerLag {

    private ConsumerLag() {
    }

    /**
     * The group's total lag. A partition whose end offset is unknown counts nothing rather than a guess,
     * and a committed offset past the end (the end read a moment earlier) counts zero.
     */
    static long total(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> endOffsets) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> partition : committed.entrySet()) {
            Long end = endOffsets.get(partition.getKey());
            if (end != null && partition.getValue() != null) {
                lag += Math.max(0, end - partition.getValue());
            }
        }
        return lag;
    }
}

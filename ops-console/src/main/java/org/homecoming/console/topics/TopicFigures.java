package org.homecoming.console.topics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the broker says about the topics, as of {@code readAt} (null before the first reading).
 *
 * @param topics         each catalogue topic: records held and records per second (null while measuring)
 * @param deadLetters    each dead-letter topic and the records it holds
 * @param consumerGroups each consumer group and its total lag in records
 *
 * <p>Records are what a {@code read_committed} consumer reads: commit markers and aborted records are not
 * counted. {@code exact} is false where a range was too long to count in one reading and the figure is the
 * offset difference instead (an upper bound).
 */
public record TopicFigures(Instant readAt, List<TopicRate> topics, List<DeadLetterCount> deadLetters,
                           List<GroupLag> consumerGroups) {

    public static final TopicFigures NONE = new TopicFigures(null, List.of(), List.of(), List.of());

    public record TopicRate(String topic, long records, Double recordsPerSecond, boolean exact) {
    }

    public record DeadLetterCount(String topic, String sourceTopic, long records, boolean exact) {
    }

    /**
     * @param consumedPerSecond records/s the group reads of each of its topics (of the catalogue), absent while
     *                          measuring: how fast its committed position moves, in records, not offsets
     */
    public record GroupLag(String groupId, long lag, List<String> topics, boolean exact,
                           Map<String, Double> consumedPerSecond) {

        public GroupLag(String groupId, long lag, List<String> topics, boolean exact) {
            this(groupId, lag, topics, exact, Map.of());
        }
    }
}

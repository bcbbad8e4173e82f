package org.homecoming.console.topics;

import java.time.Instant;
import java.util.List;

/**
 * What the broker says about the topics, as of {@code readAt} (null before the first reading).
 *
 * @param topics         each catalogue topic: records held and records per second (null while measuring)
 * @param deadLetters    each dead-letter topic and the records it holds
 * @param consumerGroups each consumer group and its total lag in records
 */
public record TopicFigures(Instant readAt, List<TopicRate> topics, List<DeadLetterCount> deadLetters,
                           List<GroupLag> consumerGroups) {

    public static final TopicFigures NONE = new TopicFigures(null, List.of(), List.of(), List.of());

    public record TopicRate(String topic, long records, Double recordsPerSecond) {
    }

    public record DeadLetterCount(String topic, String sourceTopic, long records) {
    }

    public record GroupLag(String groupId, long lag, List<String> topics) {
    }
}

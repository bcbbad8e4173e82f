package org.homecoming.reunification.alerts;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the SMS lane's consumer group starts, the first time it is used on a deployment.
 *
 * <p>Before delivery had lanes, one group ({@code reunification.delivery.group-id}, now the e-mail lane's) read every
 * alert, whatever its channel: everything before its position was handled. A new SMS group would start from the first
 * alert (the consumers' {@code earliest}) and try again, on its own, every SMS alert that failed or was withheld long
 * ago. So, before the lanes start, an SMS group that has no position on any partition is given the e-mail group's
 * position, and the partition's first offset where that group has none (a new deployment starts both lanes from the
 * beginning).
 *
 * <p>Once only, and on every partition at once: after it the SMS group has a position everywhere and this never moves it
 * again. A per-partition rule ("no position of its own here") would be wrong later: an SMS lane that never committed on
 * a partition, because its first SMS alert there has been waiting for the gateway since, would be moved past that alert
 * by the next restart, and the alert lost.
 */
final class SmsLaneStart {

    private static final Logger log = LoggerFactory.getLogger(SmsLaneStart.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private SmsLaneStart() {
    }

    /**
     * Gives {@code smsGroup} its first positions, if it has none.
     *
     * @return the positions given; empty when the group had positions already, or another instance's SMS lane is
     *         running (it gave them)
     */
    static Map<TopicPartition, OffsetAndMetadata> seed(Admin admin, String emailGroup, String smsGroup)
            throws InterruptedException, ExecutionException, TimeoutException {
        String topic = Topics.ALERTS.name();
        Map<TopicPartition, OffsetAndMetadata> own = committed(admin, smsGroup, topic);
        if (!own.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic).partitions().stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        Map<TopicPartition, OffsetAndMetadata> email = committed(admin, emailGroup, topic);
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.earliest())))
                .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((partition, first) -> start.put(partition, email.getOrDefault(partition, new OffsetAndMetadata(first.offset()))));
        try {
            admin.alterConsumerGroupOffsets(smsGroup, start).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Refused while the group has members (the broker's error depends on the group's protocol): another instance
            // started its SMS lane a moment ago, after giving the group these same positions.
            if (!committed(admin, smsGroup, topic).isEmpty()) {
                log.info("Delivery lane {} was given its positions by another instance ({}); they are kept", smsGroup,
                        e.getCause().getClass().getSimpleName());
                return Map.of();
            }
            throw e;
        }
        log.info("Delivery lane {} starts where {} is, on {} partitions ({} of them at the beginning: {} had no position there)",
                smsGroup, emailGroup, start.size(), start.size() - email.size(), emailGroup);
        return start;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((partition, position) -> {
                    if (position != null && partition.topic().equals(topic)) {
                        positions.put(partition, position);
                    }
                });
        return positions;
    }
}

package org.homecoming.roster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topic;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Reads one of the roster's own topics from the beginning to its current end, read_committed, so that the
 * service can rebuild its state at start-up from what it has published (and from nothing else). A record
 * that cannot be read goes to the topic's dead-letter topic, and the reading goes on.
 */
@Component
public class OwnTopics {

    private static final Logger log = LoggerFactory.getLogger(OwnTopics.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final ConsumerFactory<Object, Object> consumers;
    private final DeadLetters deadLetters;

    @SuppressWarnings("unchecked")
    OwnTopics(ConsumerFactory<?, ?> consumers, DeadLetters deadLetters) {
        this.consumers = (ConsumerFactory<Object, Object>) consumers;
        this.deadLetters = deadLetters;
    }

    /** Hands every committed record of the topic, in partition order, to {@code onRecord}; returns the count. */
    @SuppressWarnings("unchecked")
    public <V> long readToEnd(Topic<V> topic, Consumer<ConsumerRecord<String, V>> onRecord) {
        long count = 0;
        try (org.apache.kafka.clients.consumer.Consumer<Object, Object> consumer =
                     consumers.createConsumer(null, "roster-replay-" + topic.name(), null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed these are the last stable offsets: nothing of an open transaction is read.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic.name() + " to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<Object, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                            SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, null);
                    if (unreadable != null) {
                        log.error("Record {}-{}@{} cannot be read and goes to the dead-letter topic",
                                record.topic(), record.partition(), record.offset());
                        deadLetters.accept(record, unreadable);
                        continue;
                    }
                    if (record.value() != null) {
                        onRecord.accept((ConsumerRecord<String, V>) (ConsumerRecord<?, ?>) record);
                        count++;
                    }
                }
            }
        }
        log.info("Read {} records of {} to its end", count, topic.name());
        return count;
    }
}

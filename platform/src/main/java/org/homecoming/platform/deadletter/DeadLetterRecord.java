package org.homecoming.platform.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Which source records already went to a dead-letter topic, by (topic, partition, offset), so each poison record
 * is dead-lettered once even when it is read again: by a second reader in the same service, or after a restart
 * (a Kafka Streams global table and a group-less replay both read their topic again from the start). It learns a
 * dead-letter topic's contents from the topic itself the first time it sends to it.
 */
final class DeadLetterRecord {

    private final Map<String, Object> consumerConfig;
    private final Set<String> known = new HashSet<>();
    private final Set<String> loadedTopics = new HashSet<>();

    DeadLetterRecord(Map<String, Object> consumerConfig) {
        this.consumerConfig = consumerConfig;
    }

    /** Records that {@code record} goes to {@code deadLetterTopic}; false if it was dead-lettered before. */
    synchronized boolean firstTime(ConsumerRecord<?, ?> record, String deadLetterTopic) {
        if (loadedTopics.add(deadLetterTopic)) {
            load(deadLetterTopic);
        }
        return known.add(key(record.topic(), record.partition(), record.offset()));
    }

    /** Whether {@code record} went to {@code deadLetterTopic} before. */
    synchronized boolean contains(ConsumerRecord<?, ?> record, String deadLetterTopic) {
        if (loadedTopics.add(deadLetterTopic)) {
            load(deadLetterTopic);
        }
        return known.contains(key(record.topic(), record.partition(), record.offset()));
    }

    private void load(String deadLetterTopic) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letter-record");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(deadLetterTopic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(200))) {
                    String topic = text(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC));
                    Header partition = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
                    Header offset = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
                    if (topic != null && partition != null && offset != null) {
                        known.add(key(topic, java.nio.ByteBuffer.wrap(partition.value()).getInt(),
                                java.nio.ByteBuffer.wrap(offset.value()).getLong()));
                    }
                }
            }
        } catch (RuntimeException e) {
            // Not knowing the topic's past risks a second copy, never a lost dead letter: go on.
            org.slf4j.LoggerFactory.getLogger(DeadLetterRecord.class)
                    .warn("Could not read {} to learn what was dead-lettered before: {}", deadLetterTopic, e.toString());
        }
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String key(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}

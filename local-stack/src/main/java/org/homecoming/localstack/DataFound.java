package org.homecoming.localstack;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;

/**
 * What a data folder already holds, counted from the topics as a read_committed client sees them: rounds, list
 * versions, buses, inquiries and alerts. The launcher prints it on a restart instead of playing the scenario again,
 * and checks the services' rebuilt state against it.
 */
record DataFound(int rounds, int lists, int listVersions, int buses, int inquiries, int alerts, int deliveries) {

    boolean empty() {
        return rounds == 0 && listVersions == 0 && buses == 0 && inquiries == 0 && alerts == 0;
    }

    /** Counts with {@code client}: the bootstrap servers and the credentials of a principal that may read every topic. */
    static DataFound read(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-census-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            Tally rounds = tally(consumer, Topics.EXCHANGE_ROUNDS);
            Tally lists = tally(consumer, Topics.RELEASE_LISTS);
            Tally buses = tally(consumer, Topics.BUS_MANIFESTS);
            Tally inquiries = tally(consumer, Topics.INQUIRIES);
            Tally alerts = tally(consumer, Topics.ALERTS);
            Tally deliveries = tally(consumer, Topics.ALERT_DELIVERIES);
            return new DataFound(rounds.liveKeys(), lists.liveKeys(), lists.records(), buses.liveKeys(),
                    inquiries.liveKeys(), alerts.records(), deliveries.records());
        }
    }

    /** Records and keys of one topic; a key whose last record is a tombstone (an erased inquiry) is not live. */
    private record Tally(int records, int liveKeys) {
    }

    private static Tally tally(KafkaConsumer<String, byte[]> consumer, Topic<?, ?> topic) {
        var infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return new Tally(0, 0);
        }
        List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic.name(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<String, Boolean> live = new HashMap<>();
        int records = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Could not read " + topic.name() + " to its end within 60 s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                records++;
                live.put(record.key(), record.value() != null);
            }
        }
        Set<String> liveKeys = new HashSet<>();
        live.forEach((key, alive) -> {
            if (alive) {
                liveKeys.add(key);
            }
        });
        return new Tally(records, liveKeys.size());
    }

    String describe() {
        return "%d rounds, %d lists (%d versions), %d buses, %d inquiries, %d alerts, %d delivery attempts"
                .formatted(rounds, lists, listVersions, buses, inquiries, alerts, deliveries);
    }
}

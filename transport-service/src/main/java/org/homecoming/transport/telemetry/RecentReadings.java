package org.homecoming.transport.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusPositionRecorded;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The recording times already published on {@code transport.bus-positions}, per bus, as the topic holds them: whichever
 * instance published them. Read on demand, under the bus's fence (see {@link PositionIntake}): the bus's partition from
 * where this instance last read it (at first, at most {@link #LOOKBACK} records back) up to its end as it is now.
 * One group-less consumer, one caller at a time.
 */
class RecentReadings implements AutoCloseable {

    /** How far back the first read of a partition looks: positions are high-rate and short-lived. */
    static final long LOOKBACK = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final int remembered;
    private final KafkaConsumer<String, Object> consumer;
    private final KafkaConsumer<byte[], byte[]> ends;
    private final Map<Integer, Long> readTo = new HashMap<>();
    private final Map<String, LinkedHashSet<Long>> published = new HashMap<>();

    RecentReadings(KafkaProperties kafka, int remembered) {
        this.remembered = remembered;
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "transport-recent-readings");
        consumer = new KafkaConsumer<>(config);
        Map<String, Object> endsConfig = new HashMap<>(config);
        endsConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "transport-recent-readings-ends");
        endsConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        endsConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        endsConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ends = new KafkaConsumer<>(endsConfig);
    }

    /** The bus's published recording times, read up to the topic's end as it is now. */
    synchronized Set<Long> of(String busId) {
        int partitions = consumer.partitionsFor(Topics.BUS_POSITIONS.name(), WAIT).size();
        TopicPartition partition = new TopicPartition(Topics.BUS_POSITIONS.name(),
                BuiltInPartitioner.partitionForKey(busId.getBytes(StandardCharsets.UTF_8), partitions));
        ends.assign(List.of(partition));
        long end = ends.endOffsets(List.of(partition), WAIT).get(partition);
        long begin = ends.beginningOffsets(List.of(partition), WAIT).get(partition);
        long from = Math.max(readTo.getOrDefault(partition.partition(), end - LOOKBACK), begin);
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Could not read the published positions of partition " + partition
                        + " to its end within " + WAIT);
            }
            for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.value() instanceof BusPositionRecorded position) {
                    remember(record.key(), position.getRecordedAt().toEpochMilli());
                }
            }
        }
        readTo.put(partition.partition(), consumer.position(partition));
        return Set.copyOf(published.getOrDefault(busId, new LinkedHashSet<>()));
    }

    /** Times this instance has just published (read again later from the topic, which changes nothing). */
    synchronized void published(String busId, List<Long> recordedTimes) {
        recordedTimes.forEach(time -> remember(busId, time));
    }

    private void remember(String busId, long recordedAt) {
        LinkedHashSet<Long> seen = published.computeIfAbsent(busId, id -> new LinkedHashSet<>());
        seen.remove(recordedAt);
        seen.add(recordedAt);
        while (seen.size() > remembered) {
            seen.remove(seen.iterator().next());
        }
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
        ends.close(Duration.ofSeconds(5));
    }
}

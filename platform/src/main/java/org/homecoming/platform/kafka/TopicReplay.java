package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topic;
import org.homecoming.platform.registry.RegistryOutage;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * Replays a topic from its beginning to its end as it was when the replay started: the one way every service rebuilds
 * its state from the topics. Reads are read_committed (the platform's default), so the end is the last stable offset
 * and nothing of an open or aborted transaction is read. The consumer has no group and commits nothing.
 *
 * <p>Tombstones reach the handler (value null); unreadable records go to the {@code unreadable} handler instead. A
 * record that could not be read because the schema registry was unavailable is not unreadable: the replay fails with
 * a {@link RegistryUnavailableException} naming it, so a rebuild never goes on without a fact (see
 * {@link RegistryOutage}), and the caller's failure path runs.
 *
 * <p>One replay object reads its topics with one consumer, made at the first replay and closed with the object: a
 * rebuild reads many topics one after another, and each new consumer against an authenticated broker makes its own TLS
 * and SCRAM handshakes and metadata requests first (some 0.7 s each on two cores; reunification's rebuild read eight
 * topics in 8 s, most of it connecting).
 */
public final class TopicReplay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReplay.class);
    /** Bounded: a replay that cannot reach the end (a broker gone) fails the start-up instead of hanging it. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    /** Reads the whole topic. */
    public static final ToLongFunction<TopicPartition> TO_END = partition -> Long.MAX_VALUE;

    private final Map<String, Object> config;
    private KafkaConsumer<Object, Object> consumer;

    public TopicReplay(KafkaProperties kafka) {
        this(kafka.buildConsumerProperties());
    }

    public TopicReplay(Map<String, Object> consumerConfig) {
        this.config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // A replay's last poll leaves a fetch at the end of the topic waiting at the broker for new records, and the
        // broker answers one connection's requests in order: the next topic's offsets request waited behind it for the
        // default 500 ms, eight times in reunification's rebuild. A replay never waits for records to come.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    }

    /**
     * Replays the whole topic; unreadable records are logged and skipped. Returns the number of records handled.
     *
     * @throws RegistryUnavailableException if a record could not be read because the registry was unavailable
     */
    public <K, V> long toEnd(Topic<K, V> topic, Consumer<ConsumerRecord<K, V>> onRecord) {
        return replay(topic, TO_END, onRecord, TopicReplay::skip);
    }

    /**
     * Reads each partition of the topic from {@code from} (its beginning where {@code from} has no offset) to the end it
     * had when the read started; unreadable records are logged and skipped. Returns where each partition's read ended:
     * passed as {@code from} next time, the next read hands on only the records written since. A reader that keeps
     * following a history topic pays for what is new, not for the whole topic each time.
     *
     * @throws RegistryUnavailableException if a record could not be read because the registry was unavailable
     */
    public <K, V> Map<TopicPartition, Long> toEndFrom(Topic<K, V> topic, Map<TopicPartition, Long> from,
                                                      Consumer<ConsumerRecord<K, V>> onRecord) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        read(topic, from, TO_END, onRecord, TopicReplay::skip, ends);
        return ends;
    }

    /**
     * Replays each partition from its beginning up to {@code limit} (exclusive), and at most to the end it had when the
     * replay started. Returns the number of records handed to {@code onRecord}.
     *
     * @throws RegistryUnavailableException if a record could not be read because the registry was unavailable; it
     *                                      never reaches {@code unreadable}
     */
    public <K, V> long replay(Topic<K, V> topic, ToLongFunction<TopicPartition> limit, Consumer<ConsumerRecord<K, V>> onRecord,
                           BiConsumer<ConsumerRecord<?, ?>, DeserializationException> unreadable) {
        return read(topic, Map.of(), limit, onRecord, unreadable, new HashMap<>());
    }

    /** Reads from {@code from} (the beginning where it has no offset) to the limits; puts each partition's end in {@code ends}. */
    private <K, V> long read(Topic<K, V> topic, Map<TopicPartition, Long> from, ToLongFunction<TopicPartition> limit,
                             Consumer<ConsumerRecord<K, V>> onRecord,
                             BiConsumer<ConsumerRecord<?, ?>, DeserializationException> unreadable, Map<TopicPartition, Long> ends) {
        long count = 0;
        if (consumer == null) {
            consumer = new KafkaConsumer<>(config);
        }
        try {
            ends.putAll(rewind(consumer, List.of(topic)));
            Map<TopicPartition, Long> limits = new HashMap<>();
            ends.forEach((partition, end) -> {
                long until = Math.min(limit.applyAsLong(partition), end);
                if (until > from.getOrDefault(partition, 0L)) {
                    limits.put(partition, until);
                }
            });
            consumer.assign(limits.keySet());
            // rewind left them at their beginnings; a partition read before goes on from where that read ended
            limits.keySet().stream().filter(from::containsKey).forEach(partition -> consumer.seek(partition, from.get(partition)));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reached(consumer, limits)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not replay " + topic.name() + " to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<Object, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    Long until = limits.get(new TopicPartition(record.topic(), record.partition()));
                    if (until == null || record.offset() >= until) {
                        continue;
                    }
                    DeserializationException poison = Poison.of(record);
                    if (poison != null && RegistryOutage.isCause(poison)) {
                        RegistryOutage.count(record, poison);
                        throw RegistryOutage.at(record, poison);
                    } else if (poison != null) {
                        unreadable.accept(record, poison);
                    } else {
                        onRecord.accept(typed(topic, record));
                        count++;
                    }
                }
            }
        } finally {
            // nothing of this topic stays assigned, or buffered, for the next replay
            consumer.assign(List.of());
        }
        if (from.isEmpty()) {
            log.info("Replayed {} records of {}", count, topic.name());
        } else {
            log.debug("Read {} new records of {}", count, topic.name());
        }
        return count;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }

    /**
     * Assigns every partition of the topics to a group-less consumer, seeks it to the beginning and returns the end
     * offsets as they are now: a consumer that keeps following the topics knows it has replayed them once
     * {@link #reached} says so.
     */
    public static Map<TopicPartition, Long> rewind(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                                   Collection<? extends Topic<?, ?>> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            consumer.partitionsFor(topic.name(), METADATA_TIMEOUT)
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer.endOffsets(partitions, METADATA_TIMEOUT);
    }

    /**
     * After handling the record at {@code from} of a poll failed (the registry away, a dead letter not sent): seeks each
     * partition of the records from {@code from} on back to its first of them, so the next poll starts with that record
     * and nothing after it is skipped. The records before it count as handled.
     */
    public static void seekBack(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                List<? extends ConsumerRecord<?, ?>> polled, int from) {
        Set<TopicPartition> sought = new HashSet<>();
        for (int i = from; i < polled.size(); i++) {
            ConsumerRecord<?, ?> record = polled.get(i);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (sought.add(partition)) {
                consumer.seek(partition, record.offset());
            }
        }
    }

    /** Whether the consumer's position reached the given offset on every partition. */
    public static boolean reached(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream().allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
    }

    /** A record as the topic's types; the deserializers made them so (a value of another type fails here). */
    @SuppressWarnings("unchecked")
    private static <K, V> ConsumerRecord<K, V> typed(Topic<K, V> topic, ConsumerRecord<Object, Object> record) {
        topic.keyType().cast(record.key());
        topic.value(record.value());
        return (ConsumerRecord<K, V>) (ConsumerRecord<?, ?>) record;
    }

    private static void skip(ConsumerRecord<?, ?> record, DeserializationException poison) {
        log.warn("Skipped an unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
    }
}

package org.homecoming.platform.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Which source records already went to a dead-letter topic, by (topic, partition, offset), so each poison record
 * is dead-lettered once even when it is read again: by a second reader in the same service, after a restart (a Kafka
 * Streams global table and a group-less replay both read their topic again from the start), or by another instance of
 * the service (a rebuild, or a topic every instance reads whole).
 *
 * <p>It learns a dead-letter topic from the topic itself, and reads on from where it stopped whenever it is asked about
 * a record it does not know yet. Reading the topic only once, at the first question, missed what the service's other
 * instances dead-lettered after that moment: a restarted instance then held such a record again and dead-lettered it a
 * second time. Dead letters are written outside any transaction, so a peer's letter is readable as soon as it is sent;
 * what remains is the moment between a peer's check and its send.
 *
 * <p>What it remembers is bounded. Offsets are kept as runs per source partition, so a flood of unreadable records (a
 * partner's broken encoder, or a captured partner credential sending junk within its quota) costs one run, not one entry
 * per record: before, every dead letter added a string that was never dropped, and a million of them took some 150 MB
 * of a 512 MB heap. And a source partition keeps at most {@link #MAX_RUNS_PER_PARTITION} runs, dropping its lowest
 * offsets first: only a replay from the beginning reads those again, and it then sends a second copy of such a letter,
 * never loses one.
 */
final class DeadLetterRecord implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecord.class);
    /** How long one catch-up may read; a dead-letter topic holds few records, so this bounds only a broker away. */
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

    /** Enough for every poison record a partition held in any run so far; about 100 bytes each. */
    static final int MAX_RUNS_PER_PARTITION = 10_000;

    private final Map<String, Object> consumerConfig;
    private final int maxRunsPerPartition;
    /** The dead-lettered offsets of each source partition, as runs: first offset to last offset, both included. */
    private final Map<TopicPartition, TreeMap<Long, Long>> known = new HashMap<>();
    /** The next offset to read, by dead-letter partition: where the last catch-up stopped. */
    private final Map<TopicPartition, Long> readUpTo = new HashMap<>();
    private KafkaConsumer<byte[], byte[]> consumer;

    DeadLetterRecord(Map<String, Object> consumerConfig) {
        this(consumerConfig, MAX_RUNS_PER_PARTITION);
    }

    DeadLetterRecord(Map<String, Object> consumerConfig, int maxRunsPerPartition) {
        this.consumerConfig = consumerConfig;
        this.maxRunsPerPartition = maxRunsPerPartition;
    }

    /** Records that {@code record} goes to {@code deadLetterTopic}; false if it was dead-lettered before. */
    synchronized boolean firstTime(ConsumerRecord<?, ?> record, String deadLetterTopic) {
        if (contains(record, deadLetterTopic)) {
            return false;
        }
        remember(new TopicPartition(record.topic(), record.partition()), record.offset());
        return true;
    }

    /** Takes back {@link #firstTime} for a record whose dead letter could not be sent, so the next attempt sends it. */
    synchronized void forget(ConsumerRecord<?, ?> record) {
        TreeMap<Long, Long> runs = known.get(new TopicPartition(record.topic(), record.partition()));
        Map.Entry<Long, Long> run = runs == null ? null : runs.floorEntry(record.offset());
        if (run == null || run.getValue() < record.offset()) {
            return;
        }
        // the run is split around the offset: what was sent before and after it stays known
        runs.remove(run.getKey());
        if (run.getKey() < record.offset()) {
            runs.put(run.getKey(), record.offset() - 1);
        }
        if (run.getValue() > record.offset()) {
            runs.put(record.offset() + 1, run.getValue());
        }
    }

    /** Whether {@code record} went to {@code deadLetterTopic} before, from this instance or another. */
    synchronized boolean contains(ConsumerRecord<?, ?> record, String deadLetterTopic) {
        TopicPartition source = new TopicPartition(record.topic(), record.partition());
        if (remembers(source, record.offset())) {
            return true;
        }
        catchUp(deadLetterTopic);
        return remembers(source, record.offset());
    }

    /** How many runs of offsets are remembered, over every source partition: what the memory it takes grows with. */
    synchronized int runs() {
        return known.values().stream().mapToInt(TreeMap::size).sum();
    }

    private boolean remembers(TopicPartition source, long offset) {
        TreeMap<Long, Long> runs = known.get(source);
        if (runs == null) {
            return false;
        }
        Map.Entry<Long, Long> run = runs.floorEntry(offset);
        return run != null && run.getValue() >= offset;
    }

    private void remember(TopicPartition source, long offset) {
        TreeMap<Long, Long> runs = known.computeIfAbsent(source, partition -> new TreeMap<>());
        if (remembers(source, offset)) {
            return;
        }
        // joined with the run that ends just before it and the one that starts just after it, if any
        Map.Entry<Long, Long> before = runs.floorEntry(offset);
        Long after = runs.remove(offset + 1);
        long first = before != null && before.getValue() == offset - 1 ? before.getKey() : offset;
        runs.put(first, after != null ? after : offset);
        while (runs.size() > maxRunsPerPartition) {
            runs.pollFirstEntry();
        }
    }

    /** Reads what was added to the dead-letter topic since the last catch-up. */
    private void catchUp(String deadLetterTopic) {
        try {
            KafkaConsumer<byte[], byte[]> reader = consumer();
            var infos = reader.partitionsFor(deadLetterTopic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(deadLetterTopic, info.partition())).toList();
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<TopicPartition> behind = partitions.stream()
                    .filter(partition -> readUpTo.getOrDefault(partition, 0L) < end.get(partition)).toList();
            if (behind.isEmpty()) {
                return;
            }
            reader.assign(behind);
            behind.forEach(partition -> reader.seek(partition, readUpTo.getOrDefault(partition, 0L)));
            long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
            while (behind.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> letter : reader.poll(Duration.ofMillis(200))) {
                    learn(letter);
                }
            }
            behind.forEach(partition -> readUpTo.put(partition, reader.position(partition)));
        } catch (RuntimeException e) {
            // Not knowing the topic's past risks a second copy, never a lost dead letter: go on, and read again next time.
            log.warn("Could not read {} to learn what was dead-lettered before: {}", deadLetterTopic, e.toString());
            closeConsumer();
        }
    }

    private void learn(ConsumerRecord<byte[], byte[]> letter) {
        String topic = text(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC));
        Header partition = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
        Header offset = letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
        if (topic != null && partition != null && offset != null) {
            remember(new TopicPartition(topic, ByteBuffer.wrap(partition.value()).getInt()), ByteBuffer.wrap(offset.value()).getLong());
        }
    }

    /** One reader for every catch-up, so that asking about many records (a rebuild) costs a look at the ends, not a login. */
    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> config = new HashMap<>(consumerConfig);
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letter-record");
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                log.debug("Closing the dead-letter reader: {}", e.toString());
            }
            consumer = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConsumer();
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

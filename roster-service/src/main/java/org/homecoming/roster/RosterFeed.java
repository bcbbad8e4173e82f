package org.homecoming.roster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.kafka.AbandonedTransactions;
import org.homecoming.platform.kafka.Poison;
import org.homecoming.platform.kafka.TopicReplay;
import org.homecoming.platform.lifecycle.StartupStep;
import org.homecoming.platform.registry.RegistryOutage;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * This instance's view of what the roster has published, read from the roster's own topics: it rebuilds the rounds
 * and lists at start-up (before the web server takes requests) and, because other instances publish too, it reads on
 * whenever a request needs the view to be current: a read, so that a client reads its own write made on another
 * instance, and a change, so that it is checked against every earlier change of its round.
 *
 * <p>"Current" means: read_committed up to the log's end as it was when the request came (the high watermark, not the
 * last stable offset: a transaction still open then may hold a commit of the round behind it). The wait is bounded
 * ({@code homecoming.roster.catch-up-wait}); a change that cannot see the end answers 503, a read answers with what
 * it has and logs it. A transaction that holds the end back for {@code homecoming.roster.abandoned-after} was left
 * open by a dead instance, and is ended ({@link AbandonedTransactions}) instead of waited out. One group-less consumer, used by one request at a time; nothing is committed.
 */
@Component
public class RosterFeed extends StartupStep implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RosterFeed.class);
    /** At start-up the whole history is read: bounded as the platform's replay is. */
    private static final Duration STARTUP_WAIT = Duration.ofMinutes(5);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    /** One area's part of the view, rebuilt from the records of its topics. */
    public interface Reader {
        List<Topic<?, ?>> topics();

        /** A committed record (tombstones and unreadable records are not handed over). */
        void read(ConsumerRecord<String, Object> record);

        /** Every record of one poll has been read: the point at which records that belong together can be applied. */
        default void polled() {
        }
    }

    private final KafkaProperties kafka;
    private final DeadLetters deadLetters;
    private final ObjectProvider<Reader> readerBeans;
    private final Duration wait;
    private final AbandonedTransactions abandoned;
    private final Map<String, Reader> readers = new HashMap<>();
    private List<TopicPartition> partitions = List.of();
    private KafkaConsumer<String, Object> consumer;
    private KafkaConsumer<byte[], byte[]> ends;

    RosterFeed(KafkaProperties kafka, DeadLetters deadLetters, ObjectProvider<Reader> readers,
               @Value("${homecoming.roster.catch-up-wait:10s}") Duration wait,
               @Value("${homecoming.roster.abandoned-after:5s}") Duration abandonedAfter) {
        // after the fencing of this instance's own transactional id, before anything takes requests
        super(Integer.MIN_VALUE + 1000);
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.readerBeans = readers;
        this.wait = wait;
        // every transactional id of the roster begins so: its instances' own, its rounds' and its list ids' fences
        this.abandoned = new AbandonedTransactions(kafka.buildAdminProperties(), abandonedAfter, id -> id.startsWith("roster-"));
    }

    @Override
    protected synchronized void run() {
        Set<Topic<?, ?>> topics = new LinkedHashSet<>();
        readerBeans.orderedStream().forEach(reader -> reader.topics().forEach(topic -> {
            topics.add(topic);
            readers.put(topic.name(), reader);
        }));
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        consumer = new KafkaConsumer<>(config);
        partitions = new ArrayList<>(TopicReplay.rewind(consumer, List.copyOf(topics)).keySet());
        Map<String, Object> endsConfig = new HashMap<>(config);
        endsConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_UNCOMMITTED.toString());
        endsConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        endsConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ends = new KafkaConsumer<>(endsConfig);
        // assigned (never polled): the client warns about end offsets asked for partitions it does not hold
        ends.assign(partitions);
        // while the registry is away the start-up waits (not ready) instead of taking requests with a partial view
        RegistryOutage.untilAvailable("The roster's start-up read", () -> {
            if (!catchUp(STARTUP_WAIT)) {
                throw new IllegalStateException("Could not read the roster's topics to their end within " + STARTUP_WAIT);
            }
        });
        log.info("Read the roster's {} topic partitions to their end", partitions.size());
    }

    /** Before a change is checked: the view holds every change committed so far, or the request answers 503. */
    public void awaitForChange() {
        String why = null;
        try {
            if (!catchUp(wait)) {
                why = "within " + wait;
            }
        } catch (RegistryUnavailableException e) {
            why = "while the schema registry is unavailable";
        }
        if (why != null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "The roster could not read the latest changes " + why + "; nothing was published, retry shortly");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        }
    }

    /** Before a read is answered: the view holds every change committed before the request, as far as the wait allows. */
    public void awaitForRead() {
        try {
            if (!catchUp(wait)) {
                log.warn("A read is answered from a view that did not reach the topics' end within {}", wait);
            }
        } catch (RegistryUnavailableException e) {
            log.warn("A read is answered from a view that could not read on: the schema registry is unavailable");
        }
    }

    /**
     * Reads every partition up to its end as it is now; false if that took longer than {@code bound}.
     *
     * @throws RegistryUnavailableException at a record that could not be read because the registry was unavailable;
     *                                      the consumer is set back to it, so the next catch-up reads it again
     */
    synchronized boolean catchUp(Duration bound) {
        Map<TopicPartition, Long> targets = ends.endOffsets(partitions, METADATA_TIMEOUT);
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        // a transaction that blocks the end this long was left by a dead instance (see AbandonedTransactions)
        long fenceAt = start + abandoned.after().toNanos();
        while (!TopicReplay.reached(consumer, targets)) {
            long now = System.nanoTime();
            if (now > deadline) {
                return false;
            }
            if (now > fenceAt) {
                abandoned.fence();
                fenceAt = Long.MAX_VALUE;
            }
            List<ConsumerRecord<String, Object>> polled = new ArrayList<>();
            consumer.poll(Duration.ofMillis(100)).forEach(polled::add);
            for (int i = 0; i < polled.size(); i++) {
                ConsumerRecord<String, Object> record = polled.get(i);
                if (Poison.registryUnavailable(record)) {
                    // not poison: dead-lettering it would drop a list entry from the roster's view for good
                    RegistryOutage.seekBack(consumer, polled, i);
                    RegistryOutage.count(record, Poison.of(record));
                    throw RegistryOutage.at(record, Poison.of(record));
                }
                if (Poison.of(record) != null) {
                    log.error("Record {}-{}@{} cannot be read and goes to the dead-letter topic", record.topic(),
                            record.partition(), record.offset());
                    deadLetters.accept(record, Poison.of(record));
                } else if (record.value() != null) {
                    readers.get(record.topic()).read(record);
                }
            }
            readers.values().stream().distinct().forEach(Reader::polled);
        }
        return true;
    }

    @Override
    public synchronized void destroy() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            ends.close(Duration.ofSeconds(5));
        }
        abandoned.close();
    }
}

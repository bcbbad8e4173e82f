package org.homecoming.transport.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.errors.WakeupException;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.holding.HoldingSettings;
import org.homecoming.platform.kafka.AbandonedTransactions;
import org.homecoming.platform.kafka.TopicReplay;
import org.homecoming.platform.registry.RegistryOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Replays the ledger's topics from the beginning into {@link TransportLedger} (to the ends they had at the start, as
 * the platform's {@link TopicReplay} does; then the ledger is caught up) and keeps following them. It
 * uses a group-less consumer with assigned partitions: every instance needs every record, and nothing is
 * committed. Reads are read_committed with the platform's deserializers; an unreadable record goes to the dead-letter
 * policy, which dead-letters it once if transport owns its topic and otherwise skips it with a warning (roster, the
 * owner of the listed persons, dead-letters those). A withdrawal of a person never listed is held (see
 * {@link HeldRecords}) until the person is listed, then dead-lettered to {@code roster.listed-persons-dlt} by transport,
 * the reader that could not make sense of it.
 */
@Component
class LedgerFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LedgerFeed.class);
    static final List<Topic<?, ?>> FOLLOWED = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS, Topics.HANDOVER_DISCREPANCIES);

    private final TransportLedger ledger;
    private final KafkaProperties kafka;
    private final DeadLetters deadLetters;
    private final HeldRecords held;
    private volatile KafkaConsumer<String, Object> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    /** Where the follower has read to, after each poll; requests wait on it (see {@link #awaitCommitted}). */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private KafkaConsumer<byte[], byte[]> ends;
    private final AbandonedTransactions abandoned;

    LedgerFeed(TransportLedger ledger, KafkaProperties kafka, DeadLetters deadLetters, HoldingSettings holding,
               ObjectProvider<MeterRegistry> meters, @Value("${homecoming.transport.abandoned-after:5s}") Duration abandonedAfter) {
        this.ledger = ledger;
        // the decisions' fences and the instances' own producers; never the stream application's, whose transactions
        // Kafka Streams ends itself when a member leaves
        String streams = kafka.getStreams().getApplicationId() + "-";
        this.abandoned = new AbandonedTransactions(kafka.buildAdminProperties(), abandonedAfter,
                id -> id.startsWith("transport-") && !id.startsWith(streams));
        ledger.followedBy(this);
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        // a withdrawal watched after its dead letter changes nothing once the person is listed (see applyHeld), but the
        // ledger then reads the same whether it ran on or was replayed
        this.held = new HeldRecords("transport-ledger", holding, deadLetters, meters.getIfAvailable(), Clock.systemUTC())
                .watchingAfterDeadLetter(record -> true);
    }

    @Override
    public void start() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "transport-ledger-feed");
        consumer = new KafkaConsumer<>(config);
        Map<String, Object> endsConfig = new HashMap<>(config);
        endsConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "transport-ledger-ends");
        endsConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        endsConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        endsConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ends = new KafkaConsumer<>(endsConfig);
        running = true;
        held.start();
        thread = new Thread(this::follow, "transport-ledger-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** The first pause after the feed failed to take records in, doubled after each further failure up to the longest. */
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofMinutes(1);

    private void follow() {
        try {
            Map<TopicPartition, Long> startEnd = TopicReplay.rewind(consumer, FOLLOWED);
            boolean caughtUp = false;
            Duration pause = FIRST_PAUSE;
            while (running) {
                // where each partition of the batch resumes if taking it in fails half-way: its first record not taken in
                Map<TopicPartition, Long> resumeAt = new HashMap<>();
                try {
                    takeIn(consumer.poll(Duration.ofMillis(500)), resumeAt);
                    pause = FIRST_PAUSE;
                } catch (WakeupException stopping) {
                    throw stopping;
                } catch (RuntimeException e) {
                    // A broker or the registry away for a while (a dead letter that cannot be sent, a lookup that
                    // timed out). Before, the feed's thread ended here, and every manifest, hand-over and bus query
                    // was answered 503 until the service was restarted. Now it tries again from the first record it
                    // did not take in, so nothing is skipped, after a pause that grows to a minute.
                    log.error("The ledger feed could not take records in; trying again in {} from where it stopped", pause, e);
                    resumeAt.forEach(consumer::seek);
                    pauseUnlessStopped(pause);
                    pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                    continue;
                }
                synchronized (progress) {
                    consumer.assignment().forEach(partition -> positions.put(partition, consumer.position(partition)));
                    progress.notifyAll();
                }
                if (!caughtUp && TopicReplay.reached(consumer, startEnd)) {
                    caughtUp = true;
                    ledger.markCaughtUp();
                    log.info("The ledger has replayed {} partitions", startEnd.size());
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer up
        } catch (RuntimeException e) {
            log.error("The ledger feed stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            synchronized (this) {
                ends.close(Duration.ofSeconds(5));
                ends = null;
            }
            abandoned.close();
        }
    }

    /** Takes a batch in, noting in {@code resumeAt} the first record of each partition not taken in yet. */
    private void takeIn(ConsumerRecords<String, Object> records, Map<TopicPartition, Long> resumeAt) {
        for (ConsumerRecord<String, Object> record : records) {
            resumeAt.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        // the held records' timer waits meanwhile: it must not dead-letter a record these records explain
        synchronized (held) {
            for (ConsumerRecord<String, Object> record : records) {
                DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                        SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, null);
                if (unreadable != null && RegistryOutage.isCause(unreadable)) {
                    // not poison: the registry was away. The feed reads on from this record after a pause (below),
                    // so no manifest or hand-over is missing from the ledger
                    RegistryOutage.count(record, unreadable);
                    throw RegistryOutage.at(record, unreadable);
                } else if (unreadable != null) {
                    // the dead-letter policy keeps it only for transport's own topics, and once
                    deadLetters.accept(record, unreadable);
                } else if (record.value() == null) {
                    log.warn("Skipped an empty record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                } else if (ledger.unresolved(record.value()) != null) {
                    // the feed replays from the beginning at every start, so a held record is found again
                    // after a crash; one dead-lettered before is watched, not held and dead-lettered again
                    held.holdAgain(record, ledger.unresolved(record.value()));
                } else {
                    ledger.apply(record.topic(), record.value());
                }
                resumeAt.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            held.retry(heldRecord -> {
                if (ledger.unresolved(heldRecord.value()) != null) {
                    return false;
                }
                ledger.applyHeld(heldRecord.topic(), heldRecord.value());
                return true;
            });
        }
    }

    private void pauseUnlessStopped(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        while (running && System.nanoTime() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits until the ledger has read every followed topic up to its end as it is now (the high watermark: a commit
     * of another instance may sit behind a transaction still open), so a decision or a read sees every write made
     * before it on any instance. False if that took longer than {@code bound}.
     */
    boolean awaitCommitted(Duration bound) {
        Map<TopicPartition, Long> targets;
        synchronized (this) {
            if (ends == null) {
                return false;
            }
            List<TopicPartition> followed = new ArrayList<>();
            for (Topic<?, ?> topic : FOLLOWED) {
                ends.partitionsFor(topic.name(), Duration.ofSeconds(30))
                        .forEach(info -> followed.add(new TopicPartition(info.topic(), info.partition())));
            }
            ends.assign(followed);
            targets = ends.endOffsets(followed, Duration.ofSeconds(30));
        }
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        // a transaction that blocks the end this long was left by a dead instance (see AbandonedTransactions)
        long fenceAt = start + abandoned.after().toNanos();
        boolean fenced = false;
        while (true) {
            synchronized (progress) {
                while (!reached(targets)) {
                    long now = System.nanoTime();
                    if (now >= deadline) {
                        return false;
                    }
                    if (!fenced && now >= fenceAt) {
                        break;
                    }
                    long until = fenced ? deadline : Math.min(deadline, fenceAt);
                    try {
                        progress.wait(Math.max(1, (until - now) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                if (reached(targets)) {
                    return true;
                }
            }
            // outside the lock: the follower must go on reporting its progress meanwhile
            abandoned.fence();
            fenced = true;
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(target -> positions.getOrDefault(target.getKey(), 0L) >= target.getValue());
    }

    @Override
    public void stop() {
        running = false;
        held.close();
        KafkaConsumer<String, Object> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread follower = thread;
        if (follower != null) {
            try {
                follower.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

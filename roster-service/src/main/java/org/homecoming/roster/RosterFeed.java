package org.homecoming.roster;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
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
import org.springframework.http.HttpHeaders;
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
 * ({@code homecoming.roster.catch-up-wait}); a change or a read that cannot see the end answers 503 with Retry-After,
 * never what a lagging view holds: a client that wrote through another instance a moment ago would be told its write
 * is not there ("unknown", or a list without it). The brokers not answering (a timeout or a network error) is the same
 * 503; the health component ({@link FeedHealthIndicator}) says since when, from what the catch-ups recorded, and stays UP. A
 * request waits for another's catch-up within its own wait, not beyond it. A transaction that holds the end back for
 * {@code homecoming.roster.abandoned-after} was left open by a dead instance, and is ended
 * ({@link AbandonedTransactions}) instead of waited out. One group-less consumer, used by one catch-up at a time;
 * nothing is committed.
 */
@Component
public class RosterFeed extends StartupStep implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RosterFeed.class);
    /** At start-up the whole history is read: bounded as the platform's replay is. */
    private static final Duration STARTUP_WAIT = Duration.ofMinutes(5);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_METADATA_TIMEOUT = Duration.ofSeconds(1);

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
    /**
     * One catch-up at a time (the consumers are not thread-safe). Fair, so that requests take it in the order they came
     * and the background probe, which only takes it when nobody waits, never goes ahead of one.
     */
    private final ReentrantLock reading = new ReentrantLock(true);
    /** Whether the start-up read reached the topics' end: before it, nothing this instance knows can be trusted. */
    private volatile boolean started;
    /** How the latest catch-up ended; written only while holding {@link #reading}, read by the health endpoint. */
    private volatile Standing standing;
    private final Duration probeEvery;
    /** Reads on when no request has for {@link #probeEvery}, so the standing stays current off the health request thread. */
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread thread = new Thread(work, "roster-feed-probe");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;

    RosterFeed(KafkaProperties kafka, DeadLetters deadLetters, ObjectProvider<Reader> readers,
               @Value("${homecoming.roster.catch-up-wait:10s}") Duration wait,
               @Value("${homecoming.roster.abandoned-after:5s}") Duration abandonedAfter,
               @Value("${homecoming.roster.probe-every:5s}") Duration probeEvery) {
        // after the fencing of this instance's own transactional id, before anything takes requests
        super(Integer.MIN_VALUE + 1000);
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.readerBeans = readers;
        this.wait = wait;
        this.probeEvery = probeEvery;
        // every transactional id of the roster begins so: its instances' own, its rounds' and its list ids' fences
        this.abandoned = new AbandonedTransactions(kafka.buildAdminProperties(), abandonedAfter, id -> id.startsWith("roster-"));
    }

    @Override
    protected void run() {
        reading.lock();
        try {
            readFromTheBeginning();
            standing = new Standing(Reach.REACHED, Instant.now(), null);
        } finally {
            reading.unlock();
        }
        started = true;
        prober.scheduleWithFixedDelay(this::probe, probeEvery.toMillis(), probeEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void readFromTheBeginning() {
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
            if (!catchUpHoldingTheLock(STARTUP_WAIT)) {
                throw new IllegalStateException("Could not read the roster's topics to their end within " + STARTUP_WAIT);
            }
        });
        log.info("Read the roster's {} topic partitions to their end", partitions.size());
    }

    /** How far a catch-up got. */
    public enum Reach {
        /** Every partition read to the end it had when the catch-up began. */
        REACHED,
        /** Not to the end within the bound (a slow broker, a transaction holding the end back). */
        BEHIND,
        /** The brokers did not answer for the end offsets: this instance cannot tell what it has not read. */
        BROKERS_UNREACHABLE,
        /** A record could not be read while the schema registry is unavailable. */
        REGISTRY_UNAVAILABLE
    }

    /** Seconds a client is asked to wait before it retries a request this instance could not answer for want of a catch-up. */
    static final String RETRY_AFTER_SECONDS = "5";

    /** Before a change is checked: the view holds every change committed so far, or the request answers 503. */
    public void awaitForChange() {
        Reach reach = catchUp();
        if (reach != Reach.REACHED) {
            throw notCaughtUp(reach, "nothing was published, retry shortly");
        }
    }

    /**
     * Before a read is answered: the view holds every change committed before the request, or the read answers 503 with
     * Retry-After. Answered from a view that fell short, a read would leave out (or show as it was before) what a client
     * wrote through another instance a moment ago, with 200: a list officer who just published a list would not find it.
     */
    public void awaitForRead() {
        Reach reach = catchUp();
        if (reach != Reach.REACHED) {
            log.warn("A read is answered 503: the view did not reach the topics' end within {}: {}", wait, reach);
            throw notCaughtUp(reach, "retry shortly: what was written through another instance a moment ago may be missing here");
        }
    }

    /**
     * Reads on to the topics' end as they are now, within the wait, and says how far it got; for a caller that can
     * answer some requests without the whole view (an upload whose rows are wrong whatever its round).
     */
    public Reach catchUp() {
        return readToTheEnd(wait);
    }

    /**
     * The 503 problem+json for a request this instance cannot answer truthfully because it has not read the roster's
     * topics to their end: "unknown round" from a lagging instance would tell the caller its correct data is wrong. It
     * carries Retry-After: the other instance, or this one a moment later, can answer.
     */
    public static ErrorResponseException notCaughtUp(Reach reach, String consequence) {
        String why = switch (reach) {
            case BROKERS_UNREACHABLE -> "could not reach the Kafka brokers";
            case REGISTRY_UNAVAILABLE -> "could not read them while the schema registry is unavailable";
            default -> "could not read them to their end in time";
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "This roster instance has not read the latest rounds and lists (it " + why + "), so it cannot tell; "
                        + consequence);
        problem.setType(URI.create("https://homecoming.example/problems/not-caught-up"));
        problem.setTitle("Not caught up with the roster's topics");
        ErrorResponseException refused = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        refused.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return refused;
    }

    /**
     * How the latest catch-up ended, and since when the brokers have not answered (null while they do).
     *
     * @param at when that catch-up ended
     */
    record Standing(Reach reach, Instant at, Instant brokersUnreachableSince) {
    }

    /**
     * For the health endpoint: null before the start-up read has reached the topics' end, else what the latest
     * catch-up, of a request or of the background probe, recorded. It reads no topic: {@code /actuator/health} is open
     * to anyone, and a probe must neither make the brokers work nor take the lock that requests wait for.
     */
    Standing standing() {
        return started ? standing : null;
    }

    /** Reads on when no request did for a while: a lost broker shows in the health details even while no request comes. */
    private void probe() {
        Standing last = standing;
        if (last != null && last.at().plus(probeEvery).isAfter(Instant.now())) {
            return;
        }
        try {
            // with a fair lock a timed try does not barge: if a request reads or waits, its outcome is recorded instead
            if (!reading.tryLock(0, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (!closed) {
                readHoldingTheLock(wait);
            }
        } catch (RuntimeException e) {
            log.error("The roster's background catch-up failed", e);
        } finally {
            reading.unlock();
        }
    }

    /**
     * Waits for the lock within {@code bound} as well: a request whose whole wait went by while another request read
     * answers 503 in time, instead of queueing behind a catch-up that cannot reach the brokers.
     */
    private Reach readToTheEnd(Duration bound) {
        long start = System.nanoTime();
        try {
            if (!reading.tryLock(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                return Reach.BEHIND;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reach.BEHIND;
        }
        try {
            Duration left = bound.minusNanos(System.nanoTime() - start);
            return readHoldingTheLock(left.isNegative() ? Duration.ZERO : left);
        } finally {
            reading.unlock();
        }
    }

    /**
     * Any failure other than the registry's absence and the brokers' is thrown on (500 for a request, logged): a
     * refused authorisation or a broken record is not "could not reach the brokers", and is not retried into silence.
     */
    private Reach readHoldingTheLock(Duration bound) {
        Reach reach;
        try {
            reach = catchUpHoldingTheLock(bound) ? Reach.REACHED : Reach.BEHIND;
        } catch (RegistryUnavailableException e) {
            reach = Reach.REGISTRY_UNAVAILABLE;
        } catch (RuntimeException e) {
            // a client's own KafkaException, or Spring's around a dead letter not sent
            if (!brokersAway(e)) {
                throw e;
            }
            log.warn("The roster's topics could not be read on: {}", e.toString());
            reach = Reach.BROKERS_UNREACHABLE;
        }
        Instant now = Instant.now();
        Standing last = standing;
        Instant unreachableSince = reach != Reach.BROKERS_UNREACHABLE ? null
                : last != null && last.brokersUnreachableSince() != null ? last.brokersUnreachableSince() : now;
        standing = new Standing(reach, now, unreachableSince);
        return reach;
    }

    /** A timeout or a network error anywhere in the failure (a dead letter not sent in time comes wrapped). */
    private static boolean brokersAway(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 16; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof NetworkException || cause instanceof DisconnectException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads every partition up to its end as it is now; false if that took longer than {@code bound}.
     *
     * @throws RegistryUnavailableException at a record that could not be read because the registry was unavailable;
     *                                      the consumer is set back to it, so the next catch-up reads it again
     * @throws RuntimeException             any other failure while a polled record was handled (its dead letter not
     *                                      sent, say): the consumer is set back to that record too, so no record after
     *                                      it is skipped and a later catch-up never reports the end of a view that lacks them
     */
    private boolean catchUpHoldingTheLock(Duration bound) {
        // bounded by the caller's wait too, so a broker that is away answers 503 within about it, not after the client
        // gave up; at least a second, so that a healthy broker is not taken for an absent one
        Duration metadata = bound.compareTo(METADATA_TIMEOUT) > 0 ? METADATA_TIMEOUT
                : bound.compareTo(MIN_METADATA_TIMEOUT) < 0 ? MIN_METADATA_TIMEOUT : bound;
        Map<TopicPartition, Long> targets = ends.endOffsets(partitions, metadata);
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
                try {
                    if (Poison.registryUnavailable(record)) {
                        // not poison: dead-lettering it would drop a list entry from the roster's view for good
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
                } catch (RuntimeException failed) {
                    // the records before it are read (the readers hold them until polled()); it and those after it
                    // are read again by the next catch-up instead of being lost with this poll
                    TopicReplay.seekBack(consumer, polled, i);
                    throw failed;
                }
            }
            readers.values().stream().distinct().forEach(Reader::polled);
        }
        return true;
    }

    @Override
    public void destroy() {
        prober.shutdownNow();
        reading.lock();
        try {
            closed = true;
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(5));
                ends.close(Duration.ofSeconds(5));
            }
            abandoned.close();
        } finally {
            reading.unlock();
        }
    }
}

package org.homecoming.roster;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

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
 * ({@code homecoming.roster.catch-up-wait}, one deadline taken when the request came, for the turn, the end offsets and
 * the records alike); a change or a read that cannot see the end answers 503 with Retry-After, never what a lagging view
 * holds: a client that wrote through another instance a moment ago would be told its write is not there ("unknown", or
 * a list without it). The brokers not answering (a timeout or a network error) is the same 503; the health component
 * ({@link FeedHealthIndicator}) says since when, from what the catch-ups recorded, and stays UP.
 *
 * <p>One catch-up is in flight at a time, and the requests that come meanwhile share the next one (any catch-up whose
 * end offsets were taken after a request came answers for it); while the last catch-up found the brokers unreachable, a
 * request that finds one in flight answers 503 at once instead of waiting for it. A transaction that holds the end back
 * for {@code homecoming.roster.abandoned-after} while a change waits was left open by a dead instance, and is ended
 * ({@link AbandonedTransactions}) by the background probe instead of waited out; a read never ends one. One group-less
 * consumer, used by the catch-up in flight; nothing is committed.
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
     * Guards the catch-ups' turns: one catch-up in flight at a time (the consumers are not thread-safe), run on the
     * thread of the request (or probe) that found none in flight; the requests that come meanwhile wait for the next one
     * and share it ("group commit"): a catch-up whose end offsets were taken after a request came answers for it too,
     * so a burst of reads costs two end-offsets round trips, not one each behind a lock.
     */
    private final Object turns = new Object();
    /** Catch-ups begun so far; the end offsets of the n-th are taken after it was counted. Guarded by {@link #turns}. */
    private long begun;
    /** The last catch-up that ended, and how. Guarded by {@link #turns}. */
    private Ended ended = new Ended(0, Reach.REACHED, null);
    /** Whether a catch-up is in flight. Guarded by {@link #turns}. */
    private boolean inFlight;
    /** Requests (changes) and probes waiting for a catch-up that may end an abandoned transaction. Guarded by {@link #turns}. */
    private int mayFence;
    /**
     * Since when (System.nanoTime) the catch-ups have found a partition's end held back by an open transaction (the
     * fetch answered, nothing past it is committed); 0 while none is. Written by the catch-up in flight, read by the
     * probe that decides to fence. Changed only by compare-and-set where both may write at once (see fenceAbandoned).
     */
    private final AtomicLong heldSince = new AtomicLong();
    /**
     * The partitions the latest poll found held back by an open transaction (empty while none is): only a transaction
     * holding one of them is fenced. Written by the catch-up in flight, read by the probe that fences; an immutable set.
     */
    private volatile Set<TopicPartition> heldPartitions = Set.of();
    /** Whether the start-up read reached the topics' end: before it, nothing this instance knows can be trusted. */
    private volatile boolean started;
    /** How the latest catch-up ended; written by the catch-up in flight, read by the health endpoint. */
    private volatile Standing standing;
    private final Duration probeEvery;
    /**
     * Reads on when no request has for {@link #probeEvery}, so the standing stays current off the health request thread,
     * and ends the transactions that a dead instance left open (never on a request's time, nor for a read alone).
     */
    private final ScheduledExecutorService prober = Executors.newScheduledThreadPool(2, work -> {
        Thread thread = new Thread(work, "roster-feed-probe");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;

    /** A catch-up that ended: its number, how far it got, and what failed it (null unless reach is FAILED). */
    private record Ended(long number, Reach reach, RuntimeException failure) {
    }

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
        long fenceCheck = Math.max(100, Math.min(1000, abandoned.after().toMillis() / 2));
        prober.scheduleWithFixedDelay(this::fenceAbandoned, fenceCheck, fenceCheck, TimeUnit.MILLISECONDS);
        // nothing else reads before this: the probe is not scheduled and the web server takes no request yet; the
        // start-up read may end a transaction a dead instance left open, as a change may, rather than wait it out
        synchronized (turns) {
            mayFence++;
            inFlight = true;
        }
        try {
            readFromTheBeginning();
        } finally {
            synchronized (turns) {
                mayFence--;
                inFlight = false;
            }
        }
        standing = new Standing(Reach.REACHED, Instant.now(), null);
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
            if (!catchUpInFlight(System.nanoTime() + STARTUP_WAIT.toNanos())) {
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
        REGISTRY_UNAVAILABLE,
        /**
         * Failed otherwise (the broker refused the roster by ACL, a dead letter not sent): recorded for the health
         * details, never returned to a request, which answers a server error.
         */
        FAILED
    }

    /** The OpenAPI text of every GET: how it answers while this instance cannot read the roster's topics to their end. */
    public static final String READ_NOT_CAUGHT_UP = " 503 problem+json (not-caught-up) with Retry-After when this "
            + "instance could not read the roster's topics to their end as of the request within its catch-up wait "
            + "(homecoming.roster.catch-up-wait, 10 s; the 503 comes within about a second more, and at once while the "
            + "brokers are unreachable): what was written through another instance a moment ago may be missing here, "
            + "so send the same request again after Retry-After seconds, through either instance.";

    /** Seconds a client is asked to wait before it retries a request this instance could not answer for want of a catch-up. */
    static final String RETRY_AFTER_SECONDS = "5";

    /** Before a change is checked: the view holds every change committed so far, or the request answers 503. */
    public void awaitForChange() {
        Reach reach = readToTheEnd(System.nanoTime() + wait.toNanos(), true);
        if (reach != Reach.REACHED) {
            throw notCaughtUp(reach, "nothing was published, retry shortly");
        }
    }

    /**
     * Before a read is answered: the view holds every change committed before the request, or the read answers 503 with
     * Retry-After. Answered from a view that fell short, a read would leave out (or show as it was before) what a client
     * wrote through another instance a moment ago, with 200: a list officer who just published a list would not find it.
     * A read never ends another's transaction: one held behind a live upload's slow commit (a broker failing over) would
     * fail that upload.
     */
    public void awaitForRead() {
        Reach reach = readToTheEnd(System.nanoTime() + wait.toNanos(), false);
        if (reach != Reach.REACHED) {
            log.warn("A read is answered 503: the view did not reach the topics' end within {}: {}", wait, reach);
            throw notCaughtUp(reach, "retry shortly: what was written through another instance a moment ago may be missing here");
        }
    }

    /**
     * Reads on to the topics' end as they are now, within the wait, and says how far it got; for a caller that can
     * answer some requests without the whole view (an upload whose rows are wrong whatever its round). A change's: it
     * may end a transaction a dead instance left open.
     */
    public Reach catchUp() {
        return readToTheEnd(System.nanoTime() + wait.toNanos(), true);
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
     * @param at      when that catch-up ended
     * @param failure the kind (class name) of the failure of a FAILED catch-up, else null
     */
    record Standing(Reach reach, Instant at, Instant brokersUnreachableSince, String failure) {
        Standing(Reach reach, Instant at, Instant brokersUnreachableSince) {
            this(reach, at, brokersUnreachableSince, null);
        }
    }

    /**
     * For the health endpoint: null before the start-up read has reached the topics' end, else what the latest
     * catch-up, of a request or of the background probe, recorded. It reads no topic: {@code /actuator/health} is open
     * to anyone, and a probe must neither make the brokers work nor hold up the catch-ups that requests wait for.
     */
    Standing standing() {
        return started ? standing : null;
    }

    /**
     * Reads on when no request did for a while: a lost broker shows in the health details even while no request comes.
     * It may end an abandoned transaction, like a change: otherwise one left open while only reads come would hold every
     * read at 503 until the coordinator's timeout.
     */
    private void probe() {
        Standing last = standing;
        // While the catch-ups find the end held back by an open transaction the probe waits for the end even though
        // requests keep the standing fresh and a catch-up in flight: it is then what lets fenceAbandoned end a
        // transaction a dead instance left open. Skipped, steady reads (which never fence) kept every read at 503, and
        // every read_committed reader of the roster's topics held, until the coordinator's timeout.
        boolean heldBack = heldSince.get() != 0;
        if (!heldBack && last != null && last.at().plus(probeEvery).isAfter(Instant.now())) {
            return;
        }
        try {
            synchronized (turns) {
                // a catch-up in flight records its own outcome
                if (closed || (inFlight && !heldBack)) {
                    return;
                }
            }
            readToTheEnd(System.nanoTime() + wait.toNanos(), true);
        } catch (RuntimeException e) {
            log.error("The roster's background catch-up failed", e);
        }
    }

    /**
     * Ends the roster's transactions open longer than {@code abandoned-after} that hold one of the partitions the
     * catch-ups have found held back that long, while a change (the probe, or the start-up read) waits for the end;
     * never one open as long on other partitions only (a live upload elsewhere stalled by a failover). On the probe's
     * thread: the admin calls (up to 10 s each while a broker fails over) never count against a request's wait, nor hold
     * up the catch-up, which reads on as soon as the coordinator has aborted the transaction.
     */
    private void fenceAbandoned() {
        long since = heldSince.get();
        boolean changeWaits;
        synchronized (turns) {
            changeWaits = mayFence > 0 && !closed;
        }
        if (since == 0 || !changeWaits || System.nanoTime() - since < abandoned.after().toNanos()) {
            return;
        }
        Set<TopicPartition> holding = heldPartitions;
        if (holding.isEmpty()) {
            // the catch-up cleared it meanwhile: nothing is held back now
            return;
        }
        try {
            // only what holds the partitions this wait needs: another instance's live upload open as long on other
            // partitions (stalled by a broker's failover, its partitions not fetched and so not counted as held)
            // does not hold this wait, and fencing it answered that officer 409, nothing published
            abandoned.fenceHolding(holding);
        } catch (RuntimeException e) {
            log.warn("Could not end the transactions left open: {}", e.toString());
        }
        // not again before another such wait: a transaction that is not the roster's (or not yet that old) is not ours.
        // Only if the catch-up has not moved it meanwhile: the abort lets the catch-up reach the end and clear it, and a
        // plain write here landing after that clear left a stale time behind while nothing was held, so a later wait on
        // a partition that is not fetched at all (its leader gone) fenced a live change after abandoned-after.
        heldSince.compareAndSet(since, System.nanoTime());
    }

    /**
     * Reads on to the end offsets taken after this call began, by the deadline taken when the request came: every
     * wait (for the turn, for the end offsets, for the records) counts against it. A catch-up already in flight when
     * the call came may have taken its end offsets before, so the call waits for the next one, and takes it itself if
     * none is in flight; the calls that came meanwhile are answered by it too. While the last catch-up found the brokers
     * unreachable and one is in flight, the call answers at once instead of waiting, so a broker failover does not hold
     * a web server thread per caller for the whole wait (nor the health probes' threads with them).
     *
     * @param mayFenceAbandoned a change's or the probe's: the catch-up may end a transaction a dead instance left open
     * @throws IllegalStateException when the catch-up that answers for the call failed otherwise than for the brokers'
     *                               or the registry's absence (an ACL refusal: a server error, not 503)
     */
    private Reach readToTheEnd(long deadline, boolean mayFenceAbandoned) {
        if (mayFenceAbandoned) {
            synchronized (turns) {
                mayFence++;
            }
        }
        try {
            Turn turn = awaitTurn(deadline);
            if (turn.answer() != null) {
                return turn.answer();
            }
            Ended outcome = null;
            try {
                outcome = readInFlight(turn.number(), deadline);
            } finally {
                synchronized (turns) {
                    inFlight = false;
                    ended = outcome != null ? outcome
                            : new Ended(turn.number(), Reach.FAILED, new IllegalStateException("The catch-up did not end"));
                    turns.notifyAll();
                }
            }
            if (outcome.reach() == Reach.FAILED) {
                throw outcome.failure();
            }
            return outcome.reach();
        } finally {
            if (mayFenceAbandoned) {
                synchronized (turns) {
                    mayFence--;
                }
            }
        }
    }

    /** Either the answer of a catch-up that another call ran, or the number of the catch-up this call is to run. */
    private record Turn(long number, Reach answer) {
    }

    private Turn awaitTurn(long deadline) {
        synchronized (turns) {
            long needed = begun + 1;
            while (true) {
                if (ended.number() >= needed) {
                    Ended answer = ended;
                    if (answer.reach() == Reach.FAILED) {
                        throw new IllegalStateException("The roster's topics could not be read on", answer.failure());
                    }
                    if (answer.reach() != Reach.BEHIND || deadline - System.nanoTime() <= 0) {
                        return new Turn(0, answer.reach());
                    }
                    // a catch-up that stopped at the deadline of the call that ran it: this call's has not come
                    needed = begun + 1;
                }
                if (closed) {
                    return new Turn(0, Reach.BEHIND);
                }
                if (!inFlight) {
                    inFlight = true;
                    return new Turn(++begun, null);
                }
                Standing last = standing;
                if (last != null && last.reach() == Reach.BROKERS_UNREACHABLE) {
                    return new Turn(0, Reach.BROKERS_UNREACHABLE);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Turn(0, Reach.BEHIND);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(turns, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Turn(0, Reach.BEHIND);
                }
            }
        }
    }

    /**
     * Any failure other than the registry's absence and the brokers' is thrown on by the request that ran the catch-up
     * (500, logged) and by those that waited for it: a refused authorisation or a broken record is not "could not reach
     * the brokers", and is not retried into silence. It is recorded first, so the health details say so.
     */
    private Ended readInFlight(long number, long deadline) {
        Reach reach;
        RuntimeException failure = null;
        try {
            reach = catchUpInFlight(deadline) ? Reach.REACHED : Reach.BEHIND;
        } catch (RegistryUnavailableException e) {
            reach = Reach.REGISTRY_UNAVAILABLE;
        } catch (RuntimeException e) {
            // a client's own KafkaException, or Spring's around a dead letter not sent
            if (brokersAway(e)) {
                log.warn("The roster's topics could not be read on: {}", e.toString());
                reach = Reach.BROKERS_UNREACHABLE;
                // No fetch answered, so what an earlier poll found held back is no evidence now. Kept, it stayed frozen
                // while every catch-up failed before polling (its end offsets unreachable), and the probe fenced, 5 s on,
                // a live change that the same failover stalled on that partition.
                forgetHeldBack();
            } else {
                reach = Reach.FAILED;
                failure = e;
            }
        }
        Instant now = Instant.now();
        Standing last = standing;
        Instant unreachableSince = reach != Reach.BROKERS_UNREACHABLE ? null
                : last != null && last.brokersUnreachableSince() != null ? last.brokersUnreachableSince() : now;
        standing = new Standing(reach, now, unreachableSince, failure == null ? null : kind(failure));
        return new Ended(number, reach, failure);
    }

    /** The class of the failure's innermost cause (an authorisation refused comes wrapped): no message, which may name data. */
    private static String kind(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause.getCause() != null && cause.getCause() != cause && depth < 16; depth++) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
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
     * Reads every partition up to its end as it is now; false if the deadline passed first.
     *
     * @throws RegistryUnavailableException at a record that could not be read because the registry was unavailable;
     *                                      the consumer is set back to it, so the next catch-up reads it again
     * @throws RuntimeException             any other failure while a polled record was handled (its dead letter not
     *                                      sent, say): the consumer is set back to that record too, so no record after
     *                                      it is skipped and a later catch-up never reports the end of a view that lacks them
     */
    private boolean catchUpInFlight(long deadline) {
        // what is left of the caller's wait, so a broker that is away answers 503 within about it, not after the client
        // gave up; at least a second, so that a healthy broker is not taken for an absent one
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        Duration metadata = left.compareTo(METADATA_TIMEOUT) > 0 ? METADATA_TIMEOUT
                : left.compareTo(MIN_METADATA_TIMEOUT) < 0 ? MIN_METADATA_TIMEOUT : left;
        Map<TopicPartition, Long> targets = ends.endOffsets(partitions, metadata);
        while (!TopicReplay.reached(consumer, targets)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
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
            noteHeldBack(targets);
        }
        forgetHeldBack();
        return true;
    }

    /**
     * Whether a partition short of its target has been read to its last stable offset (the fetch answered, and nothing
     * after an open transaction is committed): the end is held back by a transaction, not by a broker that does not
     * answer, which fencing would not help and which a live writer's slow commit during a failover looks like.
     */
    private void noteHeldBack(Map<TopicPartition, Long> targets) {
        Set<TopicPartition> held = targets.entrySet().stream().filter(target -> {
            if (consumer.position(target.getKey()) >= target.getValue()) {
                return false;
            }
            OptionalLong lag = consumer.currentLag(target.getKey());
            return lag.isPresent() && lag.getAsLong() == 0;
        }).map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
        if (held.isEmpty()) {
            forgetHeldBack();
        } else {
            // the partitions before the time, so a probe that sees the time finds what is held
            heldPartitions = held;
            heldSince.compareAndSet(0, System.nanoTime());
        }
    }

    /**
     * Nothing is held back now, or nothing is known to be. The time first: a probe that still saw it set then finds no
     * partition and fences nothing.
     */
    private void forgetHeldBack() {
        heldSince.set(0);
        heldPartitions = Set.of();
    }

    @Override
    public void destroy() {
        prober.shutdownNow();
        synchronized (turns) {
            closed = true;
            // the catch-up in flight ends by its deadline; the consumers are not closed under it
            long until = System.nanoTime() + wait.plus(METADATA_TIMEOUT).toNanos();
            while (inFlight && until - System.nanoTime() > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(turns, until - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            ends.close(Duration.ofSeconds(5));
        }
        abandoned.close();
    }
}

package org.homecoming.platform.holding;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.observability.MetricNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records that make no sense yet, held for a bounded time: an arrival of a person nobody listed, a crossing of a bus
 * without a manifest, a decision about a match nobody proposed. Topics are ordered only within a partition, so the
 * fact that explains such a record may simply not have been read yet; dropping it loses a true fact, and acting on it
 * acts on nonsense. So the service holds it, tries it again whenever it has read new facts ({@link #retry}), and
 * when the {@link HoldingSettings#window() window} is up (checked on every {@link #expire} and by a timer) sends it
 * to {@code <topic>-dlt} through the platform's {@link DeadLetters} with an {@link UnresolvedRecordException} as the
 * reason, where the dead-letter counter and the console count it.
 *
 * <p>A record whose offset was committed while it was held lives only here, so a service must be able to find its
 * held records again after a crash: it re-holds them when it rebuilds its state from the topics (a record that still
 * makes no sense and is not in its dead-letter topic yet, see {@link #wasDeadLettered}). Re-held records get a fresh
 * window.
 *
 * <p>A dead letter is not always the end. The fact that explains a record can come long after the window: the roster
 * office amends a list an hour after the bus arrived with a person added at the border, so the arrival of that person
 * was dead-lettered. A holder that is told to {@link #watchingAfterDeadLetter watch} such records keeps them (at most
 * {@link HoldingSettings#watched()}, the oldest given up first) and tries them with the held ones; one that makes sense
 * then is processed, late, and counted. Without this, the family would never hear of an arrival that really happened,
 * and a rebuild, which reads the amended list before the arrivals, would take the arrival as a fact that the running
 * service never acted on. A restarted service watches again what it finds dead-lettered ({@link #holdAgain}).
 *
 * <p>The instance is its own lock: a service that must not see the timer dead-letter a record in the middle of a batch
 * holds {@code synchronized (heldRecords)} for the batch.
 */
public final class HeldRecords implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeldRecords.class);

    /** Tries a held record again: true if it made sense now and was processed, false to keep holding it. */
    @FunctionalInterface
    public interface Attempt {
        boolean processed(ConsumerRecord<?, ?> record);
    }

    private record Held(ConsumerRecord<?, ?> record, String reason, Instant until) {
    }

    private final String name;
    private final HoldingSettings settings;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Predicate<ConsumerRecord<?, ?>> deadLettersHere;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final Map<String, ConsumerRecord<?, ?>> watched = new LinkedHashMap<>();
    private Predicate<ConsumerRecord<?, ?>> watchable = record -> false;
    private final Counter late;
    private volatile int count;
    private volatile int watchedCount;
    private ScheduledExecutorService timer;

    /**
     * @param name names the holder in the metric {@code homecoming.held.records{holder}} and the timer's thread
     */
    public HeldRecords(String name, HoldingSettings settings, DeadLetters deadLetters, MeterRegistry meters, Clock clock) {
        this(name, settings, deadLetters, meters, clock, record -> true);
    }

    /**
     * @param deadLettersHere whether this instance is the one that dead-letters the record when its time is up: when
     *                        several instances read the same record, each holds it, one dead-letters it, the others let
     *                        it go (it stays on its topic, and a rebuild holds it again)
     */
    public HeldRecords(String name, HoldingSettings settings, DeadLetters deadLetters, MeterRegistry meters, Clock clock,
                       Predicate<ConsumerRecord<?, ?>> deadLettersHere) {
        this.deadLettersHere = deadLettersHere;
        this.name = name;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.clock = clock;
        if (meters != null) {
            // read without the lock, which a batch may hold for a while; a scrape must not wait for it
            Gauge.builder(MetricNames.HELD_RECORDS, this, holder -> holder.count)
                    .description("Records that make no sense yet, held until they do or their time is up")
                    .tag("holder", name).register(meters);
            Gauge.builder(MetricNames.WATCHED_RECORDS, this, holder -> holder.watchedCount)
                    .description("Dead-lettered records still watched, to be processed if what explains them is read later")
                    .tag("holder", name).register(meters);
            late = Counter.builder(MetricNames.LATE_RECORDS)
                    .description("Dead-lettered records processed once what explains them was read")
                    .tag("holder", name).register(meters);
        } else {
            late = null;
        }
    }

    /**
     * Keeps watching the records that {@code which} accepts once they are dead-lettered. A fact (an arrival, a crossing)
     * stays true however late it is explained; a caseworker's decision about a match nobody proposed must not become one
     * when the matcher proposes that match later, so a holder of decisions leaves them out.
     */
    public synchronized HeldRecords watchingAfterDeadLetter(Predicate<ConsumerRecord<?, ?>> which) {
        this.watchable = which;
        return this;
    }

    /** Starts the timer that dead-letters records whose time is up while no new record is read. */
    public synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "held-records-" + name);
                thread.setDaemon(true);
                return thread;
            });
            long every = settings.checkEvery().toMillis();
            timer.scheduleWithFixedDelay(this::expireQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Holds a record that makes no sense yet, for {@code reason} (it becomes the dead letter's reason). A record held
     * already keeps its first window. When the holding is full the oldest record is dead-lettered at once.
     */
    public synchronized void hold(ConsumerRecord<?, ?> record, String reason) {
        String key = key(record);
        if (held.containsKey(key) || watched.containsKey(key)) {
            // a batch read again after a rollback must not dead-letter a watched record a second time
            return;
        }
        if (held.size() >= settings.capacity()) {
            Iterator<Held> oldest = held.values().iterator();
            Held first = oldest.next();
            deadLetter(first, "; it was held while " + settings.capacity() + " records were held, the most allowed");
            oldest.remove();
            count = held.size();
            watch(first.record());
        }
        held.put(key, new Held(record, reason, clock.instant().plus(settings.window())));
        count = held.size();
        log.info("Holding {} for up to {}: {}", key, settings.window(), reason);
    }

    /**
     * Records that still make no sense after a restart: held again with a fresh window, or, if they went to their
     * dead-letter topic before, watched again (when this holder watches them) and never dead-lettered twice.
     */
    public synchronized void holdAgain(ConsumerRecord<?, ?> record, String reason) {
        if (deadLetters.wasDeadLettered(record)) {
            watch(record);
        } else {
            hold(record, reason);
        }
    }

    /** Whether this holder keeps watching the record once it is dead-lettered. */
    public synchronized boolean watchesAfterDeadLetter(ConsumerRecord<?, ?> record) {
        return settings.watched() > 0 && watchable.test(record);
    }

    /**
     * Tries every held record again, oldest first, then every watched one; those that were processed are no longer
     * held or watched.
     */
    public synchronized int retry(Attempt attempt) {
        int processed = 0;
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held candidate = it.next();
            if (attempt.processed(candidate.record())) {
                it.remove();
                count = held.size();
                processed++;
                log.info("{} made sense after it was held, and was processed", key(candidate.record()));
            }
        }
        for (Iterator<ConsumerRecord<?, ?>> it = watched.values().iterator(); it.hasNext(); ) {
            ConsumerRecord<?, ?> candidate = it.next();
            if (attempt.processed(candidate)) {
                it.remove();
                watchedCount = watched.size();
                processed++;
                if (late != null) {
                    late.increment();
                }
                log.warn("{} made sense after it was dead-lettered, and was processed late; its dead letter stays as "
                        + "the trace of the delay", key(candidate));
            }
        }
        return processed;
    }

    /** Sends the records whose time is up to their dead-letter topics. */
    public synchronized int expire() {
        Instant now = clock.instant();
        int expired = 0;
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held candidate = it.next();
            if (!candidate.until().isAfter(now)) {
                // removed only once its dead letter is out: a failed send leaves it held for the next try
                deadLetter(candidate, "; it was held for " + settings.window() + " and still made no sense");
                it.remove();
                count = held.size();
                watch(candidate.record());
                expired++;
            }
        }
        return expired;
    }

    /** Whether the record went to its dead-letter topic before (then it is not held again after a restart). */
    public boolean wasDeadLettered(ConsumerRecord<?, ?> record) {
        return deadLetters.wasDeadLettered(record);
    }

    /** Forgets every held and watched record, before a rebuild finds them again. */
    public synchronized void clear() {
        held.clear();
        count = 0;
        watched.clear();
        watchedCount = 0;
    }

    public synchronized int size() {
        return held.size();
    }

    public synchronized int watched() {
        return watched.size();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private void expireQuietly() {
        try {
            expire();
        } catch (RuntimeException e) {
            // the record stays lost to nobody: it is still on its topic below the committed offset, and the next
            // rebuild holds it again; the timer must keep running for the others
            log.warn("Could not dead-letter the held records of {} yet: {}", name, e.toString());
        }
    }

    private void deadLetter(Held record, String why) {
        if (!deadLettersHere.test(record.record())) {
            log.info("{} made no sense in time; another instance dead-letters it", key(record.record()));
            return;
        }
        // the reason tells the operator what to fix: what explains the record is still taken if it comes
        String watching = watchesAfterDeadLetter(record.record())
                ? "; it is still watched, and processed if what explains it is read later" : "";
        log.warn("{} goes to its dead-letter topic: {}{}{}", key(record.record()), record.reason(), why, watching);
        deadLetters.accept(record.record(), new UnresolvedRecordException(record.reason() + why + watching));
    }

    private void watch(ConsumerRecord<?, ?> record) {
        if (!watchesAfterDeadLetter(record)) {
            return;
        }
        if (watched.size() >= settings.watched()) {
            Iterator<ConsumerRecord<?, ?>> oldest = watched.values().iterator();
            log.warn("{} is no longer watched: {} dead-lettered records are watched, the most allowed",
                    key(oldest.next()), settings.watched());
            oldest.remove();
        }
        watched.put(key(record), record);
        watchedCount = watched.size();
    }

    private static String key(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}

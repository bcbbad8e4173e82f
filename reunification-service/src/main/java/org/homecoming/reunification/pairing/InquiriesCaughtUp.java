package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntToLongFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.kafka.AbandonedTransactions;
import org.homecoming.platform.kafka.StableEnd;
import org.homecoming.reunification.inquiries.InquiryFence;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * A REST request about an inquiry waits, at most {@link #WAIT}, until the pairing listener of this instance has read
 * every committed record of the inquiry's partition that was written when the request came in (the transactions open
 * then have ended, and the last stable offset has reached the high watermark of that moment: {@link StableEnd}): an
 * inquiry registered or changed through another instance is then read as written, and never changed or withdrawn from
 * an older revision.
 *
 * <p>Normally the last offset below the last stable offset is the commit marker of the transaction that wrote the last
 * record, which no listener is handed: the view has caught up once it has read the record before it. But when the last
 * transaction there was aborted (its audit entry could not be written, or its writer died and was fenced), no record
 * the listener will ever read comes before the marker, and comparing offsets would wait out every request on that
 * partition until the next committed write, and refuse every write that could make one. So when the listener is short
 * of that mark, a read_committed probe reads what lies between and learns the last committed record actually there.
 * The probe is one consumer that the requests take in turn; a request that cannot have it before its own time is up
 * gives up (not caught up) rather than queue behind another request's read.
 *
 * <p>A view that holds no position for the partition ({@link #UNKNOWN_POSITION}: pairing's books forgot theirs for a
 * rebuild, after a takeover or an aborted batch, or never had one) is not caught up, and is answered so at once: it
 * cannot catch up within the wait, and the probe would read the partition from its start.
 *
 * <p>A caseworker's decision waits the same way on the inquiry's partition of {@code reunification.matches}
 * ({@link #awaitMatchesRead}), where another instance's decision on the same match lands.
 *
 * <p>A transaction still open after a part of the wait ({@link #FIRST_WAIT}) may be an inquiry's write that an instance
 * was killed inside, after its first send and before its commit: its transactional id
 * ({@code reunification-inquiry-<id>}, see {@link InquiryFence}) is shared by every instance and names none, so neither
 * a restart nor a takeover ({@code StateRebuild}, which ends a departed instance's own ids) ends it, and until the
 * broker's transaction timeout (the producers' {@code transaction.timeout.ms}, 60 s) every write of every inquiry on
 * that partition, and every read, was answered 503 on every instance. So the inquiry writes open longer than
 * {@code reunification.pairing.abandoned-after} (5 s) that hold the partition are fenced
 * ({@link AbandonedTransactions#fenceHolding}; never pairing's, delivery's or a Kafka Streams transaction), and the
 * wait goes on for the rest of its time. One such fence per partition at a time serves every request waiting there; the
 * others wait on the end meanwhile, and none outwaits its own deadline. Safe: an inquiry's write commits in
 * milliseconds, and the next write of the same inquiry would fence that id anyway; one that stalled that long on a live
 * instance (a broker failover, a long GC pause) loses its commit, and its caller is answered 409 with nothing written
 * ({@link InquiryFence}). A transaction younger than that is left to end on its own: the answer is still 503.
 */
@Component
class InquiriesCaughtUp implements InquiryReads, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InquiriesCaughtUp.class);
    static final Duration WAIT = Duration.ofSeconds(3);
    /** What a view reports for a partition it holds no position for (offsets are never negative). */
    static final long UNKNOWN_POSITION = -1L;
    /**
     * The part of {@link #WAIT} after which a transaction still open on the partition is looked at as possibly left open
     * by a killed instance: the rest is left for the fence and a second wait.
     */
    static final Duration FIRST_WAIT = WAIT.dividedBy(2);
    /** reunification.yml's {@code reunification.pairing.abandoned-after}, for the views tests make. */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(5);

    private final Admin admin;
    private final Map<String, Object> probeConfig;
    private final IntToLongFunction readTo;
    /** Taken with a bound, not a monitor: a request must not outwait its own deadline behind another one's read. */
    final ReentrantLock probeTurn = new ReentrantLock();
    /** Guarded by {@link #probeTurn}. */
    private KafkaConsumer<byte[], byte[]> probe;
    /** Ends an inquiry's write left open on a partition by an instance killed inside it (see the class description). */
    private final AbandonedTransactions abandonedWrites;
    /** The partitions a request is fencing left-open writes on now: the others waiting there do not ask again. */
    private final Set<TopicPartition> fencing = ConcurrentHashMap.newKeySet();

    @Autowired
    InquiriesCaughtUp(KafkaProperties kafka, PairingListener listener,
                      @Value("${reunification.pairing.abandoned-after:5s}") Duration abandonedAfter) {
        this(kafka.buildAdminProperties(), kafka.buildConsumerProperties(), listener::inquiriesReadTo, abandonedAfter);
    }

    InquiriesCaughtUp(Map<String, Object> adminConfig, Map<String, Object> consumerConfig, IntToLongFunction readTo) {
        this(adminConfig, consumerConfig, readTo, ABANDONED_AFTER);
    }

    /**
     * {@code readTo}: per partition of the inquiries topic, the offset after the last record the view took in, or
     * {@link #UNKNOWN_POSITION}; {@code abandonedAfter}: how long an inquiry's write may be open before it counts as
     * left open by a killed instance.
     */
    InquiriesCaughtUp(Map<String, Object> adminConfig, Map<String, Object> consumerConfig, IntToLongFunction readTo,
                      Duration abandonedAfter) {
        this.admin = Admin.create(new HashMap<>(adminConfig));
        this.abandonedWrites = new AbandonedTransactions(adminConfig, abandonedAfter, InquiryFence::isInquiryFence);
        this.probeConfig = new HashMap<>(consumerConfig);
        this.probeConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.probeConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.probeConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.probeConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "inquiries-caught-up");
        this.readTo = readTo;
    }

    @Override
    public boolean awaitCaughtUp(String inquiryId) {
        return awaitRead(Topics.INQUIRIES.name(), InquiryPartitions.of(inquiryId), readTo);
    }

    /**
     * As {@link #awaitCaughtUp}, on the inquiry's partition of the matches topic, read as far as {@code matchesReadTo}
     * says (per partition, the offset after the last record this instance's books took in, or {@link #UNKNOWN_POSITION}).
     */
    boolean awaitMatchesRead(String inquiryId, IntToLongFunction matchesReadTo) {
        return awaitRead(Topics.MATCHES.name(), InquiryPartitions.of(inquiryId), matchesReadTo);
    }

    private boolean awaitRead(String topic, int partition, IntToLongFunction view) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        long deadline = System.nanoTime() + WAIT.toNanos();
        if (view.applyAsLong(partition) == UNKNOWN_POSITION) {
            return false; // cannot catch up in the wait, and the probe would read the partition from its start
        }
        try {
            // Every record written before now, committed or not, lies below the high watermark. A transaction still
            // open there (another inquiry's write on this partition) holds the last stable offset below a commit made
            // after it began, such as a withdrawal another instance committed a moment ago: reading to that last stable
            // offset would miss the withdrawal, and a write decided on it would land after the tombstone. So the last
            // stable offset must first reach the high watermark as it is now.
            Optional<Map<TopicPartition, Long>> stable = StableEnd.awaitEnds(admin, List.of(topicPartition), FIRST_WAIT);
            if (stable.isEmpty()) {
                // an inquiry's write a killed instance left open ends only here (see the class description); the
                // coordinator aborts a fenced transaction at once, its markers are written in milliseconds
                endWritesLeftOpen(topicPartition, deadline);
                stable = StableEnd.awaitEnds(admin, List.of(topicPartition), remaining(deadline));
            }
            if (stable.isEmpty()) {
                return false;
            }
            long end = stable.get().get(topicPartition);
            long from = view.applyAsLong(partition);
            if (from == UNKNOWN_POSITION) {
                return false; // forgotten meanwhile (a rebuild began)
            }
            if (from >= end - 1) {
                return true;
            }
            long lastCommitted = lastCommittedRecord(topicPartition, from, end, deadline);
            long read = view.applyAsLong(partition);
            while (read != UNKNOWN_POSITION && read <= lastCommitted && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
                read = view.applyAsLong(partition);
            }
            return read != UNKNOWN_POSITION && read > lastCommitted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            // bounded: a read answers from the view as it is, a write is refused
            log.debug("Could not learn how far {} goes: {}", topicPartition, e.toString());
            return false;
        }
    }

    /**
     * Fences the inquiries' writes open on {@code partition} longer than the abandoned threshold, unless another request
     * is doing so now (its fence serves this one too: both wait for the same end), within this request's time.
     */
    private void endWritesLeftOpen(TopicPartition partition, long deadline) {
        if (!fencing.add(partition)) {
            return;
        }
        try {
            abandonedWrites.fenceHolding(List.of(partition), remaining(deadline));
        } finally {
            fencing.remove(partition);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
    }

    /**
     * The offset of the last committed record in [{@code from}, {@code end}), or {@code from - 1} if there is none
     * (only aborted records and transaction markers); {@code end} if it could not be read in time, the probe's turn
     * included.
     */
    private long lastCommittedRecord(TopicPartition partition, long from, long end, long deadline) throws InterruptedException {
        if (!probeTurn.tryLock(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS)) {
            return end;
        }
        try {
            KafkaConsumer<byte[], byte[]> reader = probe();
            reader.assign(List.of(partition));
            reader.seek(partition, from);
            long last = from - 1;
            while (reader.position(partition) < end) {
                if (System.nanoTime() >= deadline) {
                    return end;
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                    if (record.offset() < end) {
                        last = Math.max(last, record.offset());
                    }
                }
            }
            return last;
        } catch (RuntimeException e) {
            closeProbe();
            throw e;
        } finally {
            probeTurn.unlock();
        }
    }

    /** Whether a request has ever needed the probe (it is opened on first need): for tests of when it is not. */
    boolean probeOpened() {
        return probe != null;
    }

    private KafkaConsumer<byte[], byte[]> probe() {
        if (probe == null) {
            probe = new KafkaConsumer<>(probeConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return probe;
    }

    private void closeProbe() {
        if (probe != null) {
            probe.close(Duration.ofSeconds(1));
            probe = null;
        }
    }

    @Override
    public void destroy() {
        probeTurn.lock();
        try {
            closeProbe();
        } finally {
            probeTurn.unlock();
        }
        admin.close(Duration.ofSeconds(5));
        abandonedWrites.close();
    }
}

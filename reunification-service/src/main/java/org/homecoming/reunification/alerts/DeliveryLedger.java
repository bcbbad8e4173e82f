package org.homecoming.reunification.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.platform.kafka.AbandonedTransactions;
import org.homecoming.platform.kafka.StableEnd;
import org.homecoming.platform.kafka.TopicReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Every delivery attempt, recorded on {@code reunification.alert-deliveries}: SENDING before a message leaves, its
 * outcome after. Rebuilt from that topic at start-up and at each assignment of alerts partitions, it knows which
 * alerts were DELIVERED (never sent again) and which are held for an operator because their outcome is UNKNOWN (the
 * service stopped between SENDING and the outcome).
 */
@Component
public class DeliveryLedger {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);
    static final String INTERRUPTED = "the service stopped between sending and recording the outcome: held for an operator";

    private final KafkaTemplate<String, Object> kafka;
    private final KafkaProperties properties;
    private final Clock clock;
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    /** Each alert's latest attempt, stamped with when it was kept here (see {@link #rebuild}). */
    private final Map<String, Kept> latest = new ConcurrentHashMap<>();
    /** The stamp of the last attempt kept from a delivery or a settlement, not from a rebuild. */
    private final AtomicLong kept = new AtomicLong();
    /** When the last complete read of the topic began ({@link System#nanoTime()}); guarded by this. */
    private long lastReadBegan = System.nanoTime() - Long.MAX_VALUE / 2;
    /** The alerts that bring the same news (a person, a milestone), whichever inquiry each came through: see {@link #sameNews}. */
    private final Map<String, Set<String>> alertsByNews = new ConcurrentHashMap<>();
    /** Outcomes known here whose record did not reach the topic (the broker was away): written first on the next try. */
    private final Map<String, AlertDeliveryAttempted> unrecorded = new ConcurrentHashMap<>();
    /**
     * The offset of each alert's claim, as read from the topic: its SENDING that began the attempts it is at now (one
     * after no record, or after an outcome that ended earlier attempts: FAILED, UNKNOWN, withheld). Which of a family's
     * claims came first ({@link #firstClaim}). An alert's news decides its partition, so a family's alerts compare on
     * one. Before, the offset of the alert's first record ever was compared: an alert resent by an operator after it
     * failed an hour ago came "first" over a claim made before the resend's.
     */
    private final Map<String, Long> claimedAt = new ConcurrentHashMap<>();
    /** Each alert's latest outcome as read from the topic (not as kept from this instance's writes). Guarded by this. */
    private final Map<String, DeliveryOutcome> lastRead = new HashMap<>();
    /** Where the last read of each partition ended: the next read starts there. Guarded by this. */
    private final Map<TopicPartition, Long> readTo = new HashMap<>();
    /** Follows the topic between reads; made at the first, closed with the ledger. Guarded by this. */
    private TopicReplay reader;
    /** Asks the broker how far the topic is written and stable ({@link #awaitStableEnd}); made at the first ask. */
    private Admin admin;
    /**
     * How long an operator's decision waits for the transactions open on the topic to end. A live writer's end in
     * milliseconds; one left open by a killed instance only when the broker times it out (a minute), which an operator
     * is not kept waiting for: answered 503, to try again.
     */
    static final Duration STABLE_WAIT = Duration.ofSeconds(3);

    /** The ledger topic's partitions (its count is the catalogue's: the topic check refuses to start on another). */
    private static final List<TopicPartition> PARTITIONS = java.util.stream.IntStream.range(0, Topics.ALERT_DELIVERIES.partitions())
            .mapToObj(partition -> new TopicPartition(Topics.ALERT_DELIVERIES.name(), partition)).toList();
    /** reunification.yml's {@code reunification.pairing.abandoned-after}, for the ledgers tests make. */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(5);
    /**
     * Ends an operator's settlement left open on the topic by an instance that died inside it (see
     * {@link #awaitStableEnd}). Its admin client is made at the first use.
     */
    private final AbandonedTransactions abandonedSettlements;
    /** {@code reunification.pairing.abandoned-after}: when a settlement left open is fenced, so when to try again. */
    private final Duration abandonedAfter;

    DeliveryLedger(KafkaTemplate<String, Object> kafka, KafkaProperties properties, Clock clock) {
        this(kafka, properties, clock, ABANDONED_AFTER);
    }

    @Autowired
    DeliveryLedger(KafkaTemplate<String, Object> kafka, KafkaProperties properties, Clock clock,
                   @Value("${reunification.pairing.abandoned-after:5s}") Duration abandonedAfter) {
        this.kafka = kafka;
        this.properties = properties;
        this.clock = clock;
        this.abandonedAfter = abandonedAfter;
        this.abandonedSettlements = new AbandonedTransactions(properties.buildAdminProperties(), abandonedAfter,
                HeldAlerts::isSettlementFence);
    }

    public boolean isDelivered(String alertId) {
        return delivered.contains(alertId);
    }

    public Optional<AlertDeliveryAttempted> latest(String alertId) {
        return Optional.ofNullable(latest.get(alertId)).map(Kept::attempt);
    }

    /** Whether the alert's outcome is unknown and no one has settled it yet: it waits for an operator. */
    public boolean isHeld(String alertId) {
        AlertDeliveryAttempted last = latest(alertId).orElse(null);
        return last != null && last.getOutcome() == DeliveryOutcome.UNKNOWN && !delivered.contains(alertId);
    }

    /**
     * Whether every attempt at the alert failed and none delivered it since: a permanent failure (a wrong address) or an
     * outage that outlasted the retries. A hotline operator may resend it once the cause is fixed ({@link HeldAlerts}).
     * Not one whose inquiry was withdrawn or whose contact was erased: nothing may be sent for those, ever.
     */
    public boolean isFailed(String alertId) {
        AlertDeliveryAttempted last = latest(alertId).orElse(null);
        return last != null && last.getOutcome() == DeliveryOutcome.FAILED && !delivered.contains(alertId)
                && !AlertDelivery.withheld(last);
    }

    /**
     * Whether the alert was withheld because its news reached the family's address through another inquiry, or may have
     * ({@link AlertDelivery#ALREADY_TOLD}), and nothing delivered it since. An operator may resend it once that other
     * inquiry's alert failed, or the inquiry was withdrawn before its alert reached them ({@link HeldAlerts#resend}).
     */
    public boolean isWithheldAsAlreadyTold(String alertId) {
        AlertDeliveryAttempted last = latest(alertId).orElse(null);
        return last != null && AlertDelivery.withheld(last) && AlertDelivery.ALREADY_TOLD.equals(last.getFailureReason())
                && !delivered.contains(alertId);
    }

    /**
     * The latest attempts of every alert recorded with this news: the person and milestone of alerts to other inquiries,
     * which may have the same relative behind them (attempts recorded before v3 name neither, and are not found).
     */
    List<AlertDeliveryAttempted> sameNews(String personId, Milestone milestone) {
        Set<String> alertIds = alertsByNews.getOrDefault(news(personId, milestone), Set.of());
        return alertIds.stream().map(this::latest).flatMap(Optional::stream).toList();
    }

    /**
     * The partition of an attempt: chosen by its news (person and milestone), as Kafka would choose it for that key, so
     * that every attempt at the same news, through whichever inquiry, lands on one partition in the order it was
     * written (see {@link #firstClaim}); an alert's own attempts stay on one partition, in order, as before. The key
     * stays the alert id. Attempts that name no news (written before v3) go where their key sends them, as they did.
     */
    static Integer partition(AlertDeliveryAttempted attempt, KafkaOperations<String, Object> operations) {
        if (attempt.getPersonId() == null || attempt.getMilestone() == null) {
            return null;
        }
        byte[] news = news(attempt.getPersonId(), attempt.getMilestone()).getBytes(StandardCharsets.UTF_8);
        // the topic as it is (the producer's metadata), not as the catalogue plans it: every instance sees the same
        return Utils.toPositive(Utils.murmur2(news)) % operations.partitionsFor(Topics.ALERT_DELIVERIES.name()).size();
    }

    /**
     * Of these alerts (one news to one address, so their attempts share a partition: {@link #partition}), the one
     * claimed first (its current attempts began first: {@link #claimedAt}) among those that may have reached the
     * relative or may still (delivered, being sent or between two attempts, or held with an unknown outcome), reading
     * the topic to its end now:
     * after every transaction open on it has ended, so that no claim committed above one left open is missed. Two
     * instances that each claimed the news (SENDING) at the same moment read the same order on that partition, and so
     * name the same alert; one that read before the other's claim was committed finds only its own, and the other,
     * whose claim then lies after it, finds that one first.
     *
     * @throws LedgerInDoubtException when a transaction stays open on the topic: nothing may be sent on a short read;
     *                                the lane releases its claim and reads the alert again after a pause
     */
    Optional<String> firstClaim(Set<String> alertIds) {
        awaitStableEnd();
        // Read and chosen under the lock every read of the topic holds (rebuildFrom): each claim's offset and each
        // alert's latest attempt then come from the same reads. Before, another lane's read could run between the two
        // look-ups (or between two comparisons) and pair one claim's offset with a later claim's outcome.
        synchronized (this) {
            rebuild();
            return alertIds.stream().filter(claimedAt::containsKey)
                    .filter(alertId -> mayHaveReached(alertId) || isClaimed(alertId))
                    .min(Comparator.<String, Long>comparing(claimedAt::get).thenComparing(Comparator.naturalOrder()));
        }
    }

    /**
     * Whether the alert's news may have reached its relative: delivered, or held with an unknown outcome (the message may
     * have left), over whichever channel it went. The one rule for "has the family been told" through their other
     * inquiry ({@code AlertDelivery#toldThrough}) and for which claims still count ({@link #firstClaim}). The family is
     * the one at the same address now, so an attempt through their other inquiry reached them whatever its channel
     * then: an SMS sent before they gave that inquiry an e-mail address went to their phone. Before, a delivered
     * attempt counted on any channel but an unknown one only on the alert's channel now, and the family whose SMS had
     * an unknown outcome was sent the same news by e-mail.
     */
    boolean mayHaveReached(String alertId) {
        return delivered.contains(alertId)
                || latest(alertId).map(attempt -> attempt.getOutcome() == DeliveryOutcome.UNKNOWN).orElse(false);
    }

    /**
     * Whether the alert is claimed for sending now: SENDING, or RETRYING. RETRYING is a live claim too: between two
     * attempts of one delivery (or while it waits for its channel) the claim goes on, and its next SENDING keeps its
     * place (see {@link #claimedAt}); left out, the family's other alert found itself first in that pause and was
     * sent, and then so was this one.
     */
    private boolean isClaimed(String alertId) {
        return latest(alertId).map(attempt -> attempt.getOutcome() == DeliveryOutcome.SENDING
                || attempt.getOutcome() == DeliveryOutcome.RETRYING).orElse(false);
    }

    private void index(AlertDeliveryAttempted attempt) {
        if (attempt.getPersonId() != null && attempt.getMilestone() != null) {
            alertsByNews.computeIfAbsent(news(attempt.getPersonId(), attempt.getMilestone()), key -> ConcurrentHashMap.newKeySet())
                    .add(attempt.getAlertId());
        }
    }

    private static String news(String personId, Milestone milestone) {
        return milestone.name() + " " + personId;
    }

    /** The alerts held for an operator, oldest first. */
    public List<AlertDeliveryAttempted> held() {
        return latest.values().stream().map(Kept::attempt).filter(attempt -> isHeld(attempt.getAlertId()))
                .sorted(Comparator.comparing(AlertDeliveryAttempted::getAttemptedAt)).toList();
    }

    /**
     * Writes the attempt and waits until it is committed: a SENDING record is on the topic before the message leaves,
     * an outcome before the alert's offset is committed. An outcome that cannot be written is kept, and written by
     * {@link #recordUnrecorded} on the alert's next try, so a known outcome never turns into an unknown one.
     */
    void record(AlertDeliveryAttempted attempt) {
        try {
            kafka.executeInTransaction(operations ->
                    operations.send(Topics.ALERT_DELIVERIES.name(), partition(attempt, operations), attempt.getAlertId(), attempt)).join();
        } catch (RuntimeException e) {
            if (attempt.getOutcome() != DeliveryOutcome.SENDING) {
                unrecorded.put(attempt.getAlertId(), attempt);
            }
            throw e;
        }
        unrecorded.remove(attempt.getAlertId());
        remember(attempt);
    }

    /** Keeps an attempt an operator's settlement committed in its own (fenced) transaction ({@link HeldAlerts}). */
    void settled(AlertDeliveryAttempted attempt) {
        unrecorded.remove(attempt.getAlertId());
        remember(attempt);
    }

    /**
     * Writes every outcome still waiting here, before the partitions of their alerts go to another instance (or this
     * one stops): that one reads SENDING as the last record and holds the alert as UNKNOWN, and an operator's resend
     * then told the family a second time what this instance knew had been delivered. It runs in the rebalance, so it
     * stops at the first that still cannot be written (the broker is still away: the others would each wait out the
     * same timeout, and hold the group's rebalance up); those stay waiting. Returns how many were written.
     */
    int recordAllUnrecorded() {
        int written = 0;
        for (AlertDeliveryAttempted waiting : List.copyOf(unrecorded.values())) {
            try {
                record(waiting);
                written++;
            } catch (RuntimeException e) {
                log.warn("{} outcomes still cannot be written; the next owner of their alerts holds them for an operator: {}",
                        unrecorded.size(), e.getClass().getSimpleName());
                break;
            }
        }
        return written;
    }

    /** @return whether an outcome of this alert was waiting to be written (it is written now) */
    boolean recordUnrecorded(String alertId) {
        AlertDeliveryAttempted waiting = unrecorded.get(alertId);
        if (waiting == null) {
            return false;
        }
        record(waiting);
        return true;
    }

    /**
     * Marks an attempt whose last record is SENDING as UNKNOWN: the message may or may not have left. Never resent
     * automatically; see {@link AlertDelivery} for why.
     */
    AlertDeliveryAttempted holdForOperator(AlertDeliveryAttempted sending) {
        AlertDeliveryAttempted unknown = AlertDeliveryAttempted.newBuilder(sending)
                .setOutcome(DeliveryOutcome.UNKNOWN)
                .setFailureReason(INTERRUPTED)
                .setAttemptedAt(clock.instant())
                .setDecidedBy(null)
                .build();
        record(unknown);
        return unknown;
    }

    /** Keeps an attempt this instance just wrote to the topic (or an operator's settlement committed there). */
    private void remember(AlertDeliveryAttempted attempt) {
        latest.put(attempt.getAlertId(), new Kept(attempt, kept.incrementAndGet()));
        index(attempt);
        if (attempt.getOutcome() == DeliveryOutcome.DELIVERED) {
            delivered.add(attempt.getAlertId());
        }
    }

    /** An attempt as kept here, and the stamp it was kept with (0: read by a rebuild). */
    private record Kept(AlertDeliveryAttempted attempt, long stamp) {
    }

    /** Reads a topic to its end as it was when the read began, passing each record on; returns how many it read. */
    @FunctionalInterface
    interface Replay {
        long toEnd(java.util.function.Consumer<ConsumerRecord<String, AlertDeliveryAttempted>> onRecord);
    }

    /**
     * Reads every attempt committed since the last read (the first read: from the beginning): what this and every other
     * instance recorded. Called at start, whenever this instance is given alert partitions (the instance that had them
     * may have recorded attempts since), and before an operator's request, so every instance answers alike. Only the
     * first read goes through the whole topic, which is kept forever; before, each of these read it all again, under
     * this ledger's lock, so an operator's every look at the held alerts cost a read of every attempt ever made.
     *
     * <p>It holds nothing itself. An alert whose last record is SENDING is held by the delivery listener when it reads
     * the alert again: its sender stopped before the alert's offset was committed, so the alert always comes back to
     * whoever has its partition now. Holding here, at start, would also hold an alert that another, live instance is
     * sending at this moment.
     */
    public void rebuild() {
        rebuildFrom(this::replayDeliveries);
    }

    /**
     * Reads the ledger for partitions given to this instance at {@code assignedAt} ({@link System#nanoTime()}), unless a
     * read began since: that one reached everything committed before the moment, which holds what the partitions' former
     * owner recorded. Each delivery lane runs a consumer per partition, and a rebalance hands partitions to all of them at
     * once: one read serves them all, instead of a full read each, one after another, while the alerts wait.
     */
    public void rebuildUnlessReadSince(long assignedAt) {
        rebuildUnlessReadSince(assignedAt, this::replayDeliveries);
    }

    /** Reads what was committed since the last read; called under this ledger's lock (by {@link #rebuildFrom}). */
    private long replayDeliveries(java.util.function.Consumer<ConsumerRecord<String, AlertDeliveryAttempted>> onRecord) {
        if (reader == null) {
            reader = new TopicReplay(properties);
        }
        long[] count = new long[1];
        try {
            readTo.putAll(reader.toEndFrom(Topics.ALERT_DELIVERIES, readTo, record -> {
                count[0]++;
                onRecord.accept(record);
            }));
        } catch (RuntimeException e) {
            // a consumer that failed mid-read (a broker away) is not trusted with the next: a new one starts where this ended
            reader.close();
            reader = null;
            throw e;
        }
        return count[0];
    }

    /**
     * Waits until every transaction open on the topic now has ended, so that the next {@link #rebuild} reads every
     * attempt written before this call. A read stops at the last stable offset, below the first open transaction: a
     * claim another instance committed after that transaction began lies above it, and a decision taken on that read
     * would not see it (see {@link StableEnd}). Called after an operator's decision took its transactional id, and by a
     * delivery that must know which of a family's claims came first ({@link #firstClaim}).
     *
     * <p>A transaction still open after the wait may be an operator's settlement that an instance was killed inside:
     * its transactional id ({@code reunification-held-person-...}) is shared by every instance and names none, so
     * neither a restarted instance nor a takeover ({@code StateRebuild}, which ends a departed instance's own ids) ends
     * it, and until the broker's transaction timeout every settlement answered 503 and every delivery to a family of two
     * waited. So a settlement open longer than {@code reunification.pairing.abandoned-after} (5 s) on this topic's
     * partitions, held by whichever instance, is fenced here ({@link AbandonedTransactions#fenceHolding}: only what
     * holds {@code reunification.alert-deliveries}, never another topic's transactions), and the wait is made once
     * more. A settlement commits in milliseconds while the brokers are well, and the next settlement of the same person
     * would fence that id anyway; one that stalled that long on a live instance (a write blocked on a partition without
     * a leader during a broker's failover, a long GC pause) loses its commit, and its operator is answered 503 with
     * nothing recorded, the alert still held, to try again ({@link HeldAlerts}). A wait that finds another's fence in
     * flight takes its answer instead of queueing behind it. A transaction younger than that is left to end on its
     * own: the answer is still 503, to try again.
     *
     * @throws LedgerInDoubtException when a transaction stays open longer than {@link #STABLE_WAIT} and is not a
     *                                settlement left open that long: nothing may be decided on this read, the
     *                                operator tries again
     */
    void awaitStableEnd() {
        boolean stable;
        try {
            stable = StableEnd.await(admin(), Topics.ALERT_DELIVERIES.name(), STABLE_WAIT);
            if (!stable && !abandonedSettlements.fenceHolding(PARTITIONS, STABLE_WAIT).isEmpty()) {
                // the coordinator aborts a fenced transaction at once: its markers are written in milliseconds
                stable = StableEnd.await(admin(), Topics.ALERT_DELIVERIES.name(), STABLE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stable = false;
        }
        if (!stable) {
            throw new LedgerInDoubtException(abandonedAfter);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(properties.buildAdminProperties());
        }
        return admin;
    }

    /**
     * A transaction on {@code reunification.alert-deliveries} stayed open while an operator's resend or mark was being
     * decided (an instance killed mid-write, a broker that died): the ledger cannot be read to its end, so the alert's
     * state is in doubt and nothing is decided. The operator tries again: an operator's settlement left open is ended by
     * the next wait once it is older than {@code reunification.pairing.abandoned-after} ({@link #awaitStableEnd}), a
     * dead instance's own write at the takeover of its partitions, and anything else by the broker within its
     * transaction timeout. {@link #retryAfterSeconds} is when a retry can first succeed: see {@code HeldAlertsController}.
     */
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE)
    public static class LedgerInDoubtException extends RuntimeException {
        private final long retryAfterSeconds;

        /** As a ledger with the default {@code abandoned-after} ({@link #ABANDONED_AFTER}) throws it. */
        LedgerInDoubtException() {
            this(ABANDONED_AFTER);
        }

        LedgerInDoubtException(Duration abandonedAfter) {
            this(Math.max(1, (abandonedAfter.toMillis() + 999) / 1000));
        }

        private LedgerInDoubtException(long retryAfterSeconds) {
            super("The delivery ledger cannot be read to its end now (a write to it is still open, perhaps left by an "
                    + "instance that stopped): nothing was decided, recorded or sent; try again in " + retryAfterSeconds
                    + " seconds or later (a delivery's write left by a stopped instance ends only when another instance "
                    + "takes its work over, some 15 s, or at the broker's transaction timeout)");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /**
         * {@code reunification.pairing.abandoned-after} in whole seconds, rounded up: a settlement open now is old enough
         * to be fenced by a retry made then.
         */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        abandonedSettlements.close();
    }

    synchronized void rebuildUnlessReadSince(long assignedAt, Replay replay) {
        if (lastReadBegan - assignedAt >= 0) {
            return;
        }
        rebuildFrom(replay);
    }

    /**
     * The topic is the whole truth as of the moment the replay began: every attempt kept here before then was on it
     * (an attempt is kept only once the topic has it). An attempt kept while the replay ran (a delivery lane, another
     * lane's rebalance, an operator) may be newer than anything the replay reaches, so the replay never puts back an
     * older one over it; before, the held or delivered state of such an alert went back to SENDING until the next
     * rebuild, and an operator could have been shown the wrong state.
     */
    synchronized void rebuildFrom(Replay replay) {
        long began = kept.get();
        long readBegan = System.nanoTime();
        Map<String, AlertDeliveryAttempted> read = new HashMap<>();
        Map<String, DeliveryOutcome> outcomes = new HashMap<>();
        Map<String, Long> claims = new HashMap<>();
        long count = replay.toEnd(record -> {
            AlertDeliveryAttempted attempt = record.value();
            if (attempt != null) {
                read.put(attempt.getAlertId(), attempt);
                DeliveryOutcome before = outcomes.containsKey(attempt.getAlertId())
                        ? outcomes.get(attempt.getAlertId()) : lastRead.get(attempt.getAlertId());
                outcomes.put(attempt.getAlertId(), attempt.getOutcome());
                // a retry's SENDING goes on with the claim its attempts began with; any other SENDING is a new claim
                boolean newClaim = attempt.getOutcome() == DeliveryOutcome.SENDING
                        && before != DeliveryOutcome.SENDING && before != DeliveryOutcome.RETRYING;
                if (newClaim && attempt.getPersonId() != null && attempt.getMilestone() != null) {
                    claims.put(attempt.getAlertId(), record.offset());
                }
            }
        });
        lastRead.putAll(outcomes);
        claimedAt.putAll(claims);
        read.values().forEach(attempt -> {
            latest.compute(attempt.getAlertId(), (alertId, now) -> now != null && now.stamp() > began ? now : new Kept(attempt, 0));
            index(attempt);
            if (attempt.getOutcome() == DeliveryOutcome.DELIVERED) {
                delivered.add(attempt.getAlertId());
            }
        });
        lastReadBegan = readBegan;
        log.debug("Delivery ledger read: {} attempts, {} alerts delivered, {} held for an operator",
                count, delivered.size(), held().size());
    }
}

package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.kafka.AbandonedTransactions;
import org.homecoming.platform.kafka.TopicReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the pairing state from the topics: when the pairing group assigns this instance its partitions, after a
 * transaction that did not commit, and in tests.
 *
 * <p>An instance owns the inquiries of the {@code reunification.matches} partitions the group gave it (see
 * {@link InquiryOwnership}); the person facts and the inquiry records are shared by every instance. So:
 * <ul>
 *   <li>roster and transport topics and {@code reunification.inquiries} are replayed from the beginning to their end as
 *       it is now (read_committed), as facts only (no matching, no alerts); the listener goes on from those ends. The
 *       owned inquiries go into the matching index, every inquiry into the book (REST and delivery read it);</li>
 *   <li>every matcher decision and alert of the owned partitions is replayed to the end, and caseworkers' decisions up
 *       to the group's committed offsets (later ones are acted on, alerts released, when the listener reads them);</li>
 *   <li>whatever the facts call for that no earlier owner wrote (it died, or it had not read that far) is then decided
 *       and issued by {@link Pairing#reconcile}: decisions and alerts are a function of the facts, the owned inquiries
 *       and the caseworkers' decisions, and the books restored here hold what was already written;</li>
 *   <li>records that still make no sense (an arrival of a person nobody listed, a decision about a match never
 *       proposed) are held again, unless they were dead-lettered already. A caseworker's decision about an unknown
 *       match is never restored: a forged decision must not become a pair.</li>
 * </ul>
 * Before it reads, it waits until no transaction is open on the owned partitions of the matches and alerts topics: an
 * earlier owner's last transaction, committed or aborted, must be in or out of what is read, never half-way. One that
 * an earlier owner left open when it died is ended then, not waited out: see {@link #awaitNoOpenTransaction}.
 */
@Component
public class StateRebuild implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateRebuild.class);
    /** Unreadable records were dead-lettered when the pairing listener first read them. */
    private static final BiConsumer<ConsumerRecord<?, ?>, DeserializationException> SKIP = (record, poison) -> {
    };
    /**
     * The first look-up of a group's offsets on a new cluster waits for the offsets topic to be created; on a loaded
     * 2-core machine that took more than 30 s. Bounded all the same: a broker that does not answer fails the start-up.
     */
    private static final Duration OFFSETS_TIMEOUT = Duration.ofMinutes(2);
    /**
     * A transaction still open on the owned partitions is fenced once it is older than {@code abandoned-after} (see
     * {@link #awaitNoOpenTransaction}); if that cannot be done (the admin client fails), the broker still aborts it
     * within the producers' transaction timeout (60 s) and its check interval (10 s): this bound is the backstop.
     */
    private static final Duration OPEN_TRANSACTIONS_TIMEOUT = Duration.ofSeconds(90);
    /** How often, while an owned partition stays held, the transactions holding it are looked at again. */
    private static final Duration FENCE_INTERVAL = Duration.ofSeconds(1);
    static final List<Topic<?, ?>> FACTS = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS);
    /** The topics every instance reads whole: the facts and the inquiries. */
    static final List<Topic<?, ?>> SHARED = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS, Topics.INQUIRIES);

    /** The transactional id prefix of an instance: the service's name and a random UUID (reunification.yml). */
    private static final Pattern INSTANCE = Pattern.compile("reunification-\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}-");
    private static final String PAIRING_CLIENT = "pairing";

    private final KafkaProperties kafka;
    /** This instance's transactional id prefix. */
    private final String instance;
    private final Pairing pairing;
    private final HeldRecords held;
    private final AbandonedTransactions abandoned;
    private volatile Set<Integer> owned = Set.of();
    private volatile Map<TopicPartition, Long> replayedTo = Map.of();
    /**
     * While a rebuild runs, pairing's books are emptied and refilled: they hold part of what they will, under the
     * partitions owned before. Whoever answers from them (a caseworker's decision, delivery's "does the match stand")
     * must not take a match missing a caseworker's decision for the match as it is.
     */
    private volatile boolean rebuilding;

    StateRebuild(KafkaProperties kafka, Pairing pairing, HeldRecords held,
                 @Value("${reunification.pairing.abandoned-after:5s}") Duration abandonedAfter) {
        this.kafka = kafka;
        this.instance = kafka.getProducer().getTransactionIdPrefix();
        this.pairing = pairing;
        this.held = held;
        // every producer of the service has a transactional id under this prefix (the listener's, REST's, held alerts')
        this.abandoned = new AbandonedTransactions(kafka.buildAdminProperties(), abandonedAfter,
                id -> id.startsWith("reunification-"));
    }

    /** The inquiry partitions this instance owns, as of its last rebuild. */
    public Set<Integer> owned() {
        return owned;
    }

    /** Whether pairing's books are being rebuilt now, and so hold only part of what they will. */
    public boolean rebuilding() {
        return rebuilding;
    }

    /** How far the shared topics were replayed into the state: the listener goes on from there. */
    Map<TopicPartition, Long> replayedTo() {
        return replayedTo;
    }

    /** Rebuilds for the partitions owned now, up to the pairing group's committed offsets (tests; a restart). */
    public void run() {
        try (Admin admin = Admin.create(new HashMap<>(kafka.buildAdminProperties()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(PairingListener.GROUP)
                    .partitionsToOffsetAndMetadata().get(OFFSETS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<TopicPartition, Long> decisionsTo = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (offset != null && partition.topic().equals(Topics.MATCHES.name())) {
                    decisionsTo.put(partition, offset.offset());
                }
            });
            run(owned, decisionsTo);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rebuilding the pairing state", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot rebuild the pairing state", e);
        }
    }

    /**
     * Rebuilds the state for the inquiry partitions {@code owned}, with caseworkers' decisions up to
     * {@code decisionsTo} (the committed offsets of the owned matches partitions). Returns how far the shared topics
     * were read.
     */
    public Map<TopicPartition, Long> run(Set<Integer> owned, Map<TopicPartition, Long> decisionsTo) {
        long started = System.nanoTime();
        rebuilding = true;
        try {
            return rebuild(owned, decisionsTo, started);
        } finally {
            rebuilding = false;
        }
    }

    private Map<TopicPartition, Long> rebuild(Set<Integer> owned, Map<TopicPartition, Long> decisionsTo, long started) {
        pairing.reset();
        held.clear();
        try (TopicReplay replay = new TopicReplay(kafka); Admin admin = Admin.create(new HashMap<>(kafka.buildAdminProperties()))) {
            awaitNoOpenTransaction(admin, owned);
            Map<TopicPartition, Long> ends = ends(admin, SHARED);
            ToLongFunction<TopicPartition> toEnds = partition -> ends.getOrDefault(partition, 0L);
            ToLongFunction<TopicPartition> upToCommitted = partition -> decisionsTo.getOrDefault(partition, 0L);
            List<ConsumerRecord<?, ?>> unresolved = new ArrayList<>();
            long facts = 0;
            for (Topic<?, ?> topic : FACTS) {
                facts += replay.replay(topic, toEnds, record -> {
                    if (pairing.unresolved(record.value()) != null) {
                        unresolved.add(record);
                    } else {
                        pairing.restoreFact(record.value());
                    }
                }, SKIP);
            }
            long inquiries = replay.replay(Topics.INQUIRIES, toEnds, record -> pairing.restoreInquiry(
                    record.key(), record.value(), owned.contains(record.partition())), SKIP);
            long decisions = replay.replay(Topics.MATCHES, TopicReplay.TO_END, record -> {
                MatchDecided decision = record.value();
                if (decision == null || !owned.contains(record.partition())) {
                    return;
                }
                if (MatchBook.MATCHER.equals(decision.getDecidedBy())) {
                    pairing.restoreDecision(decision);
                } else if (record.offset() < upToCommitted.applyAsLong(partitionOf(record))) {
                    if (pairing.unresolved(decision) != null) {
                        unresolved.add(record);
                    } else {
                        pairing.restoreDecision(decision);
                    }
                }
            }, SKIP);
            long alerts = replay.replay(Topics.ALERTS, TopicReplay.TO_END, record -> {
                if (record.value() != null && owned.contains(record.partition())) {
                    pairing.restoreAlert(record.value());
                }
            }, SKIP);
            int holding = holdAgain(unresolved);
            pairing.rebuilt();
            this.owned = Set.copyOf(owned);
            this.replayedTo = Map.copyOf(ends);
            log.info("Pairing state rebuilt in {} ms for inquiry partitions {}: {} facts, {} inquiry records, {} decisions, "
                    + "{} alerts, {} records held", Duration.ofNanos(System.nanoTime() - started).toMillis(), owned, facts,
                    inquiries, decisions, alerts, holding);
            return this.replayedTo;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rebuilding the pairing state", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot rebuild the pairing state", e);
        }
    }

    /** The last stable offsets of the topics' partitions: what a read_committed consumer reads to. */
    private static Map<TopicPartition, Long> ends(Admin admin, List<Topic<?, ?>> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (Topic<?, ?> topic : topics) {
            for (int partition = 0; partition < partitionCount(admin, topic); partition++) {
                latest.put(new TopicPartition(topic.name(), partition), OffsetSpec.latest());
            }
        }
        return offsets(admin, latest, IsolationLevel.READ_COMMITTED);
    }

    private static int partitionCount(Admin admin, Topic<?, ?> topic) throws Exception {
        return admin.describeTopics(List.of(topic.name())).allTopicNames().get(OFFSETS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .get(topic.name()).partitions().size();
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> specs, IsolationLevel isolation)
            throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(specs, new ListOffsetsOptions(isolation)).all().get(OFFSETS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * Waits until no transaction is open on the owned partitions of the matches and alerts topics, ending one a dead
     * owner left (see below). The listener calls it before it reads the group's committed offsets as well: the consumer
     * asks for stable offsets, so an open transaction that committed offsets of these partitions holds that read back.
     */
    void awaitNoOpenTransaction(Set<Integer> owned) {
        try (Admin admin = Admin.create(new HashMap<>(kafka.buildAdminProperties()))) {
            awaitNoOpenTransaction(admin, owned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the owned partitions' transactions", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot wait for the owned partitions' transactions", e);
        }
    }

    /**
     * Waits until the last stable offset of every owned matches and alerts partition is its high watermark: no
     * transaction is open there. A transaction open there longer than {@code reunification.pairing.abandoned-after}
     * (5 s) is fenced ({@link AbandonedTransactions#fenceHolding}): the coordinator aborts it at once, instead of at
     * the producers' transaction timeout (60 s, plus up to the broker's 10 s check interval), which every read_committed
     * reader of these partitions waited out before, alert delivery among them: a relative's alert that the dead
     * instance had written came up to 70 s late, and every later one of its inquiries with it.
     *
     * <p>Why fencing cannot end a live transaction's work: these partitions have one writer at a time. Only pairing
     * writes decisions and alerts, each to its inquiry's partition, which only the instance the group gave it writes
     * (a batch, or a takeover's reconciliation); caseworkers' decisions are the one other write, a record and its audit
     * entry, over in milliseconds. The group gave the partitions to this instance, and it reaches here (at a takeover,
     * or at the start of a batch after a rollback) before it writes anything to them. An earlier owner's transaction
     * still open here is a dead or expelled member's: with the group's eager protocol a live member finishes its batch
     * or its takeover before it rejoins, so the group cannot complete a rebalance that moves its partitions while it is
     * in one, unless it stayed there past {@code max.poll.interval.ms} and was expelled, and then its commit fails
     * anyway (its offsets carry a stale generation). So no transaction that would commit is
     * fenced, whatever its length. That is why this, and not a lower {@code transaction.timeout.ms} (10-15 s, the other
     * way to bound the wait): a takeover's reconciliation writes up to 523,683 decisions at 1,000,000 inquiries in one
     * transaction (benchmarks/README.md; the sending alone was not timed), and a timeout it outlasts on a loaded machine
     * would abort it, and its retry, at every attempt. The threshold only spares a caseworker's decision in flight; one that stalls 5 s (a long GC pause)
     * loses its commit, and the caseworker is answered with an error, never a false success. Fencing is limited to
     * transactions that wrote to these partitions, so another instance's long reconciliation elsewhere is untouched.
     *
     * <p>Bounded all the same: if fencing fails, the broker aborts a transaction that outlives its timeout.
     */
    private void awaitNoOpenTransaction(Admin admin, Set<Integer> owned) throws Exception {
        if (owned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (Topic<?, ?> topic : List.of(Topics.MATCHES, Topics.ALERTS)) {
            owned.forEach(partition -> latest.put(new TopicPartition(topic.name(), partition), OffsetSpec.latest()));
        }
        long deadline = System.nanoTime() + OPEN_TRANSACTIONS_TIMEOUT.toNanos();
        long nextFence = System.nanoTime();
        while (!offsets(admin, latest, IsolationLevel.READ_COMMITTED).equals(offsets(admin, latest, IsolationLevel.READ_UNCOMMITTED))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("A transaction stayed open on the owned partitions for " + OPEN_TRANSACTIONS_TIMEOUT);
            }
            if (System.nanoTime() >= nextFence) {
                abandoned.fenceHolding(latest.keySet());
                nextFence = System.nanoTime() + FENCE_INTERVAL.toNanos();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * Fences the transactions that an instance no longer in the pairing group left open. One that committed consumed
     * offsets may have written nothing the wait on the owned partitions sees (a batch that decided nothing commits only
     * its offsets), but the group's offsets it committed stay pending until it ends, and a read_committed consumer asks
     * for stable offsets: the look-up of where to start on the assigned partitions waited for the broker's transaction
     * timeout (51 s in a fault-injection run, an instance killed between its offsets and its commit). Only a departed
     * instance's: a live member may be in a long reconciliation. An instance's transactional ids start with its own
     * random prefix, and its pairing consumer's client id with the same one ({@link #pairingClientIdPrefix()}), so the
     * group's members say which instances are alive; a transaction younger than {@code abandoned-after} is left alone
     * all the same. Fencing never publishes anything: a departed instance that is in fact alive (expelled from the
     * group after {@code max.poll.interval.ms}) loses the commit it could not make anyway, or a caseworker's decision
     * in flight (answered with an error).
     */
    public void endTransactionsOfDepartedInstances() {
        try (Admin admin = Admin.create(new HashMap<>(kafka.buildAdminProperties()))) {
            endTransactionsOfDepartedInstances(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ending a departed instance's transactions", e);
        } catch (Exception e) {
            // the consumer's look-up then waits for the broker's transaction timeout, as it did before
            log.warn("Could not look for transactions a departed instance left open: {}", e.toString());
        }
    }

    private void endTransactionsOfDepartedInstances(Admin admin) throws Exception {
        Set<String> alive = new HashSet<>();
        try {
            admin.describeConsumerGroups(List.of(PairingListener.GROUP)).describedGroups().get(PairingListener.GROUP)
                    .get(OFFSETS_TIMEOUT.toSeconds(), TimeUnit.SECONDS).members()
                    .forEach(member -> instanceOfClient(member.clientId()).ifPresent(alive::add));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
            // a new deployment: no instance has joined yet
        }
        // whatever partitions it lists: in the local stack's fault-injection run (Kafka 4.1) the transaction that held the
        // offsets was not fenced when this also asked for a __consumer_offsets partition among them
        abandoned.fenceWhere(id -> departed(id, alive));
    }

    /** The consumer client id of this instance's pairing listener: its transactional id prefix and "pairing". */
    String pairingClientIdPrefix() {
        return instance + PAIRING_CLIENT;
    }

    /** The instance a pairing consumer's client id names (its transactional id prefix), if it names one. */
    static Optional<String> instanceOfClient(String clientId) {
        int pairing = clientId.lastIndexOf(PAIRING_CLIENT);
        return pairing > 0 && INSTANCE.matcher(clientId.substring(0, pairing)).matches()
                ? Optional.of(clientId.substring(0, pairing)) : Optional.empty();
    }

    /** Whether a transactional id is an instance's own (not a held alert's, shared by all) and that instance is gone. */
    static boolean departed(String transactionalId, Set<String> alive) {
        int end = transactionalId.lastIndexOf('-');
        return end > 0 && INSTANCE.matcher(transactionalId.substring(0, end + 1)).matches()
                && alive.stream().noneMatch(transactionalId::startsWith);
    }

    @Override
    public void close() {
        abandoned.close();
    }

    /**
     * The records that made no sense when they were replayed. Those that make sense now were processed when their
     * explanation was read (its reaction is on the topics); they are restored like any fact, unless they were
     * dead-lettered and not watched (a decision about a match never proposed stays out for good). Those that still make
     * no sense were held when the service stopped: they are held again with a fresh window, or watched again if they
     * went to their dead-letter topic already. Held records are kept nowhere else, so this is how a crash loses none.
     */
    private int holdAgain(List<ConsumerRecord<?, ?>> unresolved) {
        for (ConsumerRecord<?, ?> record : unresolved) {
            String reason = pairing.unresolved(record.value());
            if (reason != null) {
                held.holdAgain(record, reason);
            } else if (!held.wasDeadLettered(record) || held.watchesAfterDeadLetter(record)) {
                pairing.restoreResolved(record.value());
            }
        }
        return held.size();
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}

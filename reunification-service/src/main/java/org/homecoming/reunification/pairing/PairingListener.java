package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.kafka.Poison;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.registry.RegistryOutage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.stereotype.Component;

/**
 * Read-process-write, exactly once: each batch of roster, transport, inquiry and decision records is processed in one
 * Kafka transaction (Boot's KafkaTransactionManager, read_committed) that holds the match decisions and alerts written
 * and the consumed offsets. Either all of it commits or none of it does.
 *
 * <p>The in-memory state changes as records are processed, before the commit. If a transaction does not commit, the
 * container rolls back and redelivers; the listener notices (a failure it threw, or an offset it has seen before) and
 * rebuilds the state from the committed topics before going on, so nothing from an aborted transaction survives.
 *
 * <p>A record that makes no sense yet (an arrival of a person nobody listed, a movement of a bus without a manifest, a
 * withdrawal of a person never listed, a caseworker's decision about a match never proposed) is held: tried again after
 * every batch, processed in the transaction of the batch that explains it, and dead-lettered when its time is up (see
 * {@link HeldRecords}; the rebuild holds again what was held when the service stopped).
 */
@Component
public class PairingListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(PairingListener.class);
    public static final String ID = "reunification-pairing";
    public static final String GROUP = "reunification-pairing";
    static final List<Topic<?, ?>> TOPICS = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS, Topics.INQUIRIES, Topics.MATCHES);

    private final Pairing pairing;
    private final StateRebuild rebuild;
    private final KafkaTemplate<String, Object> kafka;
    private final DeadLetters deadLetters;
    private final HeldRecords held;
    private final ObjectProvider<PairingTransactionHook> hook;
    private final Map<TopicPartition, Long> processed = new HashMap<>();
    /** Counted down by the first rebuild that succeeds, never by one that failed (start-up waits for it). */
    private final CountDownLatch firstRebuild = new CountDownLatch(1);
    /** Why the last rebuild failed, while the state is not rebuilt; null once one succeeded. */
    private volatile RuntimeException rebuildFailure;
    private final ApplicationEventPublisher events;
    /** Per partition of the inquiries topic, the offset after the last record this instance took in. */
    private final Map<Integer, Long> inquiriesReadTo = new ConcurrentHashMap<>();
    /** Per consumed partition, the offset after the last record the listener processed (or skipped as replayed). */
    private final Map<TopicPartition, Long> readTo = new ConcurrentHashMap<>();
    /**
     * Per owned matches partition, the offset after the last decision the last takeover's reconciliation wrote there.
     * The listener reads those decisions back (a caseworker's may be among them, so none can be skipped unread), and
     * a million inquiries' reconciliation writes half a million: until it has, it is not ready for arrivals.
     */
    private volatile Map<TopicPartition, Long> reconciledTo = Map.of();
    private boolean dirty;
    /** Whether the batch being processed sent an alert (see {@link PairingTransactionHook}). */
    private boolean alerted;
    /** The group membership the state was last built or kept for: see {@link #unchangedSinceLastAssignment}. */
    private String lastMember;
    private int lastGeneration = -1;
    private Set<TopicPartition> lastAssignment = Set.of();
    private final Counter rebuiltAssignments;
    private final Counter keptAssignments;

    PairingListener(Pairing pairing, StateRebuild rebuild, KafkaTemplate<String, Object> kafka, DeadLetters deadLetters,
                    HeldRecords held, MeterRegistry meters, ObjectProvider<PairingTransactionHook> hook,
                    ApplicationEventPublisher events) {
        this.held = held;
        this.events = events;
        this.hook = hook;
        this.pairing = pairing;
        this.rebuild = rebuild;
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.rebuiltAssignments = assignments(meters, "rebuilt");
        this.keptAssignments = assignments(meters, "kept");
    }

    private static Counter assignments(MeterRegistry meters, String state) {
        return Counter.builder(MetricNames.PAIRING_ASSIGNMENTS).tag("state", state)
                .description("Assignments of the pairing group to this instance, by what became of the state").register(meters);
    }

    /**
     * The container calls this on the consumer thread when it starts and at every assignment, before it looks up the
     * positions of the assigned partitions (Spring Kafka's {@code seekPartitions}), so before {@link #onAssigned} too.
     * That look-up asks for stable offsets and would wait out a departed instance's transaction holding the group's
     * offsets; it is ended here ({@link StateRebuild#endTransactionsOfDepartedInstances}). No seeks are made through
     * the callback.
     */
    @Override
    public void registerSeekCallback(ConsumerSeekCallback callback) {
        rebuild.endTransactionsOfDepartedInstances();
    }

    /** Names this instance in the group's member list: see {@link StateRebuild#pairingClientIdPrefix()}. */
    public String clientIdPrefix() {
        return rebuild.pairingClientIdPrefix();
    }

    public String[] topics() {
        return TOPICS.stream().map(Topic::name).toArray(String[]::new);
    }

    // A batch costs a transaction commit whatever its size. With the consumer's default of 500 records, a service that
    // fell behind (a cold start, a burst of hand-overs) caught up at barely more than 2,000 arrivals/s; 2,000 records a
    // batch drains the same backlog in half the time (benchmarks/README.md). A batch of 2,000 is processed in seconds.
    @KafkaListener(id = ID, groupId = GROUP, autoStartup = "false", batch = "true", topics = "#{__listener.topics()}",
            clientIdPrefix = "#{__listener.clientIdPrefix()}",
            properties = {"partition.assignment.strategy=org.homecoming.reunification.pairing.InquiryOwnership",
                    "max.poll.records=2000"})
    public void onBatch(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) {
        // the held records' timer waits while a batch is processed: it must not dead-letter a record that the batch explains
        synchronized (held) {
            process(records, consumer);
        }
    }

    /**
     * The group gave this instance its partitions: the state is rebuilt for the inquiries it owns now, the shared
     * topics are read on from where the rebuild stopped, and whatever an earlier owner left undone is written in a
     * transaction that carries this member's group metadata, so that it cannot commit once the member is fenced.
     */
    void onAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> added) {
        // Not the partitions Kafka passes: those are the ones added since the assignment the consumer last applied. If
        // the container failed at an assignment before it called this (its look-up of the partitions' positions timed
        // out), the consumer kept the partitions, and the next rebalance passed none of them: the instance took over
        // no inquiries while the group had given it all of them (seen in a test, the partitions passed were []).
        Set<TopicPartition> partitions = Set.copyOf(consumer.assignment());
        // a revoked partition's position says nothing of the books any more
        readTo.keySet().retainAll(partitions);
        synchronized (held) {
            // what an earlier assignment's reconciliation wrote is awaited only on the partitions still assigned
            Map<TopicPartition, Long> stillOwned = new HashMap<>(reconciledTo);
            stillOwned.keySet().retainAll(partitions);
            reconciledTo = Map.copyOf(stillOwned);
            ConsumerGroupMetadata membership = consumer.groupMetadata();
            if (unchangedSinceLastAssignment(membership, partitions)) {
                goOnWhereThisInstanceStopped(consumer, partitions);
                remember(membership, partitions);
                return;
            }
            try {
                forgetMatchesRead();
                // before the committed offsets are read: the consumer asks for stable ones, so an open transaction
                // that committed offsets of these partitions would hold the read back; a dead owner's is ended here
                rebuild.awaitNoOpenTransaction(InquiryOwnership.owned(partitions));
                Map<TopicPartition, Long> committed = committed(consumer, partitions);
                Map<TopicPartition, Long> replayed = rebuild.run(InquiryOwnership.owned(partitions), committed);
                for (TopicPartition partition : partitions) {
                    Long to = replayed.get(partition);
                    if (to != null) {
                        consumer.seek(partition, to);
                    }
                }
                processed.clear();
                dirty = false;
                caughtUpTo(replayed);
                // the shared partitions' offsets too: nothing reads them back, but the group's lag (the console's
                // view) should say that this member is at the end, not where it stopped before the rebuild
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                committed.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
                replayed.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
                ConsumerGroupMetadata group = consumer.groupMetadata();
                Map<TopicPartition, Long> wroteTo = new ConcurrentHashMap<>();
                int missing;
                try {
                    missing = kafka.executeInTransaction(operations -> {
                        int written = pairing.reconcile(record -> operations.send(record.topic().name(), record.key(), record.value())
                                .thenAccept(sent -> {
                                    if (sent.getRecordMetadata().topic().equals(InquiryOwnership.OWNED)) {
                                        wroteTo.merge(new TopicPartition(InquiryOwnership.OWNED, sent.getRecordMetadata().partition()),
                                                sent.getRecordMetadata().offset() + 1, Math::max);
                                    }
                                }));
                        operations.sendOffsetsToTransaction(offsets, group);
                        return written;
                    });
                } catch (RuntimeException e) {
                    // a transaction of its own, not the container's: its end is told to the book here. Not committed,
                    // the book holds the reconciliation's moves until the next batch rebuilds (the catch below marks it)
                    pairing.matches().abandoned();
                    throw e;
                }
                pairing.matches().settled();
                partitions.forEach(partition -> readTo.put(partition, consumer.position(partition)));
                reconciledTo = Map.copyOf(wroteTo);
                if (missing > 0) {
                    log.info("Wrote {} decisions and alerts that no earlier owner of inquiry partitions {} wrote",
                            missing, rebuild.owned());
                }
                rebuiltAssignments.increment();
                remember(membership, partitions);
                rebuilt();
            } catch (RuntimeException e) {
                // the next batch rebuilds and writes what is missing in its own transaction
                log.warn("Could not take over the pairing partitions; the next batch tries again", e);
                dirty = true;
                notRebuilt(e);
            }
        }
    }

    /**
     * True when this member held exactly these partitions in the generation just before this one, and its state is
     * whole. A broker that restarts changes the cluster's metadata, and the group's leader then asks for a rebalance
     * that gives every member what it had: rebuilding 1,000,000 inquiries for that would stop matching for minutes.
     * Nothing can have changed meanwhile: generations follow each other, so no other member owned these partitions
     * between the two, and a zombie of an older generation cannot commit (its transaction carries its generation).
     * Any gap (a new member id after the member was dropped, a generation skipped, a transaction that did not commit)
     * rebuilds.
     */
    private boolean unchangedSinceLastAssignment(ConsumerGroupMetadata membership, Collection<TopicPartition> partitions) {
        return !dirty && lastMember != null && lastMember.equals(membership.memberId())
                && membership.generationId() == lastGeneration + 1 && lastAssignment.equals(Set.copyOf(partitions));
    }

    /**
     * After a rebalance the consumer starts from the group's committed offsets; on the shared partitions those are
     * whichever member committed last, so each partition goes back to the offset after what this instance took in.
     */
    private void goOnWhereThisInstanceStopped(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> replayed = rebuild.replayedTo();
        for (TopicPartition partition : partitions) {
            Long last = processed.get(partition);
            long next = Math.max(last == null ? 0L : last + 1, replayed.getOrDefault(partition, 0L));
            if (last != null || replayed.containsKey(partition)) {
                consumer.seek(partition, next);
            }
        }
        keptAssignments.increment();
        log.info("The pairing group rebalanced and gave this instance the same partitions: the state is kept, not rebuilt");
    }

    private void remember(ConsumerGroupMetadata membership, Collection<TopicPartition> partitions) {
        lastMember = membership.memberId();
        lastGeneration = membership.generationId();
        lastAssignment = Set.copyOf(partitions);
    }

    /**
     * A batch's transaction did not commit: it rolled back (the listener failed, or the broker aborted it), or its
     * commit failed (a rebalance fenced the producer). The container's transaction manager tells of both (see
     * PairingContainerSettings); its after-rollback processor only of a rollback that was not a fence (Spring Kafka
     * 4.0 logs "Producer or 'group.instance.id' fenced during transaction" and goes on without it). The state holds
     * what did not commit; the next batch or assignment rebuilds. Without this mark a rebalance into the same
     * partitions before the redelivery would keep that state and skip the records it came from. The matches partitions
     * are no longer taken as read: a decision checked against them until the rebuild reads them again is answered 503,
     * as the book's own mark answers one on a pair the aborted batch moved ({@link MatchBook#abandoned}).
     */
    void rolledBack() {
        dirty = true;
        forgetMatchesRead();
    }

    /**
     * The offset after the last record of the inquiries partition that this instance took in (REST reads wait for it);
     * {@link InquiriesCaughtUp#UNKNOWN_POSITION} before the first rebuild has read it.
     */
    long inquiriesReadTo(int partition) {
        return inquiriesReadTo.getOrDefault(partition, InquiriesCaughtUp.UNKNOWN_POSITION);
    }

    /**
     * The offset after the last record of the matches partition that this instance's books took in (decisions wait for
     * it); {@link InquiriesCaughtUp#UNKNOWN_POSITION} while a rebuild has forgotten it, or for a partition not assigned.
     */
    long matchesReadTo(int partition) {
        return readTo.getOrDefault(new TopicPartition(Topics.MATCHES.name(), partition), InquiriesCaughtUp.UNKNOWN_POSITION);
    }

    /**
     * The books are about to be rebuilt: until they are, no decision is taken as read on the owned matches partitions
     * (a caseworker's decision waits for them, and is answered 503 if they are not rebuilt in time).
     */
    private void forgetMatchesRead() {
        readTo.keySet().removeIf(partition -> partition.topic().equals(Topics.MATCHES.name()));
    }

    private void caughtUpTo(Map<TopicPartition, Long> replayed) {
        replayed.forEach((partition, offset) -> {
            if (partition.topic().equals(Topics.INQUIRIES.name())) {
                inquiriesReadTo.merge(partition.partition(), offset, Math::max);
            }
        });
    }

    /**
     * Waits until the listener has read back what the last takeover's reconciliation wrote on the matches partitions
     * (see {@link #reconciledTo}); false when the time ran out first. A rebalance meanwhile replaces what is awaited
     * with what its own reconciliation wrote on the partitions this instance still owns: it never waits on a partition
     * it lost.
     */
    boolean awaitReconciledReadBack(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!readBack(reconciledTo)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    private boolean readBack(Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
            if (readTo.getOrDefault(end.getKey(), 0L) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the state was first built for this instance's partitions. */
    boolean awaitFirstRebuild(Duration timeout) throws InterruptedException {
        return firstRebuild.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why the last rebuild failed, if the state is not rebuilt since (for start-up's message). */
    Optional<RuntimeException> rebuildFailure() {
        return Optional.ofNullable(rebuildFailure);
    }

    /**
     * The state could not be rebuilt (a broker or the registry away): REST would answer from an empty or half state
     * (no inquiries, an empty review queue) and arrivals would find nobody, so the instance says it is not ready until a
     * rebuild succeeds. Before, it stayed ready, and start-up went on as if the state were whole.
     */
    private void notRebuilt(RuntimeException cause) {
        rebuildFailure = cause;
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
    }

    private void rebuilt() {
        boolean recovered = rebuildFailure != null;
        rebuildFailure = null;
        firstRebuild.countDown();
        if (recovered) {
            AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    /** The committed offsets of the owned matches partitions, or where the consumer starts on them. */
    private static Map<TopicPartition, Long> committed(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (TopicPartition partition : partitions) {
            if (partition.topic().equals(InquiryOwnership.OWNED)) {
                committed.put(partition, consumer.position(partition));
            }
        }
        return committed;
    }

    private void process(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) {
        alerted = false;
        // a generation this listener did not take over (the container failed at the assignment before calling it)
        boolean notTakenOver = consumer.groupMetadata().generationId() != lastGeneration;
        if (dirty || notTakenOver || redelivered(records)) {
            log.warn(notTakenOver ? "The pairing group's assignment was not taken over; rebuilding the state from the topics"
                    : "A pairing transaction did not commit; rebuilding the state from the topics");
            forgetMatchesRead();
            readTo.keySet().retainAll(consumer.assignment());
            rebuild.awaitNoOpenTransaction(InquiryOwnership.owned(consumer.assignment()));
            Map<TopicPartition, Long> committed = new HashMap<>();
            consumer.committed(consumer.assignment().stream().filter(partition -> partition.topic().equals(InquiryOwnership.OWNED))
                    .collect(Collectors.toSet())).forEach((partition, offset) -> committed.put(partition, offset == null ? 0L : offset.offset()));
            try {
                caughtUpTo(rebuild.run(InquiryOwnership.owned(consumer.assignment()), committed));
            } catch (RuntimeException e) {
                notRebuilt(e);
                throw e;
            }
            // The rebuilt books hold the caseworkers' decisions below the committed offsets only: those of an aborted
            // batch's range are read again from there. Left where the aborted batch had got to, a decision checked
            // under its inquiry's fence would find the matches read to their end on books that lack a decision.
            readTo.putAll(committed);
            processed.clear();
            dirty = false;
            pairing.reconcile(this::send);
            remember(consumer.groupMetadata(), consumer.assignment());
            rebuilt();
        }
        Map<TopicPartition, Long> replayed = rebuild.replayedTo();
        Set<Integer> owned = rebuild.owned();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, Object> record = records.get(i);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            try {
                if (record.offset() < replayed.getOrDefault(partition, 0L)) {
                    readTo.merge(partition, record.offset() + 1, Math::max);
                    continue; // the rebuild took it in already
                }
                DeserializationException poison = Poison.of(record);
                if (poison != null && RegistryOutage.isCause(poison)) {
                    // not poison: the registry was away; the batch rolls back and the record is read again after a
                    // pause (the platform's after-rollback processor), never dead-lettered or skipped
                    RegistryOutage.count(record, poison);
                    throw RegistryOutage.at(record, poison);
                }
                boolean inquiry = record.topic().equals(Topics.INQUIRIES.name());
                String unresolved = poison == null ? pairing.unresolved(record.value()) : null;
                if (inquiry && !owned.contains(record.partition())) {
                    // another instance matches it; this one keeps it for REST reads and delivery
                    if (poison == null) {
                        pairing.restoreInquiry(record.key(), Topics.INQUIRIES.value(record.value()), false);
                    }
                } else if (poison != null) {
                    log.warn("Unreadable record at {}-{}@{} goes to the dead-letter topic", record.topic(), record.partition(), record.offset());
                    deadLetters.accept(record, poison);
                } else if (unresolved != null) {
                    // it may be explained by a record of another topic not read yet; its offset commits with the batch
                    held.hold(record, unresolved);
                } else {
                    send(pairing.on(record.topic(), record.key(), record.value()));
                }
                processed.put(partition, record.offset());
                readTo.merge(partition, record.offset() + 1, Math::max);
                if (record.topic().equals(Topics.INQUIRIES.name())) {
                    inquiriesReadTo.merge(record.partition(), record.offset() + 1, Math::max);
                }
            } catch (RuntimeException e) {
                dirty = true;
                throw new BatchListenerFailedException("Pairing failed at " + record.topic() + "-" + record.partition()
                        + "@" + record.offset(), e, i);
            }
        }
        try {
            // the held records that the batch explains are processed in its transaction
            held.retry(record -> {
                if (pairing.unresolved(record.value()) != null) {
                    return false;
                }
                send(pairing.onHeld(record.topic(), (String) record.key(), record.value()));
                return true;
            });
            held.expire();
        } catch (RuntimeException e) {
            dirty = true;
            throw e;
        }
        if (alerted) {
            hook.ifAvailable(afterSend -> afterSend.afterAlertSent(kafka));
        }
    }

    private void send(List<Emitted> emitted) {
        emitted.forEach(this::send);
    }

    private void send(Emitted record) {
        kafka.send(record.topic().name(), record.key(), record.value());
        alerted |= record.topic() == Topics.ALERTS;
    }

    private boolean redelivered(List<ConsumerRecord<String, Object>> records) {
        for (ConsumerRecord<String, Object> record : records) {
            Long last = processed.get(new TopicPartition(record.topic(), record.partition()));
            if (last != null && record.offset() <= last) {
                return true;
            }
        }
        return false;
    }
}

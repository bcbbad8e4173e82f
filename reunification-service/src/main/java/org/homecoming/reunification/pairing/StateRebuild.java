package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.kafka.TopicReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the pairing state from the topics, at start-up and after a transaction that did not commit.
 *
 * <p>The committed offsets of the pairing group mark how far matching got; the outputs of everything before them are
 * on reunification's own topics, written in the same transactions. So:
 * <ul>
 *   <li>roster and transport topics are replayed from the beginning up to the committed offsets, as facts only;</li>
 *   <li>inquiries are replayed to the end into the inquiry book (REST and delivery read it), and up to the committed
 *       offsets into the matching index (later ones are matched when the listener reads them);</li>
 *   <li>every matcher decision and alert ever committed is replayed, and caseworkers' decisions up to the committed
 *       offsets (later ones are acted on, alerts released, when the listener reads them);</li>
 *   <li>records up to the committed offsets that still make no sense (an arrival of a person nobody listed, a
 *       decision about a match never proposed) are held again, unless they were dead-lettered already. A caseworker's
 *       decision about an unknown match is never restored: a forged decision must not become a pair.</li>
 * </ul>
 */
@Component
public class StateRebuild {

    private static final Logger log = LoggerFactory.getLogger(StateRebuild.class);
    /** Unreadable records were dead-lettered when the pairing listener first read them. */
    private static final BiConsumer<ConsumerRecord<?, ?>, DeserializationException> SKIP = (record, poison) -> {
    };
    /**
     * The first look-up of a group's offsets on a new cluster waits for the offsets topic to be created; on a loaded
     * 2-core machine that took more than 30 s. Bounded all the same: a broker that does not answer fails the start-up.
     */
    private static final Duration OFFSETS_TIMEOUT = Duration.ofMinutes(2);
    static final List<Topic<?, ?>> FACTS = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS);

    private final KafkaProperties kafka;
    private final Pairing pairing;
    private final HeldRecords held;

    StateRebuild(KafkaProperties kafka, Pairing pairing, HeldRecords held) {
        this.kafka = kafka;
        this.pairing = pairing;
        this.held = held;
    }

    public void run() {
        long started = System.nanoTime();
        pairing.reset();
        held.clear();
        TopicReplay replay = new TopicReplay(kafka);
        try (Admin admin = Admin.create(new HashMap<>(kafka.buildAdminProperties()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(PairingListener.GROUP)
                    .partitionsToOffsetAndMetadata().get(OFFSETS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ToLongFunction<TopicPartition> upToCommitted = partition -> {
                OffsetAndMetadata offset = committed.get(partition);
                return offset == null ? 0L : offset.offset();
            };
            List<ConsumerRecord<?, ?>> unresolved = new ArrayList<>();
            long facts = 0;
            for (Topic<?, ?> topic : FACTS) {
                facts += replay.replay(topic, upToCommitted, record -> {
                    if (pairing.unresolved(record.value()) != null) {
                        unresolved.add(record);
                    } else {
                        pairing.restoreFact(record.value());
                    }
                }, SKIP);
            }
            long inquiries = replay.replay(Topics.INQUIRIES, TopicReplay.TO_END, record -> pairing.restoreInquiry(
                    record.key(), record.value(), record.offset() < upToCommitted.applyAsLong(partitionOf(record))), SKIP);
            long decisions = replay.replay(Topics.MATCHES, TopicReplay.TO_END, record -> {
                MatchDecided decision = record.value();
                if (decision == null) {
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
                if (record.value() != null) {
                    pairing.restoreAlert(record.value());
                }
            }, SKIP);
            int holding = holdAgain(unresolved);
            log.info("Pairing state rebuilt in {} ms: {} facts, {} inquiry records, {} decisions, {} alerts, {} records held",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), facts, inquiries, decisions, alerts, holding);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rebuilding the pairing state", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot rebuild the pairing state", e);
        }
    }

    /**
     * The records that made no sense when they were replayed. Those that make sense now were processed when their
     * explanation was read (its reaction is on the topics); they are restored like any fact. Those that still make no
     * sense were held when the service stopped, unless they went to their dead-letter topic already: they are held
     * again, with a fresh window. Held records are kept nowhere else, so this is how a crash loses none.
     */
    private int holdAgain(List<ConsumerRecord<?, ?>> unresolved) {
        for (ConsumerRecord<?, ?> record : unresolved) {
            if (held.wasDeadLettered(record)) {
                continue;
            }
            String reason = pairing.unresolved(record.value());
            if (reason == null) {
                pairing.restoreResolved(record.value());
            } else {
                held.hold(record, reason);
            }
        }
        return held.size();
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}

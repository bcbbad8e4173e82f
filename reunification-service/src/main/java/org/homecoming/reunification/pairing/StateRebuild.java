package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.MatchDecided;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
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
 *       offsets (later ones are acted on, alerts released, when the listener reads them).</li>
 * </ul>
 */
@Component
public class StateRebuild {

    private static final Logger log = LoggerFactory.getLogger(StateRebuild.class);
    static final List<Topic<?>> FACTS = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS);

    private final KafkaProperties kafka;
    private final Pairing pairing;

    StateRebuild(KafkaProperties kafka, Pairing pairing) {
        this.kafka = kafka;
        this.pairing = pairing;
    }

    public void run() {
        long started = System.nanoTime();
        pairing.reset();
        Map<String, Object> adminConfig = new HashMap<>(kafka.buildAdminProperties());
        Map<String, Object> consumerConfig = new HashMap<>(kafka.buildConsumerProperties());
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (Admin admin = Admin.create(adminConfig);
             KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(PairingListener.GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Function<TopicPartition, Long> upToCommitted = partition -> {
                OffsetAndMetadata offset = committed.get(partition);
                return offset == null ? 0L : offset.offset();
            };
            Function<TopicPartition, Long> toEnd = partition -> Long.MAX_VALUE;
            long facts = 0;
            for (Topic<?> topic : FACTS) {
                facts += replay(consumer, topic, upToCommitted, record -> pairing.restoreFact(record.value()));
            }
            long inquiries = replay(consumer, Topics.INQUIRIES, toEnd, record -> {
                pairing.restoreInquiry(record.key(), (InquiryRegistered) record.value(),
                        record.offset() < upToCommitted.apply(partitionOf(record)));
            });
            long decisions = replay(consumer, Topics.MATCHES, toEnd, record -> {
                MatchDecided decision = (MatchDecided) record.value();
                if (decision != null && (MatchBook.MATCHER.equals(decision.getDecidedBy())
                        || record.offset() < upToCommitted.apply(partitionOf(record)))) {
                    pairing.restoreDecision(decision);
                }
            });
            long alerts = replay(consumer, Topics.ALERTS, toEnd, record -> {
                if (record.value() != null) {
                    pairing.restoreAlert((AlertIssued) record.value());
                }
            });
            log.info("Pairing state rebuilt in {} ms: {} facts, {} inquiry records, {} decisions, {} alerts",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), facts, inquiries, decisions, alerts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rebuilding the pairing state", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot rebuild the pairing state", e);
        }
    }

    /** Reads a topic from the beginning up to a limit per partition (and at most to its end); skips unreadable records. */
    static long replay(KafkaConsumer<String, Object> consumer, Topic<?> topic, Function<TopicPartition, Long> limit,
                       java.util.function.Consumer<ConsumerRecord<String, Object>> action) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<TopicPartition, Long> limits = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long until = Math.min(limit.apply(partition), ends.get(partition));
            if (until > 0) {
                limits.put(partition, until);
            }
        }
        if (limits.isEmpty()) {
            consumer.unsubscribe();
            return 0;
        }
        consumer.assign(limits.keySet());
        consumer.seekToBeginning(limits.keySet());
        long count = 0;
        while (limits.entrySet().stream().anyMatch(entry -> consumer.position(entry.getKey()) < entry.getValue())) {
            for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                Long until = limits.get(partitionOf(record));
                if (until != null && record.offset() < until && Poison.of(record) == null) {
                    action.accept(record);
                    count++;
                }
            }
        }
        consumer.unsubscribe();
        return count;
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}

package org.homecoming.transport.ledger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.kafka.TopicReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * owner of the listed persons, dead-letters those).
 */
@Component
class LedgerFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LedgerFeed.class);
    static final List<Topic<?, ?>> FOLLOWED = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS, Topics.HANDOVER_DISCREPANCIES);

    private final TransportLedger ledger;
    private final KafkaProperties kafka;
    private final DeadLetters deadLetters;
    private volatile KafkaConsumer<String, Object> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    LedgerFeed(TransportLedger ledger, KafkaProperties kafka, DeadLetters deadLetters) {
        this.ledger = ledger;
        this.kafka = kafka;
        this.deadLetters = deadLetters;
    }

    @Override
    public void start() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "transport-ledger-feed");
        consumer = new KafkaConsumer<>(config);
        running = true;
        thread = new Thread(this::follow, "transport-ledger-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            Map<TopicPartition, Long> startEnd = TopicReplay.rewind(consumer, FOLLOWED);
            boolean caughtUp = false;
            while (running) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                            SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, null);
                    if (unreadable != null) {
                        // the dead-letter policy keeps it only for transport's own topics, and once
                        deadLetters.accept(record, unreadable);
                    } else if (record.value() == null) {
                        log.warn("Skipped an empty record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                    } else {
                        ledger.apply(record.topic(), record.value());
                    }
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
        }
    }

    @Override
    public void stop() {
        running = false;
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

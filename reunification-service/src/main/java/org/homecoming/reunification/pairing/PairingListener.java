package org.homecoming.reunification.pairing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.kafka.Poison;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
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
 */
@Component
public class PairingListener {

    private static final Logger log = LoggerFactory.getLogger(PairingListener.class);
    public static final String ID = "reunification-pairing";
    public static final String GROUP = "reunification-pairing";
    static final List<Topic<?, ?>> TOPICS = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS,
            Topics.PERSON_ARRIVALS, Topics.FACILITY_ADMISSIONS, Topics.INQUIRIES, Topics.MATCHES);

    private final Pairing pairing;
    private final StateRebuild rebuild;
    private final KafkaTemplate<String, Object> kafka;
    private final DeadLetters deadLetters;
    private final Map<TopicPartition, Long> processed = new HashMap<>();
    private boolean dirty;

    PairingListener(Pairing pairing, StateRebuild rebuild, KafkaTemplate<String, Object> kafka, DeadLetters deadLetters) {
        this.pairing = pairing;
        this.rebuild = rebuild;
        this.kafka = kafka;
        this.deadLetters = deadLetters;
    }

    public String[] topics() {
        return TOPICS.stream().map(Topic::name).toArray(String[]::new);
    }

    @KafkaListener(id = ID, groupId = GROUP, autoStartup = "false", batch = "true", topics = "#{__listener.topics()}")
    public void onBatch(List<ConsumerRecord<String, Object>> records) {
        if (dirty || redelivered(records)) {
            log.warn("A pairing transaction did not commit; rebuilding the state from the topics");
            rebuild.run();
            processed.clear();
            dirty = false;
        }
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, Object> record = records.get(i);
            try {
                DeserializationException poison = Poison.of(record);
                if (poison != null) {
                    log.warn("Unreadable record at {}-{}@{} goes to the dead-letter topic", record.topic(), record.partition(), record.offset());
                    deadLetters.accept(record, poison);
                } else {
                    for (Emitted emitted : pairing.on(record.topic(), record.key(), record.value())) {
                        kafka.send(emitted.topic().name(), emitted.key(), emitted.value());
                    }
                }
                processed.put(new TopicPartition(record.topic(), record.partition()), record.offset());
            } catch (RuntimeException e) {
                dirty = true;
                throw new BatchListenerFailedException("Pairing failed at " + record.topic() + "-" + record.partition()
                        + "@" + record.offset(), e, i);
            }
        }
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

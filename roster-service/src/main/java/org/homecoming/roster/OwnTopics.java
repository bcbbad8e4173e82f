package org.homecoming.roster;

import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topic;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.kafka.TopicReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Reads one of the roster's own topics to its end with the platform's {@link TopicReplay}, so that the service can
 * rebuild its state at start-up from what it has published (and from nothing else). The roster has no listener on its
 * own topics, so a record that cannot be read goes to the topic's dead-letter topic here, and the reading goes on.
 */
@Component
public class OwnTopics {

    private static final Logger log = LoggerFactory.getLogger(OwnTopics.class);

    private final TopicReplay replay;
    private final DeadLetters deadLetters;

    OwnTopics(KafkaProperties kafka, DeadLetters deadLetters) {
        this.replay = new TopicReplay(kafka);
        this.deadLetters = deadLetters;
    }

    /** Hands every committed record of the topic (tombstones aside), in partition order, to {@code onRecord}. */
    public <K, V> long readToEnd(Topic<K, V> topic, Consumer<ConsumerRecord<K, V>> onRecord) {
        return replay.replay(topic, TopicReplay.TO_END, record -> {
            if (record.value() != null) {
                onRecord.accept(record);
            }
        }, (record, unreadable) -> {
            log.error("Record {}-{}@{} cannot be read and goes to the dead-letter topic", record.topic(), record.partition(),
                    record.offset());
            deadLetters.accept(record, unreadable);
        });
    }
}

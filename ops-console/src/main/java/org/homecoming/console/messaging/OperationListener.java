package org.homecoming.console.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.console.operation.OperationPicture;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Folds every event of the observed topics into the operation picture. */
@Component
class OperationListener {

    private final OperationPicture picture;
    private final UnreadableRecords unreadable;

    OperationListener(OperationPicture picture, UnreadableRecords unreadable) {
        this.picture = picture;
        this.unreadable = unreadable;
    }

    @KafkaListener(id = "ops-console-observer", topics = "#{@observedTopics.names()}",
            groupId = "#{@observedTopics.groupId()}", containerFactory = ObserverConsumerConfiguration.CONTAINER_FACTORY)
    void on(ConsumerRecord<String, Object> record) {
        if (record.value() == null && record.topic().equals(Topics.EXCHANGE_ROUNDS.name())) {
            // The rounds topic is compacted: a tombstone means the round was deleted.
            picture.roundDeleted(record.key());
            return;
        }
        // A readable record the console does not know (a new event type, a null value) is skipped and
        // counted like an unreadable one.
        if (record.value() == null || !picture.apply(record.value())) {
            unreadable.accept(record, new IllegalArgumentException("not an event the console follows: "
                    + (record.value() == null ? "null" : record.value().getClass().getName())));
        }
    }
}

package org.homecoming.console.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.console.attention.AttentionWatch;
import org.homecoming.console.operation.OperationPicture;
import org.homecoming.events.console.AttentionItemAcknowledged;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Folds every event of the observed topics into the operation picture, and the operators' acknowledgements into the attention board. */
@Component
class OperationListener {

    private final OperationPicture picture;
    private final UnreadableRecords unreadable;
    private final AttentionWatch attention;

    OperationListener(OperationPicture picture, UnreadableRecords unreadable, AttentionWatch attention) {
        this.picture = picture;
        this.unreadable = unreadable;
        this.attention = attention;
    }

    @KafkaListener(id = "ops-console-observer", topics = "#{@observedTopics.names()}",
            groupId = "#{@observedTopics.groupId()}", containerFactory = ObserverConsumerConfiguration.CONTAINER_FACTORY)
    void on(ConsumerRecord<String, Object> record) {
        if (record.value() == null && record.topic().equals(Topics.EXCHANGE_ROUNDS.name())) {
            // The rounds topic is compacted: a tombstone means the round was deleted.
            picture.roundDeleted(record.key());
            return;
        }
        if (record.topic().equals(Topics.ATTENTION_ACKNOWLEDGEMENTS.name())) {
            if (record.value() instanceof AttentionItemAcknowledged acknowledgement) {
                attention.acknowledged(acknowledgement);
                return;
            }
            if (record.value() == null && record.key() != null) {
                // compacted as well: a tombstone withdraws the item's acknowledgement
                attention.acknowledgementWithdrawn(record.key());
                return;
            }
        }
        // A readable record the console does not know (a new event type, a null value) is skipped and
        // counted like an unreadable one.
        if (record.value() == null || !picture.apply(record.value())) {
            unreadable.accept(record, new IllegalArgumentException("not an event the console follows: "
                    + (record.value() == null ? "null" : record.value().getClass().getName())));
        }
    }
}

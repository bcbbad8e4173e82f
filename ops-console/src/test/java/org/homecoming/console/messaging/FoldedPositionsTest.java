package org.homecoming.console.messaging;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A partition given back to the console is read on from where its picture stands, not folded again from its start. */
class FoldedPositionsTest {

    private static final TopicPartition MATCHES = new TopicPartition(Topics.MATCHES.name(), 0);
    private static final TopicPartition ALERTS = new TopicPartition(Topics.ALERTS.name(), 0);

    @Test
    void shouldReadAPartitionGivenBackOnFromWhereItsFoldStood() {
        // given a console that folded the first three matches: auto-matched, delivered, then rejected by a caseworker
        FoldedPositions folded = new FoldedPositions();
        MockConsumer<Object, Object> consumer = new MockConsumer<>("earliest");
        for (long offset = 0; offset < 3; offset++) {
            folded.afterRecord(new ConsumerRecord<>(MATCHES.topic(), MATCHES.partition(), offset, "inq-1", "decision"), consumer);
        }

        // when its group lost its partitions and got them back (it commits no offset: they come back at their start)
        consumer.assign(List.of(MATCHES, ALERTS));
        consumer.updateBeginningOffsets(Map.of(MATCHES, 0L, ALERTS, 0L));
        folded.onPartitionsAssigned(consumer, List.of(MATCHES, ALERTS));

        // then the matches are read on after the rejection, not from the auto-match again; the alerts, never read, from their start
        assertThat(consumer.position(MATCHES)).isEqualTo(3L);
        assertThat(consumer.position(ALERTS)).isZero();
    }
}

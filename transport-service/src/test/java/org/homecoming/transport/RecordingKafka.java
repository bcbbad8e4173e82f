package org.homecoming.transport;

import java.util.List;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** A Kafka template for unit tests of the desks: each transaction runs at once, and every value sent is recorded. */
public final class RecordingKafka {

    private RecordingKafka() {
    }

    /** A template whose sends, in and out of transactions, add their values to {@code sent}, in order. */
    @SuppressWarnings("unchecked")
    public static <T> KafkaTemplate<String, Object> into(List<T> sent) {
        KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
        KafkaOperations<String, Object> operations = mock(KafkaOperations.class);
        when(operations.send(anyString(), anyString(), any())).thenAnswer(call -> {
            sent.add((T) call.getArgument(2));
            return null;
        });
        when(kafka.executeInTransaction(any())).thenAnswer(call ->
                call.<KafkaOperations.OperationsCallback<String, Object, Object>>getArgument(0).doInOperations(operations));
        return kafka;
    }
}

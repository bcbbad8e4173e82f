package org.homecoming.platform.deadletter;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.homecoming.platform.retry.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ContainerProperties.EOSMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.serializer.DeserializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** What a listener's error handler does with a record it could not read: the registry's absence versus a bad record. */
class DeadLetterPolicyTest {

    private static final String TOPIC = "transport.person-arrivals";
    private static final byte[] BYTES = {0, 0, 0, 0, 7, 2, 'x'};

    private final List<ConsumerRecord<?, ?>> deadLettered = new ArrayList<>();
    private final DefaultErrorHandler handler = DeadLetterPolicy.errorHandler((record, e) -> deadLettered.add(record), RetryPolicy.DEFAULT);
    @SuppressWarnings("unchecked")
    private final Consumer<String, Object> consumer = mock(Consumer.class);
    // not running: the handler's pauses between attempts end at once (it stops sleeping when its container stops)
    private final MessageListenerContainer container = mock(MessageListenerContainer.class);

    @Test
    void shouldReadAnArrivalAgainInsteadOfDeadLetteringItWhileTheRegistryIsAway() {
        // given an arrival the listener could not read because the registry could not be reached
        ConsumerRecord<String, Object> arrival = new ConsumerRecord<>(TOPIC, 2, 41L, "person-1", null);
        Exception unreadable = failed(new RegistryUnavailableException("schema registry unavailable: java.net.ConnectException"));

        // when it fails more often than a bad record may
        int attempts = RetryPolicy.DEFAULT.attempts() + 3;
        for (int attempt = 0; attempt < attempts; attempt++) {
            assertThatThrownBy(() -> handler.handleRemaining(unreadable, List.of(arrival), consumer, container))
                    .as("the container is told the record is still being retried").hasMessage("Record in retry and not yet recovered");
        }

        // then it never went to the dead-letter topic, and each time the consumer went back to it
        assertThat(deadLettered).as("the arrival is not dead-lettered while the registry is away").isEmpty();
        verify(consumer, times(attempts)).seek(new TopicPartition(TOPIC, 2), 41L);
    }

    @Test
    void shouldTryABatchAgainWithoutEndWhileTheRegistryIsAway() {
        // given a transactional batch listener (pairing) whose batch failed on a record the registry's absence made unreadable
        DefaultAfterRollbackProcessor<Object, Object> rollback = DeadLetterPolicy.afterRollbackProcessor(
                (record, e) -> deadLettered.add(record), RetryPolicy.DEFAULT, mock(KafkaOperations.class));
        @SuppressWarnings("unchecked")
        Consumer<Object, Object> batchConsumer = mock(Consumer.class);
        ConsumerRecord<Object, Object> inquiry = new ConsumerRecord<>("reunification.inquiries", 1, 10L, "inquiry-1", "read");
        ConsumerRecord<Object, Object> arrival = new ConsumerRecord<>(TOPIC, 2, 41L, "person-1", null);
        List<ConsumerRecord<Object, Object>> batch = List.of(inquiry, arrival);
        Exception failed = new BatchListenerFailedException("Pairing failed", new RegistryUnavailableException(
                "Cannot read " + TOPIC + "-2@41: schema registry unavailable"), 1);

        // when it fails more often than the bounded retries allow
        int attempts = RetryPolicy.DEFAULT.attempts() + 3;
        for (int attempt = 0; attempt < attempts; attempt++) {
            rollback.processBatch(ConsumerRecords.empty(), batch, batchConsumer, container, failed, true, EOSMode.V2);
        }

        // then no record of it was dead-lettered, and each time the consumer went back to the batch's beginning
        assertThat(deadLettered).as("nothing of the batch is dead-lettered while the registry is away").isEmpty();
        verify(batchConsumer, times(attempts)).seek(new TopicPartition("reunification.inquiries", 1), 10L);
        verify(batchConsumer, times(attempts)).seek(new TopicPartition(TOPIC, 2), 41L);
    }

    @Test
    void shouldDeadLetterABadRecordAtOnceAsBefore() {
        ConsumerRecord<String, Object> garbage = new ConsumerRecord<>(TOPIC, 2, 42L, "person-2", null);

        handler.handleRemaining(failed(new IllegalStateException("artifact reference cannot be null")), List.of(garbage),
                consumer, container);

        assertThat(deadLettered).containsExactly(garbage);
    }

    @Test
    void shouldRefuseToDeadLetterOrSkipARecordTheRegistrysAbsenceMadeUnreadable() {
        DeadLetterPublishingRecoverer publisher = mock(DeadLetterPublishingRecoverer.class);
        DeadLetters deadLetters = new DeadLetters(publisher, null, List.of(), null);
        ConsumerRecord<String, Object> arrival = new ConsumerRecord<>(TOPIC, 0, 7L, "person-1", null);

        assertThatThrownBy(() -> deadLetters.accept(arrival, failed(new RegistryUnavailableException("schema registry unavailable"))))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining(TOPIC + "-0@7");
        verify(publisher, never()).accept(any(), any());
    }

    private static Exception failed(Exception cause) {
        return new ListenerExecutionFailedException("Listener failed",
                new DeserializationException("failed to deserialize", BYTES, false, cause));
    }
}

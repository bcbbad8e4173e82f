package org.homecoming.platform.registry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RegistryWaitTest {

    private static final String TOPIC = "transport.bus-manifests";

    private final RegistryWait wait = new RegistryWait();

    @Test
    void shouldReadAValueAgainUntilTheRegistryAnswers() {
        AtomicInteger attempts = new AtomicInteger();
        Deserializer<String> patient = wait.patient((topic, data) -> {
            if (attempts.incrementAndGet() < 3) {
                throw new RegistryUnavailableException("schema registry unavailable: 503");
            }
            return "manifest";
        });

        assertThat(patient.deserialize(TOPIC, new byte[] {0})).isEqualTo("manifest");
        assertThat(attempts).as("read again after each outage").hasValue(3);
        assertThat(wait.waiting()).as("the wait is over").isEmpty();
    }

    @Test
    void shouldFailABadValueAtOnceWithItsOwnFailure() {
        AtomicInteger attempts = new AtomicInteger();
        Deserializer<String> patient = wait.patient((topic, data) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("artifact reference cannot be null");
        });

        assertThatThrownBy(() -> patient.deserialize(TOPIC, new byte[] {1})).as("poison is the deserialization handler's")
                .isInstanceOf(IllegalStateException.class).hasMessage("artifact reference cannot be null");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void shouldTellTheWaitAndEndItWhenItsClientCloses() {
        Deserializer<String> patient = wait.patient((topic, data) -> {
            throw new RegistryUnavailableException("schema registry unavailable: connection refused");
        });

        CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> patient.deserialize(TOPIC, new byte[] {0}));
        await().alias("the reader waits").until(() -> wait.waiting().isPresent());
        assertThat(wait.waiting().orElseThrow().topic()).isEqualTo(TOPIC);
        wait.release();

        await().alias("closing ends the wait").until(reading::isDone);
        assertThat(reading).isCompletedExceptionally();
        assertThat(wait.waiting()).isEmpty();
    }
}

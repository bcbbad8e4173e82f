package org.homecoming.transport.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.Test;

class ThreadReplacementTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private final StreamsException brokerGone = new StreamsException("task [0_3] timed out", new TimeoutException("no leader"));

    @Test
    void shouldReplaceAThreadThatFailedOnceSoThatAnOutageIsRiddenOut() {
        ThreadReplacement handler = new ThreadReplacement(5, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(handler.handle(brokerGone)).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldStopTheProcessorWhenTheSameErrorComesBackAtOnceAndAgain() {
        ThreadReplacement handler = new ThreadReplacement(5, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            assertThat(handler.handle(brokerGone)).as("failure %d", i + 1).isEqualTo(REPLACE_THREAD);
        }

        assertThat(handler.handle(brokerGone)).as("the sixth within ten minutes").isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldKeepReplacingAThreadThatFailedBecauseTheSchemaRegistryIsAway() {
        ThreadReplacement handler = new ThreadReplacement(5, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
        // as Kafka Streams reports it when the dead-letter policy's deserialization handler fails the thread
        StreamsException registryAway = new StreamsException("Fatal user code error in deserialization error callback",
                new RegistryUnavailableException("Cannot read transport.bus-manifests-0@12: schema registry unavailable"));

        for (int i = 0; i < 20; i++) {
            assertThat(handler.handle(registryAway)).as("outage failure %d", i + 1).isEqualTo(REPLACE_THREAD);
        }
        assertThat(handler.handle(brokerGone)).as("the outage did not use up the replacements of other errors")
                .isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldStopTheProcessorWhenItsGlobalThreadFailsWhichCannotBeReplaced() throws Exception {
        ThreadReplacement handler = new ThreadReplacement(5, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
        List<StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse> responses = new ArrayList<>();

        Thread global = new Thread(() -> responses.add(handler.handle(brokerGone)),
                "transport-movements-9e1c-GlobalStreamThread");
        global.start();
        global.join();

        assertThat(responses).as("a global thread is never 'replaced'").containsExactly(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldForgetFailuresOlderThanTheWindow() {
        MovableClock clock = new MovableClock(NOW);
        ThreadReplacement handler = new ThreadReplacement(2, Duration.ofMinutes(10), clock);
        handler.handle(brokerGone);
        handler.handle(brokerGone);

        clock.set(NOW.plus(Duration.ofMinutes(11)));

        assertThat(handler.handle(brokerGone)).isEqualTo(REPLACE_THREAD);
    }
}

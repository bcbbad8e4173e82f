package org.homecoming.transport.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.apache.kafka.streams.KafkaStreams;
import org.homecoming.platform.registry.RegistryWait;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

class StreamsHealthIndicatorTest {

    private final StreamsBuilderFactoryBean factory = mock(StreamsBuilderFactoryBean.class);
    private final KafkaStreams streams = mock(KafkaStreams.class);
    private final StreamsHealthIndicator health = new StreamsHealthIndicator(factory, new RegistryWait());

    @Test
    void shouldBeUpWhileTheProcessorRunsOrRebalances() {
        when(factory.getKafkaStreams()).thenReturn(streams);
        for (KafkaStreams.State state : new KafkaStreams.State[] {KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING}) {
            when(streams.state()).thenReturn(state);
            assertThat(health.health().getStatus()).as(state.name()).isEqualTo(Status.UP);
        }
    }

    @Test
    void shouldBeDownOnceTheProcessorStoppedOrBeforeItStarted() {
        assertThat(health.health().getStatus()).as("not started").isEqualTo(Status.DOWN);

        when(factory.getKafkaStreams()).thenReturn(streams);
        for (KafkaStreams.State state : new KafkaStreams.State[] {KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR,
                KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN}) {
            when(streams.state()).thenReturn(state);
            assertThat(health.health().getStatus()).as(state.name()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsEntry("state", state.name());
        }
    }
}

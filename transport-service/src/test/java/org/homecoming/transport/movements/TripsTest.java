package org.homecoming.transport.movements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.ErrorResponseException;

/** A trip read while a rebalance moves its partition between instances. */
class TripsTest {

    private final StreamsBuilderFactoryBean factory = mock(StreamsBuilderFactoryBean.class);
    private final KafkaStreams streams = mock(KafkaStreams.class);
    @SuppressWarnings("unchecked")
    private final ReadOnlyKeyValueStore<String, TripState> store = mock(ReadOnlyKeyValueStore.class);

    {
        when(factory.getKafkaStreams()).thenReturn(streams);
        when(store.get("bus-7")).thenReturn(TripState.start("bus-7", "round-1"));
    }

    @Test
    void shouldAnswerAReadWhosePartitionIsBeingMovedOnceTheMoveEnds() {
        // given a rebalance during which the partition cannot be read for the first three attempts
        when(streams.state()).thenReturn(KafkaStreams.State.REBALANCING);
        when(streams.store(any())).thenThrow(moving(), moving(), moving()).thenReturn(store);

        // when the trip is read
        var trip = new Trips(factory, Duration.ofSeconds(3)).find("bus-7");

        // then it is answered, not refused
        assertThat(trip).map(TripSnapshot::roundId).contains("round-1");
    }

    @Test
    void shouldAnswer503WhenThePartitionStaysUnreadableBeyondThePatience() {
        when(streams.state()).thenReturn(KafkaStreams.State.REBALANCING);
        when(streams.store(any())).thenThrow(moving());

        assertThatThrownBy(() -> new Trips(factory, Duration.ofMillis(200)).find("bus-7"))
                .isInstanceOfSatisfying(ErrorResponseException.class, refused -> {
                    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(refused.getBody().getDetail()).contains("retry shortly");
                });
    }

    @Test
    void shouldAnswerAStoppedProcessorAtOnceWithoutWaiting() {
        // given a processor that died: waiting would not bring the store back
        when(streams.state()).thenReturn(KafkaStreams.State.ERROR);
        when(streams.store(any())).thenThrow(moving()).thenReturn(store);

        // when a trip is read with a long patience, it is refused at the first attempt (the store is not asked again)
        assertThatThrownBy(() -> new Trips(factory, Duration.ofHours(1)).find("bus-7"))
                .isInstanceOfSatisfying(ErrorResponseException.class, refused ->
                        assertThat(refused.getBody().getDetail()).contains("stopped (ERROR)"));
    }

    private static InvalidStateStoreException moving() {
        return new InvalidStateStoreException("the task of this partition is being moved");
    }
}

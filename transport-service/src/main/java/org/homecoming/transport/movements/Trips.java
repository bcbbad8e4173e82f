package org.homecoming.transport.movements;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/** Reads the trip store of the running stream processor (interactive queries; one instance holds every partition). */
@Component
public class Trips {

    private final StreamsBuilderFactoryBean streams;

    Trips(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    public Optional<TripSnapshot> find(String busId) {
        return Optional.ofNullable(store().get(busId)).map(TripState::snapshot);
    }

    public Map<String, TripSnapshot> all() {
        Map<String, TripSnapshot> snapshots = new LinkedHashMap<>();
        try (KeyValueIterator<String, TripState> all = store().all()) {
            all.forEachRemaining(entry -> snapshots.put(entry.key, entry.value.snapshot()));
        }
        return snapshots;
    }

    private ReadOnlyKeyValueStore<String, TripState> store() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        try {
            if (kafkaStreams == null) {
                throw new InvalidStateStoreException("the stream processor is not started");
            }
            return kafkaStreams.store(StoreQueryParameters.fromNameAndType(MovementDetection.TRIPS_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "Trip state is not available yet (the stream processor is starting or rebalancing); retry shortly");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, e);
        }
    }
}

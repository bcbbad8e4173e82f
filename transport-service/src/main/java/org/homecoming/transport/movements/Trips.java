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
        return read(store -> Optional.ofNullable(store.get(busId)).map(TripState::snapshot));
    }

    public Map<String, TripSnapshot> all() {
        return read(store -> {
            Map<String, TripSnapshot> snapshots = new LinkedHashMap<>();
            try (KeyValueIterator<String, TripState> all = store.all()) {
                all.forEachRemaining(entry -> snapshots.put(entry.key, entry.value.snapshot()));
            }
            return snapshots;
        });
    }

    /**
     * Reads the trip store, or answers 503 while it cannot be read. The store can become unreadable between
     * finding it and reading it (a rebalance moves the thread out of RUNNING), so the whole read is guarded.
     */
    private <T> T read(java.util.function.Function<ReadOnlyKeyValueStore<String, TripState>, T> query) {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        try {
            if (kafkaStreams == null) {
                throw new InvalidStateStoreException("the stream processor is not started");
            }
            return query.apply(kafkaStreams.store(StoreQueryParameters.fromNameAndType(MovementDetection.TRIPS_STORE,
                    QueryableStoreTypes.keyValueStore())));
        } catch (InvalidStateStoreException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "Trip state is not available yet (the stream processor is starting or rebalancing); retry shortly");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, e);
        }
    }
}

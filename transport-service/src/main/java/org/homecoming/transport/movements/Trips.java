package org.homecoming.transport.movements;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.homecoming.catalogue.Topics;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Reads the trip store of this instance's stream processor (interactive queries), one partition at a time.
 *
 * <p>With several instances each holds some partitions as active tasks and, through standby replicas, a copy of the
 * others (see {@code num.standby.replicas} in the configuration). Reads accept a standby copy and a rebalancing
 * processor: a dashboard's view may lag by the standby's last fetch, which is better than no view during every
 * rebalance. A partition this instance holds no copy of is answered 503, never as an empty partition: a bus must not
 * read as merely "registered" because its trip lives on another instance.
 */
@Component
public class Trips {

    private final StreamsBuilderFactoryBean streams;

    Trips(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    public Optional<TripSnapshot> find(String busId) {
        return read(partitionOf(busId), store -> Optional.ofNullable(store.get(busId)).map(TripState::snapshot));
    }

    public Map<String, TripSnapshot> all() {
        Map<String, TripSnapshot> snapshots = new LinkedHashMap<>();
        for (int partition = 0; partition < Topics.BUS_POSITIONS.partitions(); partition++) {
            read(partition, store -> {
                try (KeyValueIterator<String, TripState> all = store.all()) {
                    all.forEachRemaining(entry -> snapshots.put(entry.key, entry.value.snapshot()));
                }
                return null;
            });
        }
        return snapshots;
    }

    /** The partition the trip store keeps a bus in: the producer's default partitioner over the UTF-8 key. */
    public static int partitionOf(String busId) {
        return Utils.toPositive(Utils.murmur2(busId.getBytes(StandardCharsets.UTF_8))) % Topics.BUS_POSITIONS.partitions();
    }

    /**
     * Reads one partition of the trip store, or answers 503 while it cannot be read. The store can become unreadable
     * between finding it and reading it (a task moves away in a rebalance), so the whole read is guarded.
     */
    private <T> T read(int partition, Function<ReadOnlyKeyValueStore<String, TripState>, T> query) {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        try {
            if (kafkaStreams == null) {
                throw new InvalidStateStoreException("the stream processor is not started");
            }
            return query.apply(kafkaStreams.store(StoreQueryParameters.fromNameAndType(MovementDetection.TRIPS_STORE,
                    QueryableStoreTypes.<String, TripState>keyValueStore()).withPartition(partition).enableStaleStores()));
        } catch (InvalidStateStoreException e) {
            KafkaStreams.State state = kafkaStreams == null ? null : kafkaStreams.state();
            boolean stopped = state != null && !state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED;
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, stopped
                    ? "Trip state is not available: the stream processor has stopped (" + state + "); this instance's"
                            + " health says DOWN until it is restarted"
                    : "Trip state is not available on this instance yet (the stream processor is starting, or is being"
                            + " given a copy of the trips); retry shortly");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, e);
        }
    }
}

package org.homecoming.transport.movements;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.springframework.beans.factory.annotation.Value;
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
 *
 * <p>A rebalance moves tasks between instances, and the store of a moving partition cannot be read for a moment on
 * either of them (a standby made active, an active task closed). A read then waits up to {@code read-patience} for it,
 * so a dashboard or a client reading its own write on the other instance is not answered 503 by a routine rebalance.
 */
@Component
public class Trips {

    private static final long PAUSE_MILLIS = 25;

    private final StreamsBuilderFactoryBean streams;
    private final Duration readPatience;

    Trips(StreamsBuilderFactoryBean streams,
          @Value("${homecoming.transport.trips.read-patience:3s}") Duration readPatience) {
        this.streams = streams;
        this.readPatience = readPatience;
    }

    public Optional<TripSnapshot> find(String busId) {
        return read(partitionOf(busId), deadline(), store -> Optional.ofNullable(store.get(busId)).map(TripState::snapshot));
    }

    public Map<String, TripSnapshot> all() {
        Map<String, TripSnapshot> snapshots = new LinkedHashMap<>();
        long deadline = deadline();
        for (int partition = 0; partition < Topics.BUS_POSITIONS.partitions(); partition++) {
            read(partition, deadline, store -> {
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
     * Reads one partition of the trip store, or answers 503 when it cannot be read within the read patience. The store
     * can become unreadable between finding it and reading it (a task moves away in a rebalance), so the whole read is
     * guarded. A stopped processor is answered at once: waiting would not bring it back.
     */
    private <T> T read(int partition, long deadline, Function<ReadOnlyKeyValueStore<String, TripState>, T> query) {
        while (true) {
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
                if (!stopped && System.nanoTime() - deadline < 0 && pause()) {
                    continue;
                }
                throw unavailable(stopped, state, e);
            }
        }
    }

    /** One deadline for a whole request, however many partitions it reads. */
    private long deadline() {
        return System.nanoTime() + readPatience.toNanos();
    }

    private static boolean pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ErrorResponseException unavailable(boolean stopped, KafkaStreams.State state, InvalidStateStoreException cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, stopped
                ? "Trip state is not available: the stream processor has stopped (" + state + "); this instance's"
                        + " health says DOWN until it is restarted"
                : "Trip state is not available on this instance yet (the stream processor is starting, or is being"
                        + " given a copy of the trips); retry shortly");
        return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, cause);
    }
}

package org.homecoming.transport.movements;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trip store's writes held until the commit: what RocksDB (and so the changelog) holds after each commit, and what
 * a task that crashed before its commit finds when it starts again.
 */
class TripStoreTest {

    @TempDir
    Path stateDir;

    private final List<KeyValueStore<String, TripState>> open = new ArrayList<>();

    @AfterEach
    void closeStores() {
        open.forEach(store -> {
            if (store.isOpen()) {
                store.close();
            }
        });
    }

    /** The store as a task opens it: the trip store over a persistent store, in the same state directory each time. */
    private TripStoreWithBelow openStore() {
        KeyValueStore<String, TripState> below = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("bus-trips"),
                Serdes.String(), TripStateSerde.create()).withLoggingDisabled().withCachingDisabled().build();
        TripStore store = new TripStore(below);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "trip-store-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        StateStoreContext storeContext = context.getStateStoreContext();
        store.init(storeContext, store);
        open.add(store);
        return new TripStoreWithBelow(store, below);
    }

    private record TripStoreWithBelow(TripStore trips, KeyValueStore<String, TripState> below) {
    }

    private static TripState trip(String busId, long recordedAt, double latitude) {
        TripState trip = TripState.start(busId, "round-1");
        trip.lastRecordedAt = recordedAt;
        trip.latitude = latitude;
        trip.longitude = 31.05;
        trip.departed = true;
        trip.checkpointsPassed.add("checkpoint-horodnia");
        return trip;
    }

    @Test
    void shouldWriteEachBusesLatestTripOnceAtTheCommitAndNotBefore() {
        TripStoreWithBelow store = openStore();
        TripState first = trip("bus-1", 1_000, 51.90);
        TripState latest = trip("bus-1", 2_000, 51.91);

        store.trips().put("bus-1", first);
        store.trips().put("bus-1", latest);

        assertThat(store.below().get("bus-1")).as("nothing written below before the commit").isNull();
        assertThat(store.trips().get("bus-1")).as("the held trip is read back").isSameAs(latest);

        store.trips().flushCache();

        assertThat(store.below().get("bus-1")).as("the latest trip, written at the commit").usingRecursiveComparison()
                .isEqualTo(latest);
        assertThat(store.trips().heldCount()).as("nothing held after the commit").isZero();
        assertThat(store.trips().get("bus-1")).usingRecursiveComparison().isEqualTo(latest);
    }

    @Test
    void shouldRestoreTheTripsAsOfTheLastCommitWhenTheTaskCrashedBeforeTheNext() {
        TripStoreWithBelow store = openStore();
        TripState committed = trip("bus-1", 1_000, 51.90);
        store.trips().put("bus-1", committed);
        store.trips().flushCache();
        store.trips().put("bus-1", trip("bus-1", 2_000, 51.91));
        store.trips().put("bus-2", trip("bus-2", 2_000, 51.80));

        // the task is closed dirty (its transaction is aborted): no commit, so no flush
        store.trips().close();
        TripStoreWithBelow reopened = openStore();

        assertThat(reopened.trips().get("bus-1")).as("bus-1 as of the last commit").usingRecursiveComparison()
                .isEqualTo(committed);
        assertThat(reopened.trips().get("bus-2")).as("bus-2 was never committed").isNull();
    }

    @Test
    void shouldListHeldTripsOverStoredOnesAndTheNewOnesToo() {
        TripStoreWithBelow store = openStore();
        store.trips().put("bus-1", trip("bus-1", 1_000, 51.90));
        store.trips().put("bus-2", trip("bus-2", 1_000, 51.80));
        store.trips().flushCache();
        TripState moved = trip("bus-1", 2_000, 51.91);
        store.trips().put("bus-1", moved);
        TripState fresh = trip("bus-3", 2_000, 51.70);
        store.trips().put("bus-3", fresh);

        List<KeyValue<String, TripState>> all = new ArrayList<>();
        try (KeyValueIterator<String, TripState> entries = store.trips().all()) {
            entries.forEachRemaining(all::add);
        }

        assertThat(all).extracting(entry -> entry.key).containsExactlyInAnyOrder("bus-1", "bus-2", "bus-3");
        assertThat(all).filteredOn(entry -> entry.key.equals("bus-1")).singleElement()
                .satisfies(entry -> assertThat(entry.value).isSameAs(moved));
        assertThat(all).filteredOn(entry -> entry.key.equals("bus-3")).singleElement()
                .satisfies(entry -> assertThat(entry.value).isSameAs(fresh));
    }

    @Test
    void shouldCopyEveryFieldOfATrip() {
        TripState trip = trip("bus-7", 1_700_000_000_000L, 51.91);
        trip.speedKmh = 62.5;
        trip.recentSpeedKmh = 58.0;
        trip.departedAt = 1_699_999_000_000L;
        trip.departedProgressMeters = 120.0;
        trip.crossingStreak = 2;
        trip.borderCrossed = true;
        trip.crossedAt = 1_699_999_900_000L;
        trip.arrived = true;
        trip.arrivedAt = 1_700_000_000_000L;
        trip.estimatedArrival = 1_700_003_600_000L;
        trip.lastSeenAt = 1_700_000_000_500L;
        trip.silent = true;

        TripState copy = trip.copy();
        copy.checkpointsPassed.add("checkpoint-2");

        assertThat(TripStateSerde.write(trip.copy())).as("the same bytes in the store").isEqualTo(TripStateSerde.write(trip));
        assertThat(trip.checkpointsPassed).as("changing the copy leaves the original").containsExactly("checkpoint-horodnia");
    }
}

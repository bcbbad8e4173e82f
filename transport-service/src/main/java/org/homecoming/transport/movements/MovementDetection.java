package org.homecoming.transport.movements;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;

/**
 * The stateful step over {@code transport.bus-positions} (keyed by bus): keeps each bus's trip in a persistent
 * store and forwards the movements the {@link MovementDetector} finds. A wall-clock punctuator reports trackers
 * that went silent. Under exactly_once_v2 the store update and the forwarded movements commit together.
 */
public final class MovementDetection implements Processor<String, BusPositionRecorded, String, BusMovementDetected> {

    public static final String TRIPS_STORE = "bus-trips";

    private final MovementDetector detector;
    private final DetectionSettings settings;
    private ProcessorContext<String, BusMovementDetected> context;
    private KeyValueStore<String, TripState> trips;
    /**
     * The trips this processor read from or wrote to the store, as objects: a bus's trip is read for each of its
     * positions, and the store hands out a fresh decoded copy for a trip written before the last commit. Each entry
     * equals what the store holds (with the trips it holds until the commit, see {@link TripStore}): it is filled only
     * from the store or together with a write to it, and emptied whenever Kafka Streams (re)initialises or closes the
     * task, which it does whenever the store is restored or rolled back (an aborted exactly-once transaction closes the
     * task and restores its state). A position is applied to a copy, so a failure half-way changes neither.
     */
    private final Map<String, TripState> current = new HashMap<>();

    /**
     * The persistent, changelogged store of trips, keyed by bus. A trip changes with nearly every position: the
     * {@link TripStore} holds each bus's latest trip as an object and writes it to RocksDB and the changelog once per
     * commit, in the same exactly-once transaction as the positions that made it (Kafka's record cache, used before,
     * did the same but encoded the trip for every position). Kafka's cache is off: it would only copy the held trips.
     */
    public static StoreBuilder<KeyValueStore<String, TripState>> tripStore() {
        return TripStore.builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRIPS_STORE), Serdes.String(),
                TripStateSerde.create()).withCachingDisabled());
    }

    public MovementDetection(MovementDetector detector, DetectionSettings settings) {
        this.detector = detector;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, BusMovementDetected> context) {
        this.context = context;
        this.trips = context.getStateStore(TRIPS_STORE);
        current.clear();
        context.schedule(settings.silenceCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::reportSilentTrackers);
    }

    @Override
    public void process(Record<String, BusPositionRecorded> record) {
        BusPositionRecorded position = record.value();
        if (position == null) {
            throw new IllegalArgumentException("A position record has no value");
        }
        String busId = position.getBusId();
        TripState stored = current.get(busId);
        if (stored == null) {
            stored = trips.get(busId);
        }
        TripState trip = detector.tripFor(stored, position);
        if (trip == stored) {
            trip = stored.copy();
        }
        Long before = trip.lastRecordedAt;
        List<BusMovementDetected> movements = detector.observe(trip, position, context.currentSystemTimeMs());
        if (!Objects.equals(before, trip.lastRecordedAt)) {
            trips.put(busId, trip);
            current.put(busId, trip);
        } else if (stored != null) {
            current.put(busId, stored);
        }
        movements.forEach(movement -> context.forward(record.withKey(busId).withValue(movement)));
    }

    @Override
    public void close() {
        current.clear();
    }

    private void reportSilentTrackers(long now) {
        List<KeyValue<String, TripState>> silenced = new ArrayList<>();
        List<BusMovementDetected> reports = new ArrayList<>();
        try (KeyValueIterator<String, TripState> all = trips.all()) {
            all.forEachRemaining(entry -> {
                TripState trip = entry.value.copy();
                Optional<BusMovementDetected> silent = detector.checkSilence(trip, now);
                silent.ifPresent(report -> {
                    silenced.add(KeyValue.pair(entry.key, trip));
                    reports.add(report);
                });
            });
        }
        silenced.forEach(entry -> {
            trips.put(entry.key, entry.value);
            current.put(entry.key, entry.value);
        });
        reports.forEach(report -> context.forward(new Record<>(report.getBusId(), report, now)));
    }
}

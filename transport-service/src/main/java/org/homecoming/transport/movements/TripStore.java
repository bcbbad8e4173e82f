package org.homecoming.transport.movements;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The trip store with its writes held until the commit: a {@link #put} keeps the trip object, and each bus's latest
 * trip goes down to the persistent, changelogged store once, when Kafka Streams commits the task.
 *
 * <p>A bus's trip changes with nearly every position. Written per position, each change was encoded and put through
 * Kafka Streams' record cache (10% of the stream thread in the intake hop's profile), although only the last change
 * before a commit ever reached RocksDB and the changelog. Here the encoding happens once per bus per commit.
 *
 * <p>Exactly-once is kept: under {@code exactly_once_v2} a task's commit first flushes its stores' caches
 * ({@link #flushCache}, which Kafka Streams calls on the store it registered: this one, the outermost), then the
 * producer, then commits the transaction with the input offsets. So the changelog carries every trip as of each
 * commit, in the same transaction as the positions that made it. When a transaction is rolled back Kafka Streams
 * closes the task dirty and restores the store from the changelog; the held trips are dropped with it
 * ({@link #clearCache}, {@link #close}, {@link #init}), as the record cache's entries were.
 *
 * <p>A trip handed to {@link #put} must not be changed afterwards (the processor changes a copy): it may be read at
 * any time by an interactive query on another thread. {@link #get} and {@link #all} see the held trips; the other range
 * reads are not offered.
 */
final class TripStore extends WrappedStateStore<KeyValueStore<String, TripState>, String, TripState>
        implements KeyValueStore<String, TripState> {

    /** Trips put since the last commit, by bus; read by interactive queries on other threads, hence concurrent. */
    private final Map<String, TripState> held = new ConcurrentHashMap<>();

    TripStore(KeyValueStore<String, TripState> store) {
        super(store);
    }

    /** Builds a {@link TripStore} over what {@code store} builds (which should have Kafka's record cache off). */
    static StoreBuilder<KeyValueStore<String, TripState>> builder(StoreBuilder<KeyValueStore<String, TripState>> store) {
        return new Builder(store);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        held.clear();
        super.init(context, root);
    }

    @Override
    public void put(String busId, TripState trip) {
        if (trip == null) {
            delete(busId);
            return;
        }
        held.put(busId, trip);
    }

    @Override
    public TripState putIfAbsent(String busId, TripState trip) {
        TripState present = get(busId);
        if (present == null) {
            put(busId, trip);
        }
        return present;
    }

    @Override
    public void putAll(List<KeyValue<String, TripState>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public TripState delete(String busId) {
        TripState heldTrip = held.remove(busId);
        TripState stored = wrapped().delete(busId);
        return heldTrip != null ? heldTrip : stored;
    }

    @Override
    public TripState get(String busId) {
        TripState heldTrip = held.get(busId);
        return heldTrip != null ? heldTrip : wrapped().get(busId);
    }

    /** Every trip, the held ones over the stored ones; in no particular order (as {@code all()} promises none). */
    @Override
    public KeyValueIterator<String, TripState> all() {
        Map<String, TripState> heldNow = new HashMap<>(held);
        List<KeyValue<String, TripState>> trips = new ArrayList<>();
        try (KeyValueIterator<String, TripState> stored = wrapped().all()) {
            stored.forEachRemaining(entry -> {
                TripState heldTrip = heldNow.remove(entry.key);
                trips.add(heldTrip != null ? KeyValue.pair(entry.key, heldTrip) : entry);
            });
        }
        heldNow.forEach((busId, trip) -> trips.add(KeyValue.pair(busId, trip)));
        return new ListIterator(trips);
    }

    @Override
    public KeyValueIterator<String, TripState> range(String from, String to) {
        throw new UnsupportedOperationException("The trip store is read by bus or whole");
    }

    @Override
    public KeyValueIterator<String, TripState> reverseRange(String from, String to) {
        throw new UnsupportedOperationException("The trip store is read by bus or whole");
    }

    @Override
    public KeyValueIterator<String, TripState> reverseAll() {
        throw new UnsupportedOperationException("The trip store is read by bus or whole");
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, TripState> prefixScan(P prefix, PS prefixKeySerializer) {
        throw new UnsupportedOperationException("The trip store is read by bus or whole");
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + held.size();
    }

    /** At each commit, before the changelog is flushed and the transaction commits: the held trips go down. */
    @Override
    public void flushCache() {
        writeHeld();
        super.flushCache();
    }

    @Override
    public void flush() {
        writeHeld();
        super.flush();
    }

    /** Kafka Streams drops uncommitted cached state: the held trips go with it. */
    @Override
    public void clearCache() {
        held.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        held.clear();
        super.close();
    }

    /** Trips held now (for tests). */
    int heldCount() {
        return held.size();
    }

    private void writeHeld() {
        for (Map.Entry<String, TripState> entry : held.entrySet()) {
            wrapped().put(entry.getKey(), entry.getValue());
            // only now, so that a concurrent get finds the trip in one place or the other
            held.remove(entry.getKey(), entry.getValue());
        }
    }

    private static final class ListIterator implements KeyValueIterator<String, TripState> {
        private final Iterator<KeyValue<String, TripState>> entries;
        private KeyValue<String, TripState> next;

        ListIterator(List<KeyValue<String, TripState>> entries) {
            this.entries = entries.iterator();
        }

        @Override
        public boolean hasNext() {
            return next != null || entries.hasNext();
        }

        @Override
        public KeyValue<String, TripState> next() {
            if (next != null) {
                KeyValue<String, TripState> entry = next;
                next = null;
                return entry;
            }
            return entries.next();
        }

        @Override
        public String peekNextKey() {
            if (next == null) {
                if (!entries.hasNext()) {
                    throw new NoSuchElementException();
                }
                next = entries.next();
            }
            return next.key;
        }

        @Override
        public void close() {
            // nothing open: the stored trips were read when the iterator was made
        }
    }

    private static final class Builder implements StoreBuilder<KeyValueStore<String, TripState>> {
        private final StoreBuilder<KeyValueStore<String, TripState>> store;

        Builder(StoreBuilder<KeyValueStore<String, TripState>> store) {
            this.store = store;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, TripState>> withCachingEnabled() {
            store.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, TripState>> withCachingDisabled() {
            store.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, TripState>> withLoggingEnabled(Map<String, String> config) {
            store.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, TripState>> withLoggingDisabled() {
            store.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<String, TripState> build() {
            return new TripStore(store.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return store.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return store.loggingEnabled();
        }

        @Override
        public String name() {
            return store.name();
        }
    }
}

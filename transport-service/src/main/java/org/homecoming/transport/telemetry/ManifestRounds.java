package org.homecoming.transport.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.homecoming.events.transport.BusManifestRegistered;

/**
 * What intake validation needs of the manifests, kept per bus: the round the bus is registered for and the partner
 * whose trackers report it ({@code trackedBy}, see {@link Bus}). It fills a global
 * store from {@code transport.bus-manifests} (keyed by bus): a manifest sets its bus's round, a tombstone removes the
 * bus. Validation looks a bus up for every reading; keeping the whole manifest there cost an Avro decode of the
 * manifest, its list of persons included, per reading (5% of the stream thread with one person per manifest).
 *
 * <p>The store is in memory: Kafka Streams fills it through this processor, also when it loads the topic at start-up
 * (a store that {@code addGlobalStore} fills is restored by replaying its processor), and holds no more than a string
 * per bus.
 */
public final class ManifestRounds implements Processor<String, BusManifestRegistered, Void, Void> {

    public static final String STORE = "bus-manifest-rounds";

    private KeyValueStore<String, String> rounds;

    /** The separator of a store value's round and partner: no id has it (ids follow the entity-id rule). */
    private static final char SEPARATOR = '\u0000';

    /**
     * What the store knows of a bus: its round, the partner whose intake topic alone may report it (null: none may,
     * only transport's REST door), and when the manifest was registered (epoch milliseconds).
     */
    public record Bus(String round, String trackedBy, long registeredAt) {

        static Bus decode(String value) {
            int first = value.indexOf(SEPARATOR);
            int second = first < 0 ? -1 : value.indexOf(SEPARATOR, first + 1);
            if (second < 0) {
                return new Bus(first < 0 ? value : value.substring(0, first), first < 0 ? null : value.substring(first + 1), 0L);
            }
            String partner = value.substring(first + 1, second);
            return new Bus(value.substring(0, first), partner.isEmpty() ? null : partner,
                    Long.parseLong(value.substring(second + 1)));
        }

        String encode() {
            return round + SEPARATOR + (trackedBy == null ? "" : trackedBy) + SEPARATOR + registeredAt;
        }
    }

    /** The bus {@code busId} as its manifest registered it, or null when no manifest is read for it. */
    public static Bus bus(KeyValueStore<String, String> store, String busId) {
        String value = store.get(busId);
        return value == null ? null : Bus.decode(value);
    }

    /** Bus id → round id and tracking partner ({@link Bus#encode}), no changelog: the manifests topic is its source of truth. */
    public static StoreBuilder<KeyValueStore<String, String>> store() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.String())
                .withLoggingDisabled();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        rounds = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, BusManifestRegistered> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            rounds.delete(record.key());
            return;
        }
        long registeredAt = record.value().getRegisteredAt().toEpochMilli();
        Bus current = bus(rounds, record.key());
        if (current != null && registeredAt < current.registeredAt()) {
            // The ledger keeps the manifest registered last, whatever the order on the topic (two instances registering
            // the same bus at once stamp it each by its own clock): so does this store, or the two disagreed for good
            // on the bus's round, readings stamped with one round and hand-overs checked against the other.
            return;
        }
        rounds.put(record.key(), new Bus(record.value().getRoundId(), record.value().getTrackedBy(), registeredAt).encode());
    }

    /**
     * Deletes the global state an earlier version left in {@code globalStateDir} ({@code <state.dir>/<application.id>/global}):
     * a persistent copy of the whole manifests, and its checkpoint. Kafka Streams resumes a global store's topic from
     * the checkpointed offset whatever the store, so that checkpoint would leave this in-memory store without the
     * manifests read before it. Nothing there is needed now: the store is filled from the topic at every start.
     */
    public static void forgetPersistedManifests(Path globalStateDir) {
        if (!Files.isDirectory(globalStateDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(globalStateDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the old global state in " + globalStateDir, e);
        }
    }
}

package org.homecoming.transport.movements;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.platform.holding.HoldingSettings;
import org.homecoming.transport.telemetry.ManifestRounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks, of every movement transport detects, those a partner may read: the movements of a bus whose manifest names
 * that partner ({@code trackedBy}) for the movement's round, each bound for the partner's own topic
 * ({@link Topics#busMovementsFor}). Partners may not read {@code transport.bus-movements}: it shows where every bus of
 * the exchange is, and one captured partner credential would show it all. What a partner reads here its trackers told
 * transport in the first place.
 *
 * <p>It runs in the same stream task as the detection, so a movement and its partner's copy are written in one
 * transaction ({@code exactly_once_v2}): a partner never reads a movement that {@code transport.bus-movements} does not
 * hold, and a crash loses or doubles neither. The manifests come from the intake's global store ({@link ManifestRounds}),
 * which a reading through a partner's intake needs anyway. A reading through transport's REST door, or a reception
 * sighting, does not wait for it: a movement detected before the store has read its bus's manifest (registered a
 * moment before) is held in the task's own changelogged store ({@link #HELD_STORE}, committed in the same transaction
 * as the offsets and the outputs), and goes to its partner once the manifest is read: at the bus's next movement, or
 * at the next check ({@code homecoming.holding.check-every}). A later movement of a bus with a held one is held behind
 * it, so the partner reads a bus's movements in the order transport detected them. The hold is bounded in count and
 * bytes, and in time: a movement whose manifest is not read within {@code homecoming.holding.window} is given up with
 * a warning (the local stack's history check counts every copy, and would report it).
 *
 * <p>Goes to no partner: a movement of a bus whose manifest names no partner (positioned through the REST door), or one
 * no longer configured, or one of a bus registered since for another round (its manifest may name another partner,
 * who never tracked the trip the movement belongs to).
 */
public final class PartnerMovements implements Processor<String, BusMovementDetected, String, PartnerMovements.Shared> {

    public static final String HELD_STORE = "held-partner-movements";
    private static final Logger log = LoggerFactory.getLogger(PartnerMovements.class);
    /** Between a bus id (which follows the entity-id rule, so never has it) and the held movement's sequence number. */
    private static final char SEPARATOR = '|';
    /** A held row's value starts with when its hold ends and the movement's record timestamp, then the movement. */
    private static final int HEADER_BYTES = 2 * Long.BYTES;

    /** A movement and the partner whose topic it goes to. */
    public record Shared(String partner, BusMovementDetected movement) {
    }

    private final Set<String> partners;
    private final HoldingSettings holding;
    private final long capacityBytes;
    private final Serde<BusMovementDetected> movements;
    private final MissedPartnerMovements missed;
    private ProcessorContext<String, Shared> context;
    private KeyValueStore<String, String> manifests;
    private KeyValueStore<String, byte[]> held;
    /** The held rows and their bytes, counted afresh at every init (after a restore or a rollback) and kept since. */
    private long heldCount;
    private long heldBytes;
    /** The next held row's sequence number: above every one in the store, so a bus's rows sort in the order held. */
    private long next;

    /**
     * @param partners      the configured partners: a manifest naming any other sends the movement to no one
     * @param holding       how long a movement whose bus's manifest is not read yet is held, how many at most, and how
     *                      often the held ones are checked
     * @param capacityBytes what the held movements may take at most, keys and values as stored
     * @param movements     the movements' value serde: held movements are kept encoded as on {@code transport.bus-movements}
     * @param missed        where a movement given up is counted
     */
    public PartnerMovements(Set<String> partners, HoldingSettings holding, long capacityBytes,
                            Serde<BusMovementDetected> movements, MissedPartnerMovements missed) {
        this.partners = Set.copyOf(partners);
        this.holding = holding;
        this.capacityBytes = capacityBytes;
        this.movements = movements;
        this.missed = missed;
    }

    /**
     * The held movements, keyed {@code <busId>|<sequence, 19 digits>} so that a bus's rows are together and in the order
     * they were held; the value is {@code <until><timestamp>} (two longs) and the movement as encoded on
     * {@code transport.bus-movements}. Changelogged: it commits with the input offsets (exactly_once_v2), so a movement
     * held when a crash comes is still held after it, and one forwarded is no longer.
     */
    public static StoreBuilder<KeyValueStore<String, byte[]>> heldStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HELD_STORE), Serdes.String(), Serdes.ByteArray());
    }

    @Override
    public void init(ProcessorContext<String, Shared> context) {
        this.context = context;
        this.manifests = context.getStateStore(ManifestRounds.STORE);
        this.held = context.getStateStore(HELD_STORE);
        heldCount = 0;
        heldBytes = 0;
        next = 0;
        try (KeyValueIterator<String, byte[]> entries = held.all()) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                heldCount++;
                heldBytes += footprint(entry.key, entry.value);
                next = Math.max(next, sequence(entry.key) + 1);
            }
        }
        context.schedule(holding.checkEvery(), PunctuationType.WALL_CLOCK_TIME, this::checkHeld);
    }

    @Override
    public void process(Record<String, BusMovementDetected> record) {
        BusMovementDetected movement = record.value();
        if (record.key() == null || movement == null) {
            return;
        }
        String busId = record.key();
        ManifestRounds.Bus bus = ManifestRounds.bus(manifests, busId);
        if (bus != null) {
            // the manifest is read now: what was held of this bus goes first, so this movement does not overtake it
            releaseHeld(busId, bus);
            // the record as detected, headers included: a partner's copy carries the same trace as the movement
            share(busId, bus, record, false);
            return;
        }
        hold(busId, movement, record.timestamp());
    }

    /**
     * Holds a movement of a bus whose manifest is not read yet, behind any of the bus's held ones. A full hold gives it
     * up at once, saying so: failing the task instead would stop every bus's movements for one partner's copy.
     */
    private void hold(String busId, BusMovementDetected movement, long timestamp) {
        String key = busId + SEPARATOR + String.format("%019d", next);
        byte[] encoded = movements.serializer().serialize(Topics.BUS_MOVEMENTS.name(), movement);
        long until = context.currentSystemTimeMs() + holding.window().toMillis();
        byte[] value = ByteBuffer.allocate(HEADER_BYTES + encoded.length).putLong(until).putLong(timestamp).put(encoded).array();
        long footprint = footprint(key, value);
        if (heldCount >= holding.capacity() || heldBytes + footprint > capacityBytes) {
            log.warn("Movement {} of bus {} (round {}) goes to no partner: its bus's manifest is not read yet, and the"
                            + " hold of partners' movements is full ({} movements, {} bytes; at most {} and {} bytes)",
                    movement.getMovement(), busId, movement.getRoundId(), heldCount, heldBytes, holding.capacity(), capacityBytes);
            missed.missed(MissedPartnerMovements.Reason.HOLD_FULL);
            return;
        }
        held.put(key, value);
        next++;
        heldCount++;
        heldBytes += footprint;
    }

    /**
     * Every {@code check-every}: the held movements of a bus whose manifest is read now go to its partner (or to no one,
     * by the rules of {@link #process}), in the order held; those of a bus still unknown whose time is up are given up.
     * One pass with the store's iterator, deleting behind it (its iterators read a snapshot and tolerate that); a bus's
     * rows are next to each other, so its manifest is looked up once for them.
     */
    private void checkHeld(long now) {
        String busId = null;
        ManifestRounds.Bus bus = null;
        try (KeyValueIterator<String, byte[]> entries = held.all()) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                String rowBus = entry.key.substring(0, entry.key.lastIndexOf(SEPARATOR));
                if (!rowBus.equals(busId)) {
                    busId = rowBus;
                    bus = ManifestRounds.bus(manifests, busId);
                }
                ByteBuffer value = ByteBuffer.wrap(entry.value);
                long until = value.getLong();
                long timestamp = value.getLong();
                if (bus != null) {
                    share(busId, bus, new Record<>(busId, movement(entry.value), timestamp), true);
                    release(entry);
                } else if (until <= now) {
                    BusMovementDetected movement = movement(entry.value);
                    log.warn("Movement {} of bus {} (round {}) goes to no partner: no manifest of the bus was read within"
                                    + " the holding window ({} s) it was held for; the partner tracking the bus, if any, misses it",
                            movement.getMovement(), busId, movement.getRoundId(), holding.window().toSeconds());
                    missed.missed(MissedPartnerMovements.Reason.NO_MANIFEST_IN_WINDOW);
                    release(entry);
                }
            }
        }
    }

    /** Sends every held movement of {@code busId}, whose manifest is read now, on by the rules, in the order held. */
    private void releaseHeld(String busId, ManifestRounds.Bus bus) {
        if (heldCount == 0) {
            // nearly always: spares every movement a RocksDB iterator
            return;
        }
        try (KeyValueIterator<String, byte[]> entries = held.prefixScan(busId + SEPARATOR, Serdes.String().serializer())) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                ByteBuffer value = ByteBuffer.wrap(entry.value);
                value.getLong();
                share(busId, bus, new Record<>(busId, movement(entry.value), value.getLong()), true);
                release(entry);
            }
        }
    }

    /**
     * The one place that decides whether a movement goes to a partner: to the partner its bus's manifest names, if
     * configured, when the manifest is for the movement's round. A held one that goes to no one is logged (bus ids and
     * rounds only), since it waited for this answer; one decided at once is not (the REST door's buses are most). A held
     * movement is kept without its headers, so its copy carries no trace context: only the movement and its timestamp.
     */
    private void share(String busId, ManifestRounds.Bus bus, Record<String, BusMovementDetected> detected, boolean wasHeld) {
        BusMovementDetected movement = detected.value();
        String refusal = bus.trackedBy() == null ? "its manifest names no partner"
                : !partners.contains(bus.trackedBy()) ? "the partner its manifest names is not configured"
                : !bus.round().equals(movement.getRoundId()) ? "its bus's manifest is for round " + bus.round() + " now"
                : null;
        if (refusal == null) {
            context.forward(detected.withKey(busId).withValue(new Shared(bus.trackedBy(), movement)));
        } else if (wasHeld) {
            log.info("Movement {} of bus {} (round {}), held until its bus's manifest was read, goes to no partner: {}",
                    movement.getMovement(), busId, movement.getRoundId(), refusal);
        }
    }

    private BusMovementDetected movement(byte[] value) {
        return movements.deserializer().deserialize(Topics.BUS_MOVEMENTS.name(),
                Arrays.copyOfRange(value, HEADER_BYTES, value.length));
    }

    private void release(KeyValue<String, byte[]> entry) {
        held.delete(entry.key);
        heldCount--;
        heldBytes -= footprint(entry.key, entry.value);
    }

    private static long sequence(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(SEPARATOR) + 1));
    }

    /** What a held movement takes in the store and its changelog: its key and value as stored. */
    private static long footprint(String key, byte[] value) {
        return key.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
    }

    /** The partner's topic a shared movement goes to. */
    public static TopicNameExtractor<String, Shared> topic() {
        return (busId, shared, recordContext) -> Topics.busMovementsFor(shared.partner()).name();
    }

    /**
     * Writes the movement alone, with the movements' own serializer: the partner's topic carries a movement as
     * {@code transport.bus-movements} does, under its own subject. Never read back by transport, so it has no deserializer.
     */
    public static Serde<Shared> serde(Serde<BusMovementDetected> movements) {
        Serializer<BusMovementDetected> inner = movements.serializer();
        Serializer<Shared> outer = new Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                // the movements' serde comes configured (TopicSerdes): configuring it again would open a second client
            }

            @Override
            public byte[] serialize(String topic, Shared shared) {
                return inner.serialize(topic, shared == null ? null : shared.movement());
            }

            @Override
            public byte[] serialize(String topic, Headers headers, Shared shared) {
                return inner.serialize(topic, headers, shared == null ? null : shared.movement());
            }

            @Override
            public void close() {
                inner.close();
            }
        };
        return Serdes.serdeFrom(outer, (topic, bytes) -> {
            throw new UnsupportedOperationException("transport never reads a partner's movements topic back");
        });
    }
}

package org.homecoming.transport.movements;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusMovementDetected;
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
 * moment before) goes to no partner, and is logged as such (the local stack's history check counts every copy).
 *
 * <p>Goes to no partner: a movement of a bus whose manifest names no partner (positioned through the REST door), or one
 * no longer configured, or one of a bus registered since for another round (its manifest may name another partner,
 * who never tracked the trip the movement belongs to).
 */
public final class PartnerMovements implements Processor<String, BusMovementDetected, String, PartnerMovements.Shared> {

    private static final Logger log = LoggerFactory.getLogger(PartnerMovements.class);

    /** A movement and the partner whose topic it goes to. */
    public record Shared(String partner, BusMovementDetected movement) {
    }

    private final Set<String> partners;
    private ProcessorContext<String, Shared> context;
    private KeyValueStore<String, String> manifests;

    public PartnerMovements(Set<String> partners) {
        this.partners = Set.copyOf(partners);
    }

    @Override
    public void init(ProcessorContext<String, Shared> context) {
        this.context = context;
        this.manifests = context.getStateStore(ManifestRounds.STORE);
    }

    @Override
    public void process(Record<String, BusMovementDetected> record) {
        BusMovementDetected movement = record.value();
        if (record.key() == null || movement == null) {
            return;
        }
        ManifestRounds.Bus bus = ManifestRounds.bus(manifests, record.key());
        if (bus == null) {
            log.warn("Movement {} of bus {} (round {}) goes to no partner: the bus's manifest is not read yet",
                    movement.getMovement(), record.key(), movement.getRoundId());
            return;
        }
        if (bus.trackedBy() == null || !partners.contains(bus.trackedBy())
                || !bus.round().equals(movement.getRoundId())) {
            return;
        }
        context.forward(record.withValue(new Shared(bus.trackedBy(), movement)));
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

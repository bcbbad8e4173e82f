package org.homecoming.transport.streams;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.platform.kafka.TopicSerdes;
import org.homecoming.platform.observability.RepeatedReports;
import org.homecoming.platform.registry.RegistryWait;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MovementDetection;
import org.homecoming.transport.movements.MovementDetector;
import org.homecoming.transport.movements.MissedPartnerMovements;
import org.homecoming.transport.movements.PartnerMovements;
import org.homecoming.transport.telemetry.IntakeValidation;
import org.homecoming.transport.telemetry.ManifestRounds;
import org.homecoming.transport.telemetry.ReadingHold;
import org.homecoming.transport.telemetry.ReadingValidator;

/**
 * Transport's stream processing, in two steps:
 * <ol>
 *   <li>each configured partner's {@code intake.bus-positions.<partner>} → validate against the manifests (their rounds
 *       and tracking partners by bus, a global store, whose reading waits out a schema registry outage: see
 *       {@link RegistryWait}) → {@code transport.bus-positions}
 *       (bad readings, and readings of a bus the manifest binds to another partner or to none, go to the topic's
 *       {@code -dlt} through the platform's processing handler; readings of a bus whose manifest is not read yet are
 *       held in a store for a bounded time, each partner's within its own share of it). The partners are a configured
 *       list, not a topic pattern: each one's topic is created and checked at start-up like every catalogue topic, and
 *       no dead-letter topic can match by accident.
 *       With no partner configured there is no Kafka intake; positions come only through the REST door;</li>
 *   <li>{@code transport.bus-positions} → detect movements with a persistent per-bus trip store →
 *       {@code transport.bus-movements}, and each movement of a bus a partner tracks to that partner's
 *       {@code outbound.bus-movements.<partner>} ({@link PartnerMovements}), the only movements a partner may read (a
 *       movement of a bus whose manifest is not read yet is held in a store, within the same bounds as the readings,
 *       and goes on once it is, in order with the bus's later ones).</li>
 * </ol>
 * Serdes come from the catalogue's typed topics through {@link TopicSerdes}: production passes the registry's Avro
 * serdes, tests pass plain Avro binary serdes.
 */
public final class TransportTopology {

    private TransportTopology() {
    }

    /**
     * @param partners the partner principals whose intake topics are read (see {@link Topics#busPositionIntake})
     * @param missed   where a partner's movement given up is counted
     */
    public static KStream<String, BusMovementDetected> addTo(StreamsBuilder builder, TopicSerdes serdes, List<String> partners,
            ReadingValidator validator, ReadingHold hold, MovementDetector detector, DetectionSettings settings,
            MissedPartnerMovements missed) {
        return addTo(builder, serdes, partners, new RegistryWait(), validator, hold, detector, settings, missed);
    }

    /**
     * The topology, whose manifests are read through {@code manifestsWait}: the global store's thread cannot be replaced
     * by Kafka Streams, so it waits out a registry outage instead of failing (which stopped the whole stream processor).
     *
     * @param partners the partner principals whose intake topics are read (see {@link Topics#busPositionIntake})
     * @param missed   where a partner's movement given up is counted
     */
    public static KStream<String, BusMovementDetected> addTo(StreamsBuilder builder, TopicSerdes serdes, List<String> partners,
            RegistryWait manifestsWait, ReadingValidator validator, ReadingHold hold, MovementDetector detector,
            DetectionSettings settings, MissedPartnerMovements missed) {
        if (!partners.isEmpty()) {
            Serde<BusManifestRegistered> manifests = serdes.values(Topics.BUS_MANIFESTS);
            builder.addGlobalStore(ManifestRounds.store(), Topics.BUS_MANIFESTS.name(),
                    Consumed.with(serdes.keys(Topics.BUS_MANIFESTS),
                            Serdes.serdeFrom(manifests.serializer(), manifestsWait.patient(manifests.deserializer()))),
                    ManifestRounds::new);
            builder.addStateStore(IntakeValidation.heldStore());
            // every partner's topic has the same key and value types, and so the same serdes
            Topic<String, BusPositionReported> intake = Topics.busPositionIntake(partners.get(0));
            List<String> topics = partners.stream().distinct().map(partner -> Topics.busPositionIntake(partner).name()).toList();
            // each partner gets its share of the hold; a capacity too small to share is refused here, at start-up,
            // rather than by every stream task that starts
            hold.shares(topics.size());
            RepeatedReports refusals = IntakeValidation.refusalLog();
            builder.stream(topics, serdes.consumed(intake))
                    .process(() -> new IntakeValidation(validator, hold, serdes.values(intake), Set.copyOf(topics), refusals),
                            IntakeValidation.HELD_STORE)
                    .to(Topics.BUS_POSITIONS.name(), serdes.produced(Topics.BUS_POSITIONS));
        }

        builder.addStateStore(MovementDetection.tripStore());
        KStream<String, BusMovementDetected> movements = builder
                .stream(Topics.BUS_POSITIONS.name(), serdes.consumed(Topics.BUS_POSITIONS))
                .process(() -> new MovementDetection(detector, settings), MovementDetection.TRIPS_STORE);
        movements.to(Topics.BUS_MOVEMENTS.name(), serdes.produced(Topics.BUS_MOVEMENTS));
        if (!partners.isEmpty()) {
            builder.addStateStore(PartnerMovements.heldStore());
            movements.process(() -> new PartnerMovements(Set.copyOf(partners), hold.settings(), hold.capacityBytes(),
                            serdes.values(Topics.BUS_MOVEMENTS), missed), PartnerMovements.HELD_STORE)
                    .to(PartnerMovements.topic(), Produced.with(serdes.keys(Topics.BUS_MOVEMENTS),
                            PartnerMovements.serde(serdes.values(Topics.BUS_MOVEMENTS))));
        }
        return movements;
    }
}

package org.homecoming.transport.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.platform.registry.RegistryWait;
import org.homecoming.platform.kafka.TopicSerdes;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MovementDetection;
import org.homecoming.transport.movements.MovementDetector;
import org.homecoming.transport.telemetry.IntakeValidation;
import org.homecoming.transport.telemetry.ManifestRounds;
import org.homecoming.transport.telemetry.ReadingHold;
import org.homecoming.transport.telemetry.ReadingValidator;

/**
 * Transport's stream processing, in two steps:
 * <ol>
 *   <li>{@code intake.bus-positions} → validate against the manifests (their rounds by bus, a global store, whose
 *       reading waits out a schema registry outage: see {@link RegistryWait}) →
 *       {@code transport.bus-positions}
 *       (bad readings go to {@code intake.bus-positions-dlt} through the platform's processing handler; readings
 *       of a bus whose manifest is not read yet are held in a store for a bounded time);</li>
 *   <li>{@code transport.bus-positions} → detect movements with a persistent per-bus trip store →
 *       {@code transport.bus-movements}.</li>
 * </ol>
 * Serdes come from the catalogue's typed topics through {@link TopicSerdes}: production passes the registry's Avro
 * serdes, tests pass plain Avro binary serdes.
 */
public final class TransportTopology {

    private TransportTopology() {
    }

    public static KStream<String, BusMovementDetected> addTo(StreamsBuilder builder, TopicSerdes serdes,
            ReadingValidator validator, ReadingHold hold, MovementDetector detector, DetectionSettings settings) {
        return addTo(builder, serdes, new RegistryWait(), validator, hold, detector, settings);
    }

    /**
     * The topology, whose manifests are read through {@code manifestsWait}: the global store's thread cannot be replaced
     * by Kafka Streams, so it waits out a registry outage instead of failing (which stopped the whole stream processor).
     */
    public static KStream<String, BusMovementDetected> addTo(StreamsBuilder builder, TopicSerdes serdes,
            RegistryWait manifestsWait, ReadingValidator validator, ReadingHold hold, MovementDetector detector,
            DetectionSettings settings) {
        Serde<BusManifestRegistered> manifests = serdes.values(Topics.BUS_MANIFESTS);
        builder.addGlobalStore(ManifestRounds.store(), Topics.BUS_MANIFESTS.name(),
                Consumed.with(serdes.keys(Topics.BUS_MANIFESTS),
                        Serdes.serdeFrom(manifests.serializer(), manifestsWait.patient(manifests.deserializer()))),
                ManifestRounds::new);
        builder.addStateStore(IntakeValidation.heldStore());
        builder.stream(Topics.BUS_POSITION_INTAKE.name(), serdes.consumed(Topics.BUS_POSITION_INTAKE))
                .process(() -> new IntakeValidation(validator, hold, serdes.values(Topics.BUS_POSITION_INTAKE)), IntakeValidation.HELD_STORE)
                .to(Topics.BUS_POSITIONS.name(), serdes.produced(Topics.BUS_POSITIONS));

        builder.addStateStore(MovementDetection.tripStore());
        KStream<String, BusMovementDetected> movements = builder
                .stream(Topics.BUS_POSITIONS.name(), serdes.consumed(Topics.BUS_POSITIONS))
                .process(() -> new MovementDetection(detector, settings), MovementDetection.TRIPS_STORE);
        movements.to(Topics.BUS_MOVEMENTS.name(), serdes.produced(Topics.BUS_MOVEMENTS));
        return movements;
    }
}

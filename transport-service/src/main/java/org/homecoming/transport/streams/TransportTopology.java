package org.homecoming.transport.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MovementDetection;
import org.homecoming.transport.movements.MovementDetector;
import org.homecoming.transport.telemetry.IntakeValidation;
import org.homecoming.transport.telemetry.ReadingValidator;

/**
 * Transport's stream processing, in two steps:
 * <ol>
 *   <li>{@code intake.bus-positions} → validate against the manifests → {@code transport.bus-positions}
 *       (bad readings go to {@code intake.bus-positions-dlt} through the platform's processing handler);</li>
 *   <li>{@code transport.bus-positions} → detect movements with a persistent per-bus trip store →
 *       {@code transport.bus-movements}.</li>
 * </ol>
 * Serdes are parameters: production passes the registry's Avro serdes, tests pass plain Avro binary serdes.
 */
public final class TransportTopology {

    /** The Avro serdes of the topics the topology reads and writes. */
    public record EventSerdes(Serde<BusManifestRegistered> manifests, Serde<BusPositionReported> reported,
                              Serde<BusPositionRecorded> recorded, Serde<BusMovementDetected> movements) {
    }

    private TransportTopology() {
    }

    public static KStream<String, BusMovementDetected> addTo(StreamsBuilder builder, EventSerdes serdes,
            ReadingValidator validator, MovementDetector detector, DetectionSettings settings) {
        builder.globalTable(Topics.BUS_MANIFESTS.name(), Consumed.with(Serdes.String(), serdes.manifests()),
                Materialized.<String, BusManifestRegistered, KeyValueStore<Bytes, byte[]>>as(IntakeValidation.MANIFESTS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serdes.manifests()));
        builder.stream(Topics.BUS_POSITION_INTAKE.name(), Consumed.with(Serdes.String(), serdes.reported()))
                .process(() -> new IntakeValidation(validator))
                .to(Topics.BUS_POSITIONS.name(), Produced.with(Serdes.String(), serdes.recorded()));

        builder.addStateStore(MovementDetection.tripStore());
        KStream<String, BusMovementDetected> movements = builder
                .stream(Topics.BUS_POSITIONS.name(), Consumed.with(Serdes.String(), serdes.recorded()))
                .process(() -> new MovementDetection(detector, settings), MovementDetection.TRIPS_STORE);
        movements.to(Topics.BUS_MOVEMENTS.name(), Produced.with(Serdes.String(), serdes.movements()));
        return movements;
    }
}

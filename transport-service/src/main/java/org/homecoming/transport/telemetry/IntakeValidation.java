package org.homecoming.transport.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.BusPositionReported;

/**
 * Validates partner readings from {@code intake.bus-positions} and republishes the good ones, keyed by bus, as
 * {@code BusPositionRecorded} with the bus's round. Manifests come from a global store that Kafka Streams loads
 * fully before processing starts, so a restart never mistakes a known bus for an unknown one.
 */
public final class IntakeValidation implements Processor<String, BusPositionReported, String, BusPositionRecorded> {

    public static final String MANIFESTS_STORE = "bus-manifests";

    private final ReadingValidator validator;
    private ProcessorContext<String, BusPositionRecorded> context;
    private TimestampedKeyValueStore<String, BusManifestRegistered> manifests;

    public IntakeValidation(ReadingValidator validator) {
        this.validator = validator;
    }

    @Override
    public void init(ProcessorContext<String, BusPositionRecorded> context) {
        this.context = context;
        this.manifests = context.getStateStore(MANIFESTS_STORE);
    }

    @Override
    public void process(Record<String, BusPositionReported> record) {
        BusPositionReported reported = record.value();
        if (reported == null) {
            throw new RejectedReadingException("the record has no value");
        }
        ValueAndTimestamp<BusManifestRegistered> manifest = reported.getBusId() == null ? null : manifests.get(reported.getBusId());
        Reading reading = new Reading(reported.getLatitude(), reported.getLongitude(), reported.getSpeedKmh(), reported.getRecordedAt());
        List<ReadingValidator.Problem> problems = new ArrayList<>(validator.busProblems(reported.getBusId(), manifest != null));
        problems.addAll(validator.readingProblems(reading, Instant.ofEpochMilli(context.currentSystemTimeMs())));
        if (!problems.isEmpty()) {
            throw new RejectedReadingException(problems.stream().map(ReadingValidator.Problem::toString).collect(Collectors.joining("; ")));
        }
        BusPositionRecorded recorded = BusPositionRecorded.newBuilder()
                .setBusId(reported.getBusId())
                .setRoundId(manifest.value().getRoundId())
                .setLatitude(reported.getLatitude())
                .setLongitude(reported.getLongitude())
                .setSpeedKmh(reported.getSpeedKmh())
                .setRecordedAt(reported.getRecordedAt())
                .build();
        context.forward(record.withKey(reported.getBusId()).withValue(recorded));
    }
}

package org.homecoming.transport.telemetry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.ProblemAccessResponses;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.telemetry.RefusedDevices.Refusal;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.homecoming.platform.kafka.FencedTransactions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Accepts a batch of readings for one bus from transport's REST door (the scenario's simulated trackers use it too).
 * A bus takes them only from tokens issued to the tracker client its manifest names ({@code trackerClient}): a bus
 * whose manifest names none is positioned by no device over REST, as a bus whose manifest names no partner
 * ({@code trackedBy}) is positioned by no partner over Kafka. One device's credentials, captured on the road, then
 * walk no bus but its own to the border. Every reading is checked by
 * the same {@link ReadingValidator} the intake topic uses; one bad reading rejects the whole batch, and a good batch
 * is published to {@code transport.bus-positions} in one transaction. A reading already published for the bus
 * (same recording time) is not published again, so a re-sent batch adds nothing.
 */
@Service
public class PositionIntake {

    /** How many recording times per bus are remembered to drop re-sent readings (about an hour at 4 a minute). */
    private static final int REMEMBERED_PER_BUS = 256;
    /** A tracker sends a few readings a minute; a larger batch is a replay that belongs on the intake topic. */
    static final int MAX_BATCH = 1_000;

    private final TransportLedger ledger;
    private final ReadingValidator validator;
    private final KafkaTemplate<String, Object> kafka;
    private final Clock clock;
    private final RefusedDevices refusedDevices;
    private final Map<String, LinkedHashSet<Long>> published = new ConcurrentHashMap<>();

    private final ProducerFactory<String, Object> producers;
    private final RecentReadings recent;

    /** Without a producer factory (unit tests with a mocked template): the filter is this instance's memory only. */
    PositionIntake(TransportLedger ledger, ReadingValidator validator, KafkaTemplate<String, Object> kafka, Clock clock,
                   AuditTrail audit) {
        this(ledger, validator, kafka, clock, audit, null, null, null);
    }

    /**
     * With several instances, a bus's readings may reach any of them: the filter is then decided under the bus's
     * transactional id ({@code transport-positions-<busId>}, see {@link FencedTransactions}) against the times the
     * topic already holds, so a reading sent to two instances is published once.
     */
    @Autowired
    PositionIntake(TransportLedger ledger, ReadingValidator validator, KafkaTemplate<String, Object> kafka, Clock clock,
                   AuditTrail audit, ObjectProvider<MeterRegistry> meters, ProducerFactory<String, Object> producers,
                   KafkaProperties properties) {
        this.refusedDevices = new RefusedDevices(audit, clock, meters == null ? null : meters.getIfAvailable());
        this.ledger = ledger;
        this.validator = validator;
        this.kafka = kafka;
        this.clock = clock;
        this.producers = producers;
        this.recent = properties == null ? null : new RecentReadings(properties, REMEMBERED_PER_BUS);
    }

    @PreDestroy
    void close() {
        if (recent != null) {
            recent.close();
        }
    }

    /**
     * Validates and publishes the batch; returns how many readings were published (re-sent ones are not).
     *
     * @param client the OAuth2 client the caller's token was issued to (empty: the token names none)
     * @throws ErrorResponseException 403 unless the bus's manifest names the token's client: another client, none, or no
     *         manifest at all, in the same words
     */
    public int accept(String busId, Optional<String> client, List<Reading> readings) {
        EntityId.require("busId", busId); // a malformed id is told as such: its shape is public, and it is never audited
        ledger.requireCaughtUp();
        Optional<BusManifestRegistered> manifest = ledger.manifest(busId);
        String boundTo = manifest.map(BusManifestRegistered::getTrackerClient).orElse(null);
        if (boundTo == null || client.filter(boundTo::equals).isEmpty()) {
            refusedDevices.refused(busId, client, manifest.isEmpty() ? Refusal.UNKNOWN_BUS
                    : boundTo == null ? Refusal.NO_TRACKER_CLIENT : Refusal.OTHER_TRACKER_CLIENT, readings == null ? 0 : readings.size());
            // One answer for the three refusals, checked before the readings: a device learns neither which buses exist
            // nor which device another bus is bound to, nor anything of the readings.
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Only the tracker client that bus "
                    + busId + "'s registered manifest names (trackerClient) may report its positions, and this token was not"
                    + " issued to it; nothing was published");
            problem.setType(ProblemAccessResponses.FORBIDDEN);
            problem.setTitle("Forbidden");
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
        }
        List<Violation> violations = new ArrayList<>();
        if (readings == null || readings.isEmpty()) {
            violations.add(Violation.of("body", "the batch has no readings"));
        } else if (readings.size() > MAX_BATCH) {
            violations.add(Violation.of("body", "the batch has " + readings.size() + " readings; at most " + MAX_BATCH
                    + " are accepted at once"));
        } else {
            for (int index = 0; index < readings.size(); index++) {
                Reading reading = readings.get(index);
                if (reading == null) {
                    violations.add(Violation.atRow(index, "reading", "the reading is empty"));
                    continue;
                }
                for (ReadingValidator.Problem problem : validator.readingProblems(reading, clock.instant())) {
                    violations.add(Violation.atRow(index, problem.field(), problem.reason()));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The batch has " + violations.size() + " problem(s); nothing was published", violations);
        }
        if (producers != null) {
            return acceptFenced(busId, readings, manifest.orElseThrow().getRoundId());
        }
        LinkedHashSet<Long> seen = published.computeIfAbsent(busId, id -> new LinkedHashSet<>());
        synchronized (seen) {
            List<BusPositionRecorded> fresh = new ArrayList<>();
            for (Reading reading : readings) {
                long recordedAt = reading.recordedAt().toEpochMilli();
                if (!seen.contains(recordedAt) && fresh.stream().noneMatch(f -> f.getRecordedAt().toEpochMilli() == recordedAt)) {
                    fresh.add(BusPositionRecorded.newBuilder()
                            .setBusId(busId)
                            .setRoundId(manifest.orElseThrow().getRoundId())
                            .setLatitude(reading.latitude())
                            .setLongitude(reading.longitude())
                            .setSpeedKmh(reading.speedKmh())
                            .setRecordedAt(reading.recordedAt())
                            .build());
                }
            }
            if (!fresh.isEmpty()) {
                kafka.executeInTransaction(operations -> {
                    fresh.forEach(position -> operations.send(Topics.BUS_POSITIONS.name(), busId, position));
                    return null;
                });
            }
            fresh.forEach(position -> seen.add(position.getRecordedAt().toEpochMilli()));
            for (Iterator<Long> oldest = seen.iterator(); seen.size() > REMEMBERED_PER_BUS; ) {
                oldest.next();
                oldest.remove();
            }
            return fresh.size();
        }
    }

    private int acceptFenced(String busId, List<Reading> readings, String roundId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return FencedTransactions.run(producers, "transport-positions-" + busId, template -> {
                    // read after taking the bus's id: every reading another instance published before is on the topic
                    Set<Long> seen = recent.of(busId);
                    List<BusPositionRecorded> fresh = new ArrayList<>();
                    for (Reading reading : readings) {
                        long recordedAt = reading.recordedAt().toEpochMilli();
                        if (!seen.contains(recordedAt) && fresh.stream().noneMatch(f -> f.getRecordedAt().toEpochMilli() == recordedAt)) {
                            fresh.add(BusPositionRecorded.newBuilder().setBusId(busId).setRoundId(roundId)
                                    .setLatitude(reading.latitude()).setLongitude(reading.longitude())
                                    .setSpeedKmh(reading.speedKmh()).setRecordedAt(reading.recordedAt()).build());
                        }
                    }
                    if (!fresh.isEmpty()) {
                        template.executeInTransaction(operations -> {
                            fresh.forEach(position -> operations.send(Topics.BUS_POSITIONS.name(), busId, position));
                            return null;
                        });
                        recent.published(busId, fresh.stream().map(position -> position.getRecordedAt().toEpochMilli()).toList());
                    }
                    return fresh.size();
                });
            } catch (FencedTransactions.FencedOutException fenced) {
                // another instance took the same bus's batch at the same moment: decide again against what it published
                if (attempt == 3) {
                    throw fenced;
                }
            }
        }
    }
}

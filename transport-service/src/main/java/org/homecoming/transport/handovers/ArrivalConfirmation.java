package org.homecoming.transport.handovers;

import java.time.Clock;
import java.time.Instant;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.ledger.TransportLedger.TripProgress;
import org.homecoming.transport.movements.DetectionSettings;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * Reception staff confirm that a bus stands at the reception point when no tracker says so: its device died on the
 * road, was disabled at the identity provider, or its manifest names none. Without it the trip never arrives, and its
 * people can be neither handed over nor reported missing, nor the bus given its next round.
 *
 * <p>The confirmation is what the staff saw: the bus at the reception point, now. It is published as positions there
 * ({@link DetectionSettings#crossingConfirmations} of them, as a tracker's readings would confirm an arrival) on
 * {@code transport.bus-positions}, with its entry on the audit trail in the same transaction, and the movement
 * detection takes it like any reading: the departure and the crossing a silent tracker never showed (the reception point
 * lies deep inside the receiving side), then the arrival, each once. One path decides arrivals, so a confirmation and
 * a tracker that comes back never announce one twice. And a confirmation the bus cannot have made, because its tracker
 * placed it farther away moments ago than it could have driven (a mistyped bus id), is refused by the detection as
 * any impossible reading is, and counted.
 */
@Service
public class ArrivalConfirmation {

    private final TransportLedger ledger;
    private final KafkaTemplate<String, Object> kafka;
    private final CrossingGeography geography;
    private final DetectionSettings settings;
    private final AuditTrail audit;
    private final Clock clock;

    ArrivalConfirmation(TransportLedger ledger, KafkaTemplate<String, Object> kafka, CrossingGeography geography,
                        DetectionSettings settings, AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.kafka = kafka;
        this.geography = geography;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a confirmation did: the bus's round, and whether anything was published (not when it had arrived already). */
    public record Confirmed(String busId, String roundId, boolean published) {
    }

    /**
     * Confirms that bus {@code busId} is at the reception point.
     *
     * @throws InvalidRequestException (400) when no manifest is registered for the bus
     */
    public Confirmed confirm(String busId) {
        EntityId.require("busId", busId);
        // the latest manifest and movements, whichever instance wrote them: an arrival already there publishes nothing
        ledger.requireCurrent();
        BusManifestRegistered manifest = ledger.manifest(busId).orElseThrow(() ->
                new InvalidRequestException("busId", "unknown bus " + busId + ": no manifest is registered for it"));
        String roundId = manifest.getRoundId();
        if (ledger.progress(busId, roundId) == TripProgress.ARRIVED) {
            return new Confirmed(busId, roundId, false);
        }
        GeoPoint reception = geography.receptionPoint().center();
        Instant now = clock.instant();
        int readings = settings.crossingConfirmations();
        kafka.executeInTransaction(operations -> {
            for (int i = readings - 1; i >= 0; i--) {
                // a millisecond apart: the detection takes each reading once, by its time
                operations.send(Topics.BUS_POSITIONS.name(), busId, BusPositionRecorded.newBuilder()
                        .setBusId(busId).setRoundId(roundId)
                        .setLatitude(reception.latitude()).setLongitude(reception.longitude()).setSpeedKmh(0.0)
                        .setRecordedAt(now.minusMillis(i)).build());
            }
            audit.writingWith(kafka).recorded(AuditAction.ARRIVAL_CONFIRMED, AuditSubject.BUS, busId, AuditOutcome.SUCCEEDED,
                    "round " + roundId + ", at " + geography.receptionPoint().name());
            return null;
        });
        return new Confirmed(busId, roundId, true);
    }
}

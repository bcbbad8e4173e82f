package org.homecoming.transport.handovers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.ledger.TransportLedger.TripProgress;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * Reception staff confirm that a bus stands at the reception point when no tracker says so: its device died on the
 * road, was disabled at the identity provider, or its manifest names none. Without it the trip never arrives, and its
 * people can be neither handed over nor reported missing, nor the bus given its next round.
 *
 * <p>The staff name some of the people they see on the bus, and each must be on its manifest: a mistyped bus id names
 * a bus whose manifest holds other people, and is refused, instead of telling that bus's families, maybe still
 * waiting at the assembly point, that their people crossed the border. The confirmation is then published as one
 * position at the reception point marked {@code sightedAtReception}, with its entry on the audit trail in the same
 * transaction, and the movement detection takes the arrival from it at once: the departure and the crossing a silent
 * tracker never showed (the reception point lies deep inside the receiving side), then the arrival, each once, also on
 * a bus's second trip, whose way back to the assembly point no reading showed. One path decides arrivals, so a
 * confirmation and a tracker that comes back never announce one twice.
 */
@Service
public class ArrivalConfirmation {

    private final TransportLedger ledger;
    private final KafkaTemplate<String, Object> kafka;
    private final CrossingGeography geography;
    private final AuditTrail audit;
    private final Clock clock;

    ArrivalConfirmation(TransportLedger ledger, KafkaTemplate<String, Object> kafka, CrossingGeography geography,
                        AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.kafka = kafka;
        this.geography = geography;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a confirmation did: the bus's round, and whether anything was published (not when it had arrived already). */
    public record Confirmed(String busId, String roundId, boolean published) {
    }

    /**
     * Confirms that bus {@code busId} is at the reception point, with {@code people} on board.
     *
     * @param people ids of people the staff see on the bus: at least one, each on the bus's manifest
     * @throws InvalidRequestException (400, nothing published) when no manifest is registered for the bus, or a person
     *         named is not on it (each named)
     */
    public Confirmed confirm(String busId, List<String> people) {
        EntityId.require("busId", busId);
        // the latest manifest and movements, whichever instance wrote them: an arrival already there publishes nothing
        ledger.requireCurrent();
        BusManifestRegistered manifest = ledger.manifest(busId).orElseThrow(() ->
                new InvalidRequestException("busId", "unknown bus " + busId + ": no manifest is registered for it"));
        List<Violation> violations = new ArrayList<>();
        if (people == null || people.isEmpty()) {
            violations.add(Violation.of("personIds", "name at least one person seen on the bus, from its manifest"));
        } else {
            for (int index = 0; index < people.size(); index++) {
                String personId = people.get(index);
                if (personId == null || !manifest.getPersonIds().contains(personId)) {
                    violations.add(Violation.of("personIds[" + index + "]", "is not on bus " + busId + "'s manifest: check"
                            + " the bus's number"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The arrival of bus " + busId + " is not confirmed; nothing was published",
                    violations);
        }
        String roundId = manifest.getRoundId();
        if (ledger.progress(busId, roundId) == TripProgress.ARRIVED) {
            return new Confirmed(busId, roundId, false);
        }
        GeoPoint reception = geography.receptionPoint().center();
        BusPositionRecorded sighting = BusPositionRecorded.newBuilder()
                .setBusId(busId).setRoundId(roundId)
                .setLatitude(reception.latitude()).setLongitude(reception.longitude()).setSpeedKmh(0.0)
                .setRecordedAt(clock.instant()).setSightedAtReception(true).build();
        kafka.executeInTransaction(operations -> {
            operations.send(Topics.BUS_POSITIONS.name(), busId, sighting);
            audit.writingWith(kafka).recorded(AuditAction.ARRIVAL_CONFIRMED, AuditSubject.BUS, busId, AuditOutcome.SUCCEEDED,
                    "round " + roundId + ", at " + geography.receptionPoint().name() + ", " + people.size()
                            + " person(s) of the manifest seen");
            return null;
        });
        return new Confirmed(busId, roundId, true);
    }
}

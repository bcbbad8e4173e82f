package org.homecoming.transport.handovers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.movements.Trips;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * The reception point's desk: each person handed over from a bus, each admission at a facility, and, when a
 * bus's hand-overs are closed, the persons who did not agree with its manifest. Every action is idempotent per
 * person: a repeated request answers with what was recorded and publishes nothing. Decisions are serialized within an
 * instance by a lock, across instances by the reception point's transactional id ({@link ReceptionPointFence}): each
 * reads the ledger only after taking it, so two instances never record one person twice or from two buses.
 */
@Service
class HandoverDesk {

    private static final Logger log = LoggerFactory.getLogger(HandoverDesk.class);

    private final TransportLedger ledger;
    private final Trips trips;
    private final Facilities facilities;
    private final ReceptionPointFence fence;
    private final Clock clock;
    private final AuditTrail audit;
    private final Duration closeAfter;
    /** Trips (bus and round) closed since start-up; after a restart each is closed once more, which publishes nothing new. */
    private final Set<String> closedTrips = ConcurrentHashMap.newKeySet();

    HandoverDesk(TransportLedger ledger, Trips trips, Facilities facilities, ReceptionPointFence fence, Clock clock,
                 AuditTrail audit, @Value("${homecoming.transport.handovers.close-after:PT2H}") Duration closeAfter) {
        this.ledger = ledger;
        this.trips = trips;
        this.facilities = facilities;
        this.fence = fence;
        this.clock = clock;
        this.audit = audit;
        this.closeAfter = closeAfter;
    }

    /**
     * Records a hand-over at the reception point, from a bus that has arrived there, to a facility of the configured
     * list. A person not on the bus's manifest is recorded with {@code onManifest=false} and reported as a
     * NOT_ON_MANIFEST discrepancy at once, for review; reunification sends no alert for such a hand-over.
     */
    synchronized Outcome<PersonHandedOver> handOver(String personId, String busId, boolean identityVerified,
                                                    TriageLevel triageLevel, String destinationFacilityId) {
        ledger.requireCaughtUp();
        return fence.decide(kafka -> decideHandOver(kafka, personId, busId, identityVerified, triageLevel, destinationFacilityId));
    }

    private Outcome<PersonHandedOver> decideHandOver(KafkaTemplate<String, Object> kafka, String personId, String busId,
                                                     boolean identityVerified, TriageLevel triageLevel, String destinationFacilityId) {
        // read after taking the reception point's id: every hand-over another instance recorded before is in the ledger
        ledger.requireCurrent();
        Optional<PersonHandedOver> earlier = ledger.handover(personId);
        Optional<BusManifestRegistered> busManifest = ledger.manifest(busId);
        boolean onManifest = busManifest.map(found -> found.getPersonIds().contains(personId)).orElse(false);
        // a repeat is answered with the first hand-over; but a person on this bus's manifest is handed over even if
        // someone was recorded under their id off every manifest before (see TransportLedger.record)
        if (earlier.isPresent() && (earlier.get().getOnManifest() || !onManifest)) {
            return new Outcome<>(earlier.get(), false);
        }
        String facilityName = facilities.englishName(destinationFacilityId).orElseThrow(() -> new InvalidRequestException(
                "destinationFacility", "is not a facility of the configured list: " + facilities.known()));
        BusManifestRegistered manifest = busManifest.orElseThrow(() ->
                new InvalidRequestException("busId", "unknown bus " + busId + ": no manifest is registered for it"));
        requireArrived(busId, manifest, "persons can be handed over only from a bus that has arrived");
        Instant now = clock.instant();
        PersonHandedOver handover = PersonHandedOver.newBuilder()
                .setPersonId(personId)
                .setBusId(busId)
                .setRoundId(manifest.getRoundId())
                .setHandedOverAt(now)
                .setIdentityVerified(identityVerified)
                .setTriageLevel(triageLevel)
                .setDestinationFacility(facilityName)
                .setDestinationFacilityId(destinationFacilityId)
                .setOnManifest(onManifest)
                .build();
        HandoverDiscrepancyFound notOnManifest = onManifest ? null
                : discrepancy(busId, manifest.getRoundId(), personId, Discrepancy.NOT_ON_MANIFEST, now);
        kafka.executeInTransaction(operations -> {
            operations.send(Topics.PERSON_ARRIVALS.name(), personId, handover);
            if (notOnManifest != null) {
                operations.send(Topics.HANDOVER_DISCREPANCIES.name(), busId, notOnManifest);
            }
            // Who handed the person over, and whether they verified the identity (which sends the family an ARRIVED
            // alert), in the hand-over's own transaction: no hand-over without its entry on the trail.
            audit.writingWith(kafka).recorded(AuditAction.PERSON_HANDED_OVER, AuditSubject.PERSON, personId,
                    AuditOutcome.SUCCEEDED, "bus " + busId + (identityVerified ? ", identity verified" : ", identity not verified")
                            + (onManifest ? "" : ", not on the manifest"));
            fence.afterSend(operations);
            return null;
        });
        ledger.record(handover);
        if (notOnManifest != null) {
            ledger.record(notOnManifest);
            log.warn("A person was handed over from bus {} but is not on its manifest; recorded as a discrepancy for review", busId);
        }
        return new Outcome<>(handover, true);
    }

    /** Records that a handed-over person was admitted at a facility of the configured list. */
    synchronized Outcome<PersonAdmitted> admit(String personId, String facilityId) {
        ledger.requireCaughtUp();
        return fence.decide(kafka -> decideAdmission(kafka, personId, facilityId));
    }

    private Outcome<PersonAdmitted> decideAdmission(KafkaTemplate<String, Object> kafka, String personId, String facilityId) {
        ledger.requireCurrent();
        String facilityName = facilities.englishName(facilityId).orElseThrow(() -> new InvalidRequestException(
                "facility", "is not a facility of the configured list: " + facilities.known()));
        PersonHandedOver handover = ledger.handover(personId).orElseThrow(() ->
                new InvalidRequestException("personId", "person " + personId + " was not handed over at the reception point"));
        // A repeat is answered with the earlier admission, but only one that follows the person's current hand-over.
        // One made before it was a stranger's, handed over and admitted under this id off every manifest, whose
        // hand-over the real one replaced (TransportLedger.record): the real person is admitted in their own right.
        Optional<PersonAdmitted> earlier = ledger.admission(personId)
                .filter(admitted -> !admitted.getAdmittedAt().isBefore(handover.getHandedOverAt()));
        if (earlier.isPresent()) {
            return new Outcome<>(earlier.get(), false);
        }
        PersonAdmitted admission = PersonAdmitted.newBuilder()
                .setPersonId(personId)
                .setRoundId(handover.getRoundId())
                .setFacility(facilityName)
                .setFacilityId(facilityId)
                // never before the hand-over it follows, whatever the clocks of the instances that recorded the two:
                // an admission stamped earlier is taken for a stranger's (here on a repeat, and by reunification)
                .setAdmittedAt(latest(clock.instant(), handover.getHandedOverAt()))
                .build();
        kafka.executeInTransaction(operations -> {
            operations.send(Topics.FACILITY_ADMISSIONS.name(), personId, admission);
            audit.writingWith(kafka).recorded(AuditAction.PERSON_ADMITTED, AuditSubject.PERSON, personId,
                    AuditOutcome.SUCCEEDED, "facility " + facilityId);
            fence.afterSend(operations);
            return null;
        });
        ledger.record(admission);
        return new Outcome<>(admission, true);
    }

    /**
     * Closes the hand-overs of an arrived bus: every manifest person never handed over is NOT_HANDED_OVER, every
     * person handed over from the bus but not on its manifest is NOT_ON_MANIFEST. Discrepancies already published
     * are not published again; all new ones go out in one transaction. Returns every discrepancy of the bus.
     */
    synchronized List<HandoverDiscrepancyFound> close(String busId) {
        ledger.requireCaughtUp();
        return fence.decide(kafka -> decideClose(kafka, busId));
    }

    private List<HandoverDiscrepancyFound> decideClose(KafkaTemplate<String, Object> kafka, String busId) {
        ledger.requireCurrent();
        BusManifestRegistered manifest = ledger.manifest(busId).orElseThrow(() ->
                new InvalidRequestException("busId", "unknown bus " + busId + ": no manifest is registered for it"));
        requireArrived(busId, manifest, "hand-overs can be closed only after arrival");
        Instant now = clock.instant();
        List<HandoverDiscrepancyFound> all = new ArrayList<>();
        for (String personId : manifest.getPersonIds()) {
            // handed over only by a hand-over from this bus: one from another bus under the person's id (a mistyped id,
            // a stranger off that bus's manifest) says nothing of where the person is
            if (ledger.handover(personId).filter(handover -> handover.getBusId().equals(busId)
                    && handover.getRoundId().equals(manifest.getRoundId())).isEmpty()) {
                all.add(discrepancy(busId, manifest.getRoundId(), personId, Discrepancy.NOT_HANDED_OVER, now));
            }
        }
        Set<String> strangers = new LinkedHashSet<>();
        for (PersonHandedOver handover : ledger.handoversFrom(busId, manifest.getRoundId())) {
            if (!manifest.getPersonIds().contains(handover.getPersonId())) {
                strangers.add(handover.getPersonId());
            }
        }
        // also a stranger whose hand-over the real person's has replaced since: the stranger still stepped off this bus
        strangers.addAll(ledger.notOnManifest(busId, manifest.getRoundId()));
        for (String stranger : strangers) {
            all.add(discrepancy(busId, manifest.getRoundId(), stranger, Discrepancy.NOT_ON_MANIFEST, now));
        }
        List<HandoverDiscrepancyFound> fresh = all.stream().filter(found -> !ledger.isKnown(found)).toList();
        if (!fresh.isEmpty()) {
            kafka.executeInTransaction(operations -> {
                fresh.forEach(found -> operations.send(Topics.HANDOVER_DISCREPANCIES.name(), busId, found));
                fence.afterSend(operations);
                return null;
            });
            fresh.forEach(ledger::record);
        }
        closedTrips.add(busId + '\u0000' + manifest.getRoundId());
        log.info("Closed the hand-overs of bus {}: {} discrepancies, {} newly published", busId, all.size(), fresh.size());
        return all;
    }

    /**
     * Closes by itself the hand-overs of every bus that arrived more than {@code close-after} ago (by the time of
     * its arrival reading) and that nobody closed, so a forgotten close still reports the persons not handed over.
     */
    @Scheduled(fixedDelayString = "${homecoming.transport.handovers.check-interval:PT1M}")
    void closeOverdue() {
        if (!ledger.isCaughtUp()) {
            return;
        }
        Instant overdue = clock.instant().minus(closeAfter);
        for (BusManifestRegistered manifest : ledger.manifests()) {
            if (closedTrips.contains(manifest.getBusId() + '\u0000' + manifest.getRoundId())) {
                continue;
            }
            boolean arrivedLongAgo;
            try {
                arrivedLongAgo = trips.find(manifest.getBusId())
                        .filter(trip -> trip.roundId().equals(manifest.getRoundId()) && trip.arrivedAt() != null)
                        // from when this service learnt of the arrival, not the tracker's time of it (late uploads)
                        .map(trip -> Instant.ofEpochMilli(trip.arrivalSeenAt() != null ? trip.arrivalSeenAt() : trip.arrivedAt())
                                .isBefore(overdue))
                        .orElse(false);
            } catch (ErrorResponseException streamsNotReady) {
                return;
            }
            if (arrivedLongAgo) {
                try {
                    close(manifest.getBusId());
                } catch (ErrorResponseException fencedOrBehind) {
                    // the other instance closed it at the same moment, or the ledger is behind: the next check sees it
                    log.info("Closing the overdue hand-overs of bus {} is left to the next check: {}", manifest.getBusId(),
                            fencedOrBehind.getStatusCode());
                    return;
                }
            }
        }
    }

    private static Instant latest(Instant one, Instant other) {
        return one.isBefore(other) ? other : one;
    }

    /**
     * Read from the ledger, which has read the movements to their end ({@code requireCurrent}), not from the trip store:
     * this instance's copy may be a standby behind the active one, or one still being restored after a restart.
     */
    private void requireArrived(String busId, BusManifestRegistered manifest, String rule) {
        if (ledger.progress(busId, manifest.getRoundId()) != TransportLedger.TripProgress.ARRIVED) {
            throw new InvalidRequestException("busId", "bus " + busId + " has not arrived at the reception point yet; " + rule);
        }
    }

    private static HandoverDiscrepancyFound discrepancy(String busId, String roundId, String personId, Discrepancy kind, Instant now) {
        return HandoverDiscrepancyFound.newBuilder()
                .setBusId(busId)
                .setRoundId(roundId)
                .setPersonId(personId)
                .setDiscrepancy(kind)
                .setFoundAt(now)
                .build();
    }

    record Outcome<T>(T event, boolean published) {
    }
}

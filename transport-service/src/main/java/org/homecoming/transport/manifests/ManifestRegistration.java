package org.homecoming.transport.manifests;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.ledger.TransportLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.homecoming.platform.kafka.FencedTransactions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.web.ErrorResponseException;
import org.springframework.stereotype.Service;

/**
 * Registers which listed persons ride a bus. Every person must be listed for that round and not withdrawn, and
 * rides one bus per round. A manifest identical to the registered one publishes nothing; a changed one replaces
 * it. Registrations are serialized so two buses cannot claim the same person at the same moment: within an instance
 * by a lock, across instances by the round's transactional id ({@code transport-manifests-<roundId>}, see
 * {@link FencedTransactions}); a registration that lost to one on another instance answers 409, nothing published.
 */
@Service
class ManifestRegistration {

    private static final Logger log = LoggerFactory.getLogger(ManifestRegistration.class);

    private final TransportLedger ledger;
    private final CrossingGeography geography;
    private final KafkaTemplate<String, Object> kafka;
    private final Clock clock;
    private final AuditTrail audit;

    private final ObjectProvider<ProducerFactory<String, Object>> producers;
    private final ObjectProvider<ManifestPublicationHook> hook;
    /** The partners whose intake topics transport reads: a manifest may bind its bus to one of them only. */
    private final List<String> partners;

    ManifestRegistration(TransportLedger ledger, CrossingGeography geography, KafkaTemplate<String, Object> kafka, Clock clock,
                         AuditTrail audit, ObjectProvider<ProducerFactory<String, Object>> producers,
                         ObjectProvider<ManifestPublicationHook> hook, @Value("${homecoming.partners:}") String partners) {
        this.audit = audit;
        this.partners = Topics.partners(partners);
        this.producers = producers;
        this.hook = hook;
        this.ledger = ledger;
        this.geography = geography;
        this.kafka = kafka;
        this.clock = clock;
    }

    synchronized Registered register(ManifestRequest request) {
        ledger.requireCaughtUp();
        ProducerFactory<String, Object> factory = producers.getIfAvailable();
        if (factory == null) {
            return decide(request, kafka);
        }
        try {
            return FencedTransactions.run(factory, "transport-manifests-" + request.roundId(), template -> {
                // read after taking the round's id: every manifest another instance registered before is in the ledger
                ledger.requireCurrent();
                return decide(request, template);
            });
        } catch (FencedTransactions.FencedOutException fenced) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Another manifest of round "
                    + request.roundId() + " was registered at the same moment; nothing was published. Retry");
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, fenced);
        }
    }

    private Registered decide(ManifestRequest request, KafkaTemplate<String, Object> kafka) {
        List<Violation> violations = new ArrayList<>();
        if (!geography.origin().id().equals(request.origin())) {
            violations.add(Violation.of("origin", "unknown origin '" + request.origin() + "'; this service tracks departures from '"
                    + geography.origin().id() + "'"));
        }
        if (!geography.receptionPoint().id().equals(request.receptionPoint())) {
            violations.add(Violation.of("receptionPoint", "unknown reception point '" + request.receptionPoint()
                    + "'; this service tracks arrivals at '" + geography.receptionPoint().id() + "'"));
        }
        if (request.trackedBy() != null && !partners.contains(request.trackedBy())) {
            // a typo here would leave the bus unreported: every reading of its trackers refused, the bus "silent"
            violations.add(Violation.of("trackedBy", "'" + request.trackedBy() + "' is not a partner whose intake this service"
                    + " reads (homecoming.partners: " + (partners.isEmpty() ? "none" : String.join(", ", partners)) + ")"));
        }
        Optional<BusManifestRegistered> current = ledger.manifest(request.busId());
        if (current.isPresent() && namesATracker(current.get()) && request.trackedBy() == null && request.trackerClient() == null) {
            // A correction sent by a tool that does not know the tracker fields would otherwise unbind the bus, on the
            // road too: every reading refused, the bus silent until it arrives, the families' "crossed the border"
            // never sent. A tracker is replaced by naming another, never dropped by leaving both out.
            violations.add(Violation.of("trackerClient", "bus " + request.busId() + "'s registered manifest takes positions"
                    + " from " + trackers(current.get()) + "; a manifest registered again must name its trackers too (the"
                    + " same, or the ones that replace them), or the bus would take no positions. To stop a captured"
                    + " device, disable its client at the identity provider"));
        }
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < request.personIds().size(); index++) {
            String personId = request.personIds().get(index);
            String field = "personIds[" + index + "]";
            if (!seen.add(personId)) {
                violations.add(Violation.of(field, "person " + personId + " is on the manifest twice"));
                continue;
            }
            personProblem(personId, request).ifPresent(reason -> violations.add(Violation.of(field, reason)));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The manifest has " + violations.size() + " problem(s); nothing was published", violations);
        }
        if (current.isPresent() && sameManifest(current.get(), request)) {
            return new Registered(current.get(), false);
        }
        if (current.isPresent() && !current.get().getRoundId().equals(request.roundId())) {
            requireRoundDone(current.get(), request.roundId());
        } else if (current.isPresent()) {
            requireNoNewRiderAfterDeparture(current.get(), request);
        }
        BusManifestRegistered manifest = BusManifestRegistered.newBuilder()
                .setBusId(request.busId())
                .setRoundId(request.roundId())
                .setPersonIds(List.copyOf(request.personIds()))
                .setOrigin(request.origin())
                .setReceptionPoint(request.receptionPoint())
                .setRegisteredAt(registeredAt(current))
                .setTrackedBy(request.trackedBy())
                .setTrackerClient(request.trackerClient())
                .build();
        kafka.executeInTransaction(operations -> {
            operations.send(Topics.BUS_MANIFESTS.name(), manifest.getBusId(), manifest);
            // Who bound the bus to its trackers, in the manifest's own transaction: after a false movement, the first
            // question is who said which device and which partner may position this bus.
            audit.writingWith(kafka).recorded(AuditAction.MANIFEST_REGISTERED, AuditSubject.BUS, manifest.getBusId(),
                    AuditOutcome.SUCCEEDED, "round " + manifest.getRoundId() + ", " + manifest.getPersonIds().size()
                            + " persons, positions from " + trackers(manifest));
            hook.ifAvailable(afterSend -> afterSend.afterSend(operations));
            return null;
        });
        ledger.record(manifest);
        log.info("Registered the manifest of bus {} in round {} with {} persons, positions from {}", manifest.getBusId(),
                manifest.getRoundId(), manifest.getPersonIds().size(), trackers(manifest));
        return new Registered(manifest, true);
    }

    /**
     * A bus takes its next round only once its current one is done: on the road, the next round's manifest took over
     * the trip (its readings counted as the next round's departure and crossing, and the next round's families, whose
     * people were still held, were told they had crossed); arrived, it took over the hand-overs (every one refused as
     * "not arrived", the current round never closed, nobody missing ever reported). Before its trip departs, a bus may
     * be given to another round: its people were not on their way yet.
     */
    private void requireRoundDone(BusManifestRegistered current, String nextRound) {
        String busId = current.getBusId();
        String refusal = switch (ledger.progress(busId, current.getRoundId())) {
            case NOT_DEPARTED -> null;
            case ARRIVED -> handOversSettled(current) ? null : "has arrived with round " + current.getRoundId()
                    + " and its hand-overs are not closed: hand them over, or close them (POST /api/v1/buses/" + busId
                    + "/handovers-complete), first";
            case ON_THE_ROAD -> "is on its way with round " + current.getRoundId()
                    + ": register it for round " + nextRound + " once it has arrived and its hand-overs are closed";
        };
        if (refusal != null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "Bus " + busId + " " + refusal + "; nothing was published");
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        }
    }

    /**
     * Once its trip has departed, a bus takes on nobody: a person added to a manifest after the crossing counted as
     * crossed with it (reunification told the families "crossed the border" of someone who may still be held), and one
     * added on the road was never seen to board. A person who does arrive on the bus is handed over off the manifest,
     * and reviewed. Taking a person off stays possible: it withholds news, never sends false news.
     */
    private void requireNoNewRiderAfterDeparture(BusManifestRegistered current, ManifestRequest request) {
        if (ledger.progress(current.getBusId(), current.getRoundId()) == TransportLedger.TripProgress.NOT_DEPARTED) {
            return;
        }
        List<String> added = request.personIds().stream().filter(personId -> !current.getPersonIds().contains(personId)).toList();
        if (!added.isEmpty()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Bus " + current.getBusId()
                    + " left with round " + current.getRoundId() + " without " + String.join(", ", added)
                    + ": nobody is added to a bus after it departed. A person who arrives on it is handed over off the"
                    + " manifest and reviewed; nothing was published");
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        }
    }

    /** Every person of the manifest handed over from this bus, or reported as not handed over when it was closed. */
    private boolean handOversSettled(BusManifestRegistered manifest) {
        return manifest.getPersonIds().stream().allMatch(personId -> ledger.handover(personId)
                .filter(handover -> handover.getBusId().equals(manifest.getBusId())
                        && handover.getRoundId().equals(manifest.getRoundId())).isPresent()
                || ledger.reported(manifest.getBusId(), manifest.getRoundId(), personId, Discrepancy.NOT_HANDED_OVER));
    }

    /**
     * Later than the bus's current manifest even if this instance's clock is behind the one that registered it: the
     * ledgers keep the manifest registered last by this time, and a correction stamped earlier (a minute of skew
     * between instances) was published and then ignored by every ledger, the old trackers and persons kept.
     */
    private Instant registeredAt(Optional<BusManifestRegistered> current) {
        Instant now = clock.instant();
        return current.map(BusManifestRegistered::getRegisteredAt).filter(earlier -> !now.isAfter(earlier))
                .map(earlier -> earlier.plusMillis(1)).orElse(now);
    }

    private static boolean namesATracker(BusManifestRegistered manifest) {
        return manifest.getTrackedBy() != null || manifest.getTrackerClient() != null;
    }

    /** Who may position the bus, as the log and the audit trail say it. */
    private static String trackers(BusManifestRegistered manifest) {
        return (manifest.getTrackedBy() == null ? "no partner" : "partner " + manifest.getTrackedBy()) + " on Kafka and "
                + (manifest.getTrackerClient() == null ? "no device" : "client " + manifest.getTrackerClient())
                + " over REST";
    }

    private Optional<String> personProblem(String personId, ManifestRequest request) {
        Optional<PersonListingChanged> listing = ledger.listing(personId);
        if (listing.isEmpty()) {
            return Optional.of("person " + personId + " is not on any release list");
        }
        if (listing.get().getChange() == ListingChange.WITHDRAWN) {
            return Optional.of("person " + personId + " was withdrawn from the release list");
        }
        if (!listing.get().getRoundId().equals(request.roundId())) {
            return Optional.of("person " + personId + " is listed for round " + listing.get().getRoundId()
                    + ", not " + request.roundId());
        }
        return ledger.otherBusCarrying(request.roundId(), personId, request.busId())
                .map(bus -> "person " + personId + " already rides bus " + bus + " in round " + request.roundId());
    }

    private static boolean sameManifest(BusManifestRegistered current, ManifestRequest request) {
        return current.getRoundId().equals(request.roundId())
                && current.getOrigin().equals(request.origin())
                && current.getReceptionPoint().equals(request.receptionPoint())
                && Objects.equals(current.getTrackedBy(), request.trackedBy())
                && Objects.equals(current.getTrackerClient(), request.trackerClient())
                && new HashSet<>(current.getPersonIds()).equals(new HashSet<>(request.personIds()));
    }

    record Registered(BusManifestRegistered manifest, boolean published) {
    }
}

package org.homecoming.transport.ledger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * What transport knows from the topics its requests are checked against: the latest listing of each person
 * (roster), and its own manifests, hand-overs, admissions and discrepancies. {@link LedgerFeed} replays the
 * topics from the beginning at start-up and follows them; this service's own writes are recorded as soon as
 * their transaction commits, so a request sees the one before it. Requests that depend on it are refused
 * with 503 until the replay has caught up, so a half-loaded ledger never approves a bad manifest.
 */
@Component
public class TransportLedger {

    private static final Logger log = LoggerFactory.getLogger(TransportLedger.class);

    private final Map<String, PersonListingChanged> listings = new ConcurrentHashMap<>();
    private final Map<String, BusManifestRegistered> manifests = new ConcurrentHashMap<>();
    private final Map<String, PersonHandedOver> handovers = new ConcurrentHashMap<>();
    private final Map<String, PersonAdmitted> admissions = new ConcurrentHashMap<>();
    private final Set<String> discrepancies = ConcurrentHashMap.newKeySet();
    /** The trips (bus and round) that departed, and those that arrived, as the movements topic says. */
    private final Set<String> departedTrips = ConcurrentHashMap.newKeySet();
    private final Set<String> arrivedTrips = ConcurrentHashMap.newKeySet();
    private volatile boolean caughtUp;
    private volatile LedgerFeed feed;
    /** How long a request waits for the ledger to read what other instances wrote before it came. */
    private static final Duration CURRENT_WAIT = Duration.ofSeconds(10);

    /** Refuses with 503 while the ledger is still replaying the topics. */
    public void requireCaughtUp() {
        if (!caughtUp) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "Transport is still loading manifests and release lists; retry shortly");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        }
    }

    /**
     * Before a decision: the ledger has read every record committed so far, on any instance, or the request is refused
     * with 503 (nothing is decided on a view that may miss another instance's write).
     */
    public void requireCurrent() {
        requireCaughtUp();
        LedgerFeed follower = feed;
        if (follower != null && !follower.awaitCommitted(CURRENT_WAIT)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "Transport could not read the latest manifests and hand-overs in time; nothing was published, retry shortly");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        }
    }

    /** Before a read: as {@link #requireCurrent}, but after the wait the read is answered with what the ledger has. */
    public void awaitCurrentForRead() {
        requireCaughtUp();
        LedgerFeed follower = feed;
        if (follower != null && !follower.awaitCommitted(CURRENT_WAIT)) {
            log.warn("A read is answered from a ledger that did not reach the topics' end within {}", CURRENT_WAIT);
        }
    }

    void followedBy(LedgerFeed follower) {
        this.feed = follower;
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    void markCaughtUp() {
        caughtUp = true;
    }

    /** Applies a record read from one of the followed topics. */
    void apply(String topic, Object value) {
        if (topic.equals(Topics.LISTED_PERSONS.name()) && value instanceof PersonListingChanged listing) {
            listings.put(listing.getPersonId(), listing);
        } else if (value instanceof BusManifestRegistered manifest) {
            record(manifest);
        } else if (value instanceof PersonHandedOver handover) {
            record(handover);
        } else if (value instanceof PersonAdmitted admission) {
            record(admission);
        } else if (value instanceof HandoverDiscrepancyFound discrepancy) {
            record(discrepancy);
        } else if (value instanceof BusMovementDetected movement) {
            record(movement);
        }
    }

    /**
     * Why a followed record makes no sense yet, or null: a withdrawal of a person never listed is held by the feed
     * until the person is listed, or dead-lettered.
     */
    String unresolved(Object value) {
        if (value instanceof PersonListingChanged listing && listing.getChange() == ListingChange.WITHDRAWN
                && !listings.containsKey(listing.getPersonId())) {
            return "withdrawal of person " + listing.getPersonId() + ", who was never listed";
        }
        return null;
    }

    /** Applies a held record that makes sense now; a withdrawal older than the listing read since changes nothing. */
    void applyHeld(String topic, Object value) {
        if (value instanceof PersonListingChanged withdrawal) {
            PersonListingChanged current = listings.get(withdrawal.getPersonId());
            if (current != null && current.getChangedAt().isAfter(withdrawal.getChangedAt())) {
                return;
            }
        }
        apply(topic, value);
    }

    public Optional<PersonListingChanged> listing(String personId) {
        return Optional.ofNullable(listings.get(personId));
    }

    /** Where a trip is, as the stream processor committed it: the decisions read it here, at the topic's end. */
    public enum TripProgress { NOT_DEPARTED, ON_THE_ROAD, ARRIVED }

    /**
     * How far the bus's trip of the round has gone, by the movements committed on the topic. Decisions read it here
     * rather than from the trip store: the ledger has read the topic to its end before a decision ({@link #requireCurrent}),
     * while the store this instance holds may be a standby copy behind the active one, or one still being restored
     * after a restart, which read as "not departed" and let a person be added to a bus that had crossed (and his
     * family told he had crossed) or a bus on the road be given its next round.
     */
    public TripProgress progress(String busId, String roundId) {
        String trip = tripKey(busId, roundId);
        return arrivedTrips.contains(trip) ? TripProgress.ARRIVED
                : departedTrips.contains(trip) ? TripProgress.ON_THE_ROAD : TripProgress.NOT_DEPARTED;
    }

    public void record(BusMovementDetected movement) {
        if (movement.getRoundId() == null) {
            return;
        }
        String trip = tripKey(movement.getBusId(), movement.getRoundId());
        switch (movement.getMovement()) {
            case DEPARTED, CHECKPOINT_PASSED, BORDER_CROSSED -> departedTrips.add(trip);
            case ARRIVED -> {
                departedTrips.add(trip);
                arrivedTrips.add(trip);
            }
            default -> {
                // an ETA or a silent tracker says nothing of departure or arrival
            }
        }
    }

    private static String tripKey(String busId, String roundId) {
        return busId + '\u0000' + roundId;
    }

    public Optional<BusManifestRegistered> manifest(String busId) {
        return Optional.ofNullable(manifests.get(busId));
    }

    public Collection<BusManifestRegistered> manifests() {
        return List.copyOf(manifests.values());
    }

    /** The bus other than {@code exceptBus} whose manifest in the round carries the person, if any. */
    public Optional<String> otherBusCarrying(String roundId, String personId, String exceptBus) {
        return manifests.values().stream()
                .filter(manifest -> manifest.getRoundId().equals(roundId) && !manifest.getBusId().equals(exceptBus))
                .filter(manifest -> manifest.getPersonIds().contains(personId))
                .map(BusManifestRegistered::getBusId)
                .findFirst();
    }

    public Optional<PersonHandedOver> handover(String personId) {
        return Optional.ofNullable(handovers.get(personId));
    }

    public List<PersonHandedOver> handoversFrom(String busId, String roundId) {
        return handovers.values().stream()
                .filter(handover -> handover.getBusId().equals(busId) && handover.getRoundId().equals(roundId))
                .toList();
    }

    /**
     * The persons recorded as NOT_ON_MANIFEST of a bus's round. A stranger's hand-over is replaced when the person
     * whose id was used steps off their own bus (see {@link #record(PersonHandedOver)}), and only this tells that it was
     * ever made from this bus.
     */
    public List<String> notOnManifest(String busId, String roundId) {
        String prefix = busId + '\u0000' + roundId + '\u0000';
        String suffix = "\u0000" + Discrepancy.NOT_ON_MANIFEST;
        return discrepancies.stream().filter(key -> key.startsWith(prefix) && key.endsWith(suffix))
                .map(key -> key.substring(prefix.length(), key.length() - suffix.length())).sorted().toList();
    }

    public Optional<PersonAdmitted> admission(String personId) {
        return Optional.ofNullable(admissions.get(personId));
    }

    /** Whether the discrepancy was reported for the person on the bus's round. */
    public boolean reported(String busId, String roundId, String personId, Discrepancy discrepancy) {
        return discrepancies.contains(discrepancyKey(busId, roundId, personId, discrepancy));
    }

    public boolean isKnown(HandoverDiscrepancyFound discrepancy) {
        return discrepancies.contains(discrepancyKey(discrepancy.getBusId(), discrepancy.getRoundId(),
                discrepancy.getPersonId(), discrepancy.getDiscrepancy()));
    }

    /** A later manifest of a bus replaces the earlier one; replaying an older one never undoes a newer one. */
    public void record(BusManifestRegistered manifest) {
        manifests.merge(manifest.getBusId(), manifest, (current, incoming) ->
                incoming.getRegisteredAt().isBefore(current.getRegisteredAt()) ? current : incoming);
    }

    /**
     * A person is handed over once; the first record wins, except that a hand-over on a manifest replaces one off every
     * manifest. The one off the manifest was someone recorded under the person's id by mistake (a mistyped id, a
     * stranger), and it must not stand in for the person when they step off their own bus: before, the desk answered
     * the real hand-over with the stranger's, published nothing, and the family never heard "arrived".
     */
    public void record(PersonHandedOver handover) {
        handovers.merge(handover.getPersonId(), handover,
                (first, next) -> !first.getOnManifest() && next.getOnManifest() ? next : first);
    }

    /** The latest admission counts: a real person's, made after an earlier stranger's under their id (see HandoverDesk). */
    public void record(PersonAdmitted admission) {
        admissions.merge(admission.getPersonId(), admission,
                (first, next) -> next.getAdmittedAt().isAfter(first.getAdmittedAt()) ? next : first);
    }

    public void record(HandoverDiscrepancyFound discrepancy) {
        discrepancies.add(discrepancyKey(discrepancy.getBusId(), discrepancy.getRoundId(),
                discrepancy.getPersonId(), discrepancy.getDiscrepancy()));
    }

    private static String discrepancyKey(String busId, String roundId, String personId, Discrepancy discrepancy) {
        return busId + '\u0000' + roundId + '\u0000' + personId + '\u0000' + discrepancy;
    }
}

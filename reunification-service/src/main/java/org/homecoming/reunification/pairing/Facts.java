package org.homecoming.reunification.pairing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.Assessment;
import org.homecoming.reunification.matching.InquiryIndex;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.PersonDescription;

/**
 * What pairing knows about persons and inquiries, and the only writer of both:
 * <ul>
 *   <li>each listed person's current description and version, and how far the person got (crossed, arrived, admitted);</li>
 *   <li>each inquiry: its record in the {@link InquiryBook} (REST and delivery read it there) and, once pairing has
 *       matched it, its revision and its sought person in the matching index.</li>
 * </ul>
 * It records facts and answers questions about them; it decides nothing.
 */
final class Facts {

    private final MatchScorer scorer;
    private final InquiryBook book;
    private final Predicate<String> withdrawnElsewhere;

    /** Volatile: the warm-up before readiness scores against it from another thread, read-only (see {@link Pairing#candidatesFor}). */
    private volatile InquiryIndex index;
    private final Map<String, ListedPerson> persons = new HashMap<>();
    private final Map<String, Progress> progress = new HashMap<>();
    /**
     * Each trip's riders, as its latest manifest names them, and the trips that crossed. A trip is a bus and a round: a
     * bus carries people again in a later round (transport starts a new trip for a new round's manifest). Keyed by the
     * bus alone, a later round's manifest read after the earlier round's crossing counted its riders as crossed, and
     * their families were told so, before the bus had even left.
     */
    private final Map<Trip, List<String>> riders = new HashMap<>();
    private final Set<Trip> crossedTrips = new HashSet<>();
    private final Set<String> busesWithManifest = new HashSet<>();

    private record Trip(String busId, String roundId) {
    }

    /**
     * @param withdrawnElsewhere tells whether an inquiry was withdrawn through REST but the tombstone is not read yet;
     *                           it counts as closed from that moment
     */
    Facts(MatchScorer scorer, InquiryBook book, Predicate<String> withdrawnElsewhere) {
        this.scorer = scorer;
        this.book = book;
        this.withdrawnElsewhere = withdrawnElsewhere;
        this.index = new InquiryIndex(scorer);
    }

    /**
     * An inquiry as matching last took it: the revision at which its sought person last changed (the person sought is
     * in the index only).
     */
    record MatchedInquiry(int revision) {
    }

    static final class ListedPerson {
        PersonDescription description;
        boolean withdrawn;
        long version = -1;
        long matchedVersion = -2;

        boolean matchable() {
            return description != null && !withdrawn;
        }
    }

    private static final class Progress {
        boolean crossed;
        boolean arrived;
        boolean arrivalVerified;
        /** Epoch millis of the first hand-over on the manifest (transport's clock). */
        long arrivedAt;
        String destination;
        boolean admitted;
        /** Epoch millis of the latest admission (transport's clock). */
        long admittedAt;
        String facility;
    }

    // ------------------------------------------------------------------ persons

    ListedPerson recordListing(PersonListingChanged listing) {
        ListedPerson person = persons.computeIfAbsent(listing.getPersonId(), id -> new ListedPerson());
        if (listing.getChange() == ListingChange.WITHDRAWN) {
            person.withdrawn = true;
            if (person.description == null) {
                describeAs(person, describe(listing));
                person.version = listing.getChangedAt().toEpochMilli();
            }
            return person;
        }
        if (listing.getChange() == ListingChange.LISTED) {
            person.withdrawn = false;
        }
        PersonDescription description = describe(listing);
        if (!description.equals(person.description)) {
            // A new version lifts remembered rejections, so only a real change makes one: a list republished with the
            // same entry does not. A correction within the same millisecond still counts.
            describeAs(person, description);
            person.version = Math.max(listing.getChangedAt().toEpochMilli(), person.version + 1);
        }
        return person;
    }

    /**
     * The person's description, and the listed people's surnames the scorer counts: a surname many listed people carry
     * weighs less when deciding a review (MatchScorer.listed). Counted before the person is scored.
     */
    private void describeAs(ListedPerson person, PersonDescription description) {
        if (person.description != null) {
            scorer.unlisted(person.description);
        }
        person.description = description;
        scorer.listed(description);
    }

    /** The riders who crossed with this manifest: none unless the bus crossed before its manifest was read. */
    List<String> recordManifest(BusManifestRegistered manifest) {
        Trip trip = new Trip(manifest.getBusId(), manifest.getRoundId());
        riders.put(trip, List.copyOf(manifest.getPersonIds()));
        busesWithManifest.add(manifest.getBusId());
        if (!crossedTrips.contains(trip)) {
            return List.of();
        }
        manifest.getPersonIds().forEach(personId -> progress(personId).crossed = true);
        return manifest.getPersonIds();
    }

    /** The riders who crossed with this movement: those of the bus's manifest for the movement's round. */
    List<String> recordMovement(BusMovementDetected movement) {
        if (movement.getMovement() != Movement.BORDER_CROSSED) {
            return List.of();
        }
        Trip trip = new Trip(movement.getBusId(), movement.getRoundId());
        crossedTrips.add(trip);
        // none yet if the trip's manifest is still to come: it finds the crossing then (recordManifest)
        List<String> crossed = riders.getOrDefault(trip, List.of());
        crossed.forEach(personId -> progress(personId).crossed = true);
        return crossed;
    }

    void recordHandover(PersonHandedOver handover) {
        if (!handover.getOnManifest()) {
            // Not on the bus's manifest: transport recorded a discrepancy for review. Until someone resolves it the
            // hand-over proves nothing about who arrived, so it is no arrival and no relative is alerted.
            return;
        }
        Progress progress = progress(handover.getPersonId());
        if (!progress.arrived) {
            progress.arrivedAt = handover.getHandedOverAt().toEpochMilli();
        }
        progress.arrived = true;
        progress.arrivalVerified |= handover.getIdentityVerified();
        // The facility's id only: alerts name it from the configured list, never from text a caller typed.
        progress.destination = handover.getDestinationFacilityId();
    }

    void recordAdmission(PersonAdmitted admission) {
        Progress progress = progress(admission.getPersonId());
        long admittedAt = admission.getAdmittedAt().toEpochMilli();
        if (progress.admitted && admittedAt < progress.admittedAt) {
            return; // an older admission read late: the latest is the one that counts (see reached)
        }
        progress.admitted = true;
        progress.admittedAt = admittedAt;
        progress.facility = admission.getFacilityId();
    }

    /**
     * A caseworker confirmed the pair at {@code confirmedAt}: made after the hand-over, she knew who arrived, and the
     * arrival counts as verified. One made before it says nothing about who stepped off the bus. The time decides, not
     * the order read: a rebuild reads every hand-over before any decision, and took a confirmation made days before an
     * unverified arrival for a check of it, which told the family "arrived" and auto-matched later inquiries.
     */
    void arrivalConfirmed(String personId, Instant confirmedAt) {
        Progress progress = this.progress.get(personId);
        if (progress != null && progress.arrived && confirmedAt.toEpochMilli() >= progress.arrivedAt) {
            progress.arrivalVerified = true;
        }
    }

    /** Takes a roster or transport event as a fact, without reacting to it (the reaction is on the topics already). */
    void restore(Object value) {
        if (value instanceof PersonListingChanged listing) {
            ListedPerson person = recordListing(listing);
            person.matchedVersion = person.version;
        } else if (value instanceof BusManifestRegistered manifest) {
            recordManifest(manifest);
        } else if (value instanceof BusMovementDetected movement) {
            recordMovement(movement);
        } else if (value instanceof PersonHandedOver handover) {
            recordHandover(handover);
        } else if (value instanceof PersonAdmitted admission) {
            recordAdmission(admission);
        }
    }

    /** The person was handed over, on the manifest, but nobody verified who arrived. */
    boolean arrivedUnverified(String personId) {
        Progress progress = this.progress.get(personId);
        return progress != null && progress.arrived && !progress.arrivalVerified;
    }

    /** Whether a manifest was read for the bus. */
    boolean knowsBus(String busId) {
        return busesWithManifest.contains(busId);
    }

    ListedPerson person(String personId) {
        return persons.get(personId);
    }

    Map<String, ListedPerson> persons() {
        return persons;
    }

    Set<Milestone> reached(String personId) {
        Set<Milestone> reached = EnumSet.noneOf(Milestone.class);
        ListedPerson person = persons.get(personId);
        if (person != null && !person.withdrawn) {
            reached.add(Milestone.LISTED_FOR_RELEASE);
        }
        Progress progress = this.progress.get(personId);
        if (progress != null) {
            if (progress.crossed) {
                reached.add(Milestone.CROSSED_BORDER);
            }
            if (progress.arrived && progress.arrivalVerified) {
                reached.add(Milestone.ARRIVED);
            }
            // Only a person handed over on the manifest, whose identity was verified (at the hand-over, or by a
            // caseworker's confirmation): an admission proves no more about who arrived than the hand-over it follows.
            // A person handed over off the manifest (a mistyped id, a stranger) and then admitted under that id told the
            // listed person's family "at the hospital" before this rule.
            // And only an admission made after that hand-over: one made before it was a stranger's, handed over and
            // admitted under the person's id off the manifest, and it would send the family to the stranger's hospital.
            if (progress.admitted && progress.arrived && progress.arrivalVerified && progress.admittedAt >= progress.arrivedAt) {
                reached.add(Milestone.AT_FACILITY);
            }
        }
        return reached;
    }

    /** Where the person was taken on reaching a milestone, if the milestone names a place. */
    String facility(String personId, Milestone milestone) {
        Progress progress = this.progress.get(personId);
        return switch (milestone) {
            case ARRIVED -> progress.destination;
            case AT_FACILITY -> progress.facility;
            default -> null;
        };
    }

    private Progress progress(String personId) {
        return progress.computeIfAbsent(personId, id -> new Progress());
    }

    // ------------------------------------------------------------------ inquiries

    /**
     * Takes a record of the inquiries topic ({@code null}: a tombstone) into the book and, if {@code matched}, into
     * matching. Returns the sought person when the record is a revision that matching has not seen yet.
     */
    PersonDescription recordInquiry(String inquiryId, InquiryRegistered inquiry, boolean matched) {
        boolean withdrawnBefore = book.isWithdrawn(inquiryId);
        book.apply(inquiryId, inquiry);
        if (inquiry == null) {
            if (matched) {
                index.remove(inquiryId);
            }
            return null;
        }
        MatchedInquiry known = inquiry(inquiryId);
        // Matching takes the sought person's revision, not the record's: a record that changes only the relative's
        // details carries the sought person as matching already took it, and a pair decided on it stays decided. A
        // rebuild of a compacted topic sees only the latest record, and reaches the same revision from it.
        int soughtRevision = InquiryBook.soughtRevision(inquiry);
        if (!matched || withdrawnBefore || (known != null && known.revision() >= soughtRevision)) {
            return null;
        }
        PersonDescription description = PersonDescription.sought(inquiry.getSought());
        index.put(inquiryId, soughtRevision, description);
        return description;
    }

    /** Neither withdrawn on the topic nor through REST. */
    boolean isOpen(String inquiryId) {
        return !book.isWithdrawn(inquiryId) && !withdrawnElsewhere.test(inquiryId);
    }

    /** The inquiry as matching knows it, or null. */
    MatchedInquiry inquiry(String inquiryId) {
        OptionalInt revision = index.revision(inquiryId);
        return revision.isPresent() ? new MatchedInquiry(revision.getAsInt()) : null;
    }

    /** The inquiry as matching took it, assessed against a person; empty when matching does not know the inquiry. */
    Optional<Assessment> assess(String inquiryId, PersonDescription person) {
        return index.assess(inquiryId, person);
    }

    InquiryIndex index() {
        return index;
    }

    /** Up to {@code max} inquiries of the matching index, as the book holds them (read-only). */
    List<InquiryRegistered> sampleInquiries(int max) {
        List<InquiryRegistered> sample = new ArrayList<>();
        for (String inquiryId : index.sampleIds(max)) {
            book.find(inquiryId).ifPresent(sample::add);
        }
        return sample;
    }

    int openInquiries() {
        return index.size();
    }

    /**
     * Forgets everything matching knows, before a rebuild. The inquiry book is kept: REST and alert delivery read it while
     * the rebuild runs (up to a minute and a half after a broker restart), and an emptied book made delivery take every
     * inquiry for a withdrawn one and record its alerts as not to be sent. The book holds only committed records, and
     * applying them again leaves it as it is (a revision never goes back, a withdrawal stays), so the replay that follows
     * brings it up to date without a gap.
     */
    void reset() {
        index = new InquiryIndex(scorer);
        scorer.forgetListed();
        persons.clear();
        progress.clear();
        riders.clear();
        crossedTrips.clear();
        busesWithManifest.clear();
    }

    static PersonDescription describe(PersonListingChanged listing) {
        return PersonDescription.listed(listing);
    }
}

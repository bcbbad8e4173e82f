package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.FieldEvidence;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.reunification.matching.Assessment;
import org.homecoming.reunification.matching.Candidate;
import org.homecoming.reunification.matching.Evidence;
import org.homecoming.reunification.matching.InquiryIndex;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.Name;
import org.homecoming.reunification.matching.Outcome;
import org.homecoming.reunification.matching.PersonDescription;
import org.homecoming.reunification.pairing.CandidateRule.Proposal;
import org.homecoming.reunification.pairing.CandidateRule.Verdict;

/**
 * The heart of reunification, without Kafka or Spring: it takes the events it reads (listings, buses, hand-overs,
 * admissions, inquiries, caseworkers' decisions) one at a time and answers with the events to write (match decisions
 * and alerts). The caller writes them in the same Kafka transaction as the consumed offsets.
 *
 * <p>All state is in memory and rebuilt from the topics after a restart (see {@link StateRebuild}); the
 * {@code restore...} methods take the recorded history without reacting to it.
 */
public final class PairingEngine {

    /** {@code decidedBy} of the matcher's own decisions. */
    public static final String MATCHER = "matcher";
    static final String WITHDRAWN_FROM_LIST = "withdrawn from list";
    static final String ARRIVED_UNVERIFIED = "arrived; identity not verified";
    static final String INQUIRY_WITHDRAWN = "inquiry withdrawn";

    /** What the engine asks the caller to write. */
    public record Emitted(Topic<?> topic, String key, SpecificRecord value) {
    }

    /** Counts for ops; the engine reports, the caller counts. */
    public interface Counters {
        Counters NONE = new Counters() {
        };

        default void matchingRun(Outcome best) {
        }

        default void alertIssued(Milestone milestone) {
        }
    }

    private final MatchScorer scorer;
    private final double closeMargin;
    private final Clock clock;
    private final Predicate<String> withdrawnElsewhere;
    private final Counters counters;

    private InquiryIndex index;
    private final Map<String, KnownInquiry> inquiries = new HashMap<>();
    private final Set<String> withdrawnInquiries = new HashSet<>();
    private final Map<String, ListedPerson> persons = new HashMap<>();
    private final Map<String, Progress> progress = new HashMap<>();
    private final Map<String, List<String>> manifests = new HashMap<>();
    private final Set<String> crossedBuses = new HashSet<>();
    private final Map<String, Map<String, Pair>> pairsByInquiry = new HashMap<>();
    private final Map<String, Set<String>> inquiriesByPerson = new HashMap<>();
    private final Map<String, Pair> pairsByMatchId = new HashMap<>();
    private final Map<String, Map<String, AlertIssued>> alertsByInquiry = new HashMap<>();

    /**
     * @param withdrawnElsewhere tells whether an inquiry was withdrawn through REST but the tombstone is not read yet;
     *                           no alert goes out for it from that moment
     */
    public PairingEngine(MatchScorer scorer, double closeMargin, Clock clock, Predicate<String> withdrawnElsewhere, Counters counters) {
        this.scorer = scorer;
        this.closeMargin = closeMargin;
        this.clock = clock;
        this.withdrawnElsewhere = withdrawnElsewhere;
        this.counters = counters;
        this.index = new InquiryIndex(scorer);
    }

    record KnownInquiry(int revision, PersonDescription sought, Language language, AlertChannel channel) {
    }

    static final class ListedPerson {
        PersonDescription description;
        boolean withdrawn;
        long version = -1;
        long matchedVersion = -2;
    }

    static final class Progress {
        boolean crossed;
        boolean arrived;
        boolean arrivalVerified;
        String destination;
        boolean admitted;
        String facility;
    }

    // ------------------------------------------------------------------ live events

    /** Reacts to one record of a consumed topic. {@code value} is null for a tombstone. */
    public synchronized List<Emitted> on(String topic, String key, Object value) {
        List<Emitted> out = new ArrayList<>();
        if (topic.equals(Topics.INQUIRIES.name())) {
            onInquiry(key, (InquiryRegistered) value, out);
        } else if (value instanceof PersonListingChanged listing) {
            ListedPerson person = recordListing(listing);
            if (listing.getChange() == ListingChange.WITHDRAWN) {
                holdForReview(listing.getPersonId(), WITHDRAWN_FROM_LIST, out);
            } else {
                rematch(listing.getPersonId(), person, out);
            }
        } else if (value instanceof BusManifestRegistered manifest) {
            for (String personId : recordManifest(manifest)) {
                reachMilestone(personId, out);
            }
        } else if (value instanceof BusMovementDetected movement) {
            for (String personId : recordMovement(movement)) {
                reachMilestone(personId, out);
            }
        } else if (value instanceof PersonHandedOver handover) {
            recordHandover(handover);
            if (handover.getIdentityVerified()) {
                reachMilestone(handover.getPersonId(), out);
            } else {
                ensureMatched(handover.getPersonId(), out);
                holdForReview(handover.getPersonId(), ARRIVED_UNVERIFIED, out);
            }
        } else if (value instanceof PersonAdmitted admission) {
            recordAdmission(admission);
            reachMilestone(admission.getPersonId(), out);
        } else if (value instanceof MatchDecided decision && !MATCHER.equals(decision.getDecidedBy())) {
            onCaseworkerDecision(decision, out);
        }
        return out;
    }

    private void onInquiry(String inquiryId, InquiryRegistered inquiry, List<Emitted> out) {
        if (inquiry == null) {
            withdraw(inquiryId);
            for (Pair pair : pairsByInquiry.getOrDefault(inquiryId, Map.of()).values()) {
                if (pair.proposed()) {
                    decide(pair, MatchStatus.RETRACTED, INQUIRY_WITHDRAWN, out);
                }
            }
            return;
        }
        KnownInquiry known = inquiries.get(inquiryId);
        if (withdrawnInquiries.contains(inquiryId) || (known != null && known.revision() >= inquiry.getRevision())) {
            return;
        }
        KnownInquiry current = know(inquiryId, inquiry);
        Map<String, Assessment> fresh = new LinkedHashMap<>();
        Outcome best = Outcome.NON_MATCH;
        Map<String, Pair> existing = pairsByInquiry.getOrDefault(inquiryId, Map.of());
        for (Map.Entry<String, ListedPerson> entry : persons.entrySet()) {
            ListedPerson person = entry.getValue();
            if (person.withdrawn || person.description == null) {
                continue;
            }
            Assessment assessment = scorer.assess(current.sought(), person.description);
            if (assessment.outcome() != Outcome.NON_MATCH || existing.containsKey(entry.getKey())) {
                fresh.put(entry.getKey(), assessment);
                best = better(best, assessment.outcome());
            }
        }
        counters.matchingRun(best);
        decideInquiry(inquiryId, fresh, out);
    }

    private void rematch(String personId, ListedPerson person, List<Emitted> out) {
        person.matchedVersion = person.version;
        if (person.withdrawn) {
            return;
        }
        Map<String, Assessment> fresh = new LinkedHashMap<>();
        Outcome best = Outcome.NON_MATCH;
        for (Candidate candidate : index.candidatesFor(person.description)) {
            if (inquiries.containsKey(candidate.inquiryId())) {
                fresh.put(candidate.inquiryId(), candidate.assessment());
                best = better(best, candidate.assessment().outcome());
            }
        }
        for (String inquiryId : inquiriesByPerson.getOrDefault(personId, Set.of())) {
            fresh.putIfAbsent(inquiryId, new Assessment(Outcome.NON_MATCH, 0.0, List.of()));
        }
        counters.matchingRun(best);
        for (Map.Entry<String, Assessment> entry : fresh.entrySet()) {
            decideInquiry(entry.getKey(), Map.of(personId, entry.getValue()), out);
        }
        alertPerson(personId, out);
    }

    /** A milestone may have been reached: make sure the person was matched, then send what is due. */
    private void reachMilestone(String personId, List<Emitted> out) {
        ensureMatched(personId, out);
        alertPerson(personId, out);
    }

    /**
     * Matching at a border crossing or an arrival runs only if the person's current listing was not matched yet: the
     * inquiries registered since were scored against the person when they came in, so scoring again would only repeat
     * the same verdicts (and cost a scan of the index per arrival).
     */
    private void ensureMatched(String personId, List<Emitted> out) {
        ListedPerson person = persons.get(personId);
        if (person != null && person.description != null && !person.withdrawn && person.matchedVersion != person.version) {
            rematch(personId, person, out);
        }
    }

    /** The pair's alerts stop until a caseworker confirms: a listing withdrawn, an arrival not verified. */
    private void holdForReview(String personId, String reason, List<Emitted> out) {
        for (String inquiryId : inquiriesByPerson.getOrDefault(personId, Set.of())) {
            Pair pair = pairsByInquiry.get(inquiryId).get(personId);
            if (pair.alerting() && isOpen(inquiryId)) {
                decide(pair, MatchStatus.REVIEW_REQUESTED, reason, out);
            }
        }
    }

    private void onCaseworkerDecision(MatchDecided decision, List<Emitted> out) {
        Pair pair = pairsByMatchId.get(decision.getMatchId());
        if (pair == null) {
            return;
        }
        if (decision.getStatus() == MatchStatus.CONFIRMED
                && (pair.status == MatchStatus.REVIEW_REQUESTED || pair.status == MatchStatus.AUTO_MATCHED)) {
            applyCaseworker(pair, decision);
            Progress progress = this.progress.get(pair.personId);
            if (progress != null && progress.arrived) {
                progress.arrivalVerified = true; // the caseworker checked who arrived before confirming
            }
            alertPair(pair, out);
        } else if (decision.getStatus() == MatchStatus.REJECTED && pair.status != MatchStatus.REJECTED) {
            applyCaseworker(pair, decision);
        }
    }

    private void applyCaseworker(Pair pair, MatchDecided decision) {
        pair.status = decision.getStatus();
        pair.reason = decision.getReason();
        pair.decidedBy = decision.getDecidedBy();
        pair.decidedAt = decision.getDecidedAt();
        if (decision.getInquiryRevision() != null) {
            pair.inquiryRevision = decision.getInquiryRevision();
        }
        if (decision.getPersonChangedAt() != null) {
            pair.personVersion = decision.getPersonChangedAt().toEpochMilli();
        }
    }

    // ------------------------------------------------------------------ deciding

    /** Applies fresh assessments of some of an inquiry's candidates, then re-decides all its candidates together. */
    private void decideInquiry(String inquiryId, Map<String, Assessment> fresh, List<Emitted> out) {
        KnownInquiry inquiry = inquiries.get(inquiryId);
        if (inquiry == null || !isOpen(inquiryId)) {
            return;
        }
        Map<String, Pair> pairs = pairsByInquiry.computeIfAbsent(inquiryId, id -> new LinkedHashMap<>());
        Map<String, Assessment> applicable = new LinkedHashMap<>();
        for (Map.Entry<String, Assessment> entry : fresh.entrySet()) {
            String personId = entry.getKey();
            Pair pair = pairs.get(personId);
            ListedPerson person = persons.get(personId);
            if (pair != null && pair.status == MatchStatus.REJECTED
                    && pair.inquiryRevision == inquiry.revision() && pair.personVersion == person.version) {
                continue; // remembered rejection: neither side was corrected since
            }
            if (pair == null && entry.getValue().outcome() == Outcome.NON_MATCH) {
                continue;
            }
            applicable.put(personId, entry.getValue());
        }
        List<Proposal> proposals = new ArrayList<>();
        for (Pair pair : pairs.values()) {
            Assessment assessment = applicable.get(pair.personId);
            if (assessment != null) {
                boolean reopened = pair.status == MatchStatus.REJECTED || pair.status == MatchStatus.RETRACTED;
                proposals.add(new Proposal(pair.personId, assessment.outcome(), assessment.score(), reopened ? null : pair.status));
            } else if (pair.proposed()) {
                proposals.add(new Proposal(pair.personId, pair.outcome, pair.score, pair.status));
            }
        }
        for (Map.Entry<String, Assessment> entry : applicable.entrySet()) {
            if (!pairs.containsKey(entry.getKey())) {
                proposals.add(new Proposal(entry.getKey(), entry.getValue().outcome(), entry.getValue().score(), null));
            }
        }
        Map<String, Verdict> verdicts = CandidateRule.decide(proposals, closeMargin);
        for (Proposal proposal : proposals) {
            Assessment assessment = applicable.get(proposal.personId());
            Verdict verdict = verdicts.get(proposal.personId());
            Pair pair = pairs.get(proposal.personId());
            if (pair == null) {
                if (verdict == null) {
                    continue;
                }
                pair = new Pair(inquiryId, proposal.personId());
                pairs.put(pair.personId, pair);
                inquiriesByPerson.computeIfAbsent(pair.personId, id -> new LinkedHashSet<>()).add(inquiryId);
                pairsByMatchId.put(pair.matchId, pair);
            }
            if (assessment != null) {
                boolean rescored = assessment.score() != pair.score || !assessment.evidence().equals(pair.evidence);
                pair.outcome = assessment.outcome();
                pair.score = assessment.score();
                pair.evidence = assessment.evidence();
                pair.inquiryRevision = inquiry.revision();
                pair.personVersion = persons.get(pair.personId).version;
                if (verdict != null && (verdict.status() != pair.status || (rescored && pair.status != MatchStatus.REJECTED))) {
                    decide(pair, verdict.status(), verdict.reason() == null ? pair.reason : verdict.reason(), out);
                }
            } else if (verdict != null && verdict.status() != pair.status) {
                decide(pair, verdict.status(), verdict.reason(), out);
            }
        }
        for (Pair pair : pairs.values()) {
            alertPair(pair, out);
        }
    }

    /** Records the matcher's decision on the pair and asks for its MatchDecided, with the pair's current evidence. */
    private void decide(Pair pair, MatchStatus status, String reason, List<Emitted> out) {
        pair.status = status;
        pair.reason = reason;
        pair.decidedBy = MATCHER;
        pair.decidedAt = clock.instant();
        out.add(new Emitted(Topics.MATCHES, pair.inquiryId, MatchDecided.newBuilder()
                .setMatchId(pair.matchId)
                .setInquiryId(pair.inquiryId)
                .setPersonId(pair.personId)
                .setStatus(status)
                .setScore(pair.score)
                .setEvidence(pair.evidence.stream().map(e -> new FieldEvidence(e.field(), e.level(), e.weight())).toList())
                .setDecidedBy(MATCHER)
                .setReason(reason)
                .setDecidedAt(pair.decidedAt)
                .setInquiryRevision(pair.inquiryRevision)
                .setPersonChangedAt(Instant.ofEpochMilli(pair.personVersion))
                .build()));
    }

    // ------------------------------------------------------------------ alerts

    private void alertPerson(String personId, List<Emitted> out) {
        for (String inquiryId : inquiriesByPerson.getOrDefault(personId, Set.of())) {
            alertPair(pairsByInquiry.get(inquiryId).get(personId), out);
        }
    }

    private void alertPair(Pair pair, List<Emitted> out) {
        KnownInquiry inquiry = inquiries.get(pair.inquiryId);
        Map<String, AlertIssued> issued = alertsByInquiry.getOrDefault(pair.inquiryId, Map.of());
        Set<Milestone> issuedForPair = EnumSet.noneOf(Milestone.class);
        for (AlertIssued alert : issued.values()) {
            if (alert.getPersonId().equals(pair.personId)) {
                issuedForPair.add(alert.getMilestone());
            }
        }
        Optional<Milestone> due = AlertRules.due(pair.status, inquiry != null && isOpen(pair.inquiryId),
                reached(pair.personId), issuedForPair);
        if (due.isEmpty()) {
            return;
        }
        Milestone milestone = due.get();
        Progress progress = this.progress.get(pair.personId);
        String facility = switch (milestone) {
            case ARRIVED -> progress.destination;
            case AT_FACILITY -> progress.facility;
            default -> null;
        };
        AlertIssued alert = AlertIssued.newBuilder()
                .setAlertId(AlertRules.alertId(pair.inquiryId, pair.personId, milestone))
                .setInquiryId(pair.inquiryId)
                .setPersonId(pair.personId)
                .setMilestone(milestone)
                .setLanguage(inquiry.language())
                .setChannel(inquiry.channel())
                .setFacility(facility)
                .setIssuedAt(clock.instant())
                .build();
        alertsByInquiry.computeIfAbsent(pair.inquiryId, id -> new LinkedHashMap<>()).put(alert.getAlertId(), alert);
        counters.alertIssued(milestone);
        out.add(new Emitted(Topics.ALERTS, pair.inquiryId, alert));
    }

    private Set<Milestone> reached(String personId) {
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
            if (progress.admitted) {
                reached.add(Milestone.AT_FACILITY);
            }
        }
        return reached;
    }

    private boolean isOpen(String inquiryId) {
        return !withdrawnInquiries.contains(inquiryId) && !withdrawnElsewhere.test(inquiryId);
    }

    // ------------------------------------------------------------------ facts (shared by live and restore)

    private ListedPerson recordListing(PersonListingChanged listing) {
        ListedPerson person = persons.computeIfAbsent(listing.getPersonId(), id -> new ListedPerson());
        if (listing.getChange() == ListingChange.WITHDRAWN) {
            person.withdrawn = true;
            if (person.description == null) {
                person.description = describe(listing);
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
            person.description = description;
            person.version = Math.max(listing.getChangedAt().toEpochMilli(), person.version + 1);
        }
        return person;
    }

    private List<String> recordManifest(BusManifestRegistered manifest) {
        manifests.put(manifest.getBusId(), List.copyOf(manifest.getPersonIds()));
        if (!crossedBuses.contains(manifest.getBusId())) {
            return List.of();
        }
        manifest.getPersonIds().forEach(personId -> progress(personId).crossed = true);
        return manifest.getPersonIds();
    }

    private List<String> recordMovement(BusMovementDetected movement) {
        if (movement.getMovement() != Movement.BORDER_CROSSED) {
            return List.of();
        }
        crossedBuses.add(movement.getBusId());
        List<String> riders = manifests.getOrDefault(movement.getBusId(), List.of());
        riders.forEach(personId -> progress(personId).crossed = true);
        return riders;
    }

    private void recordHandover(PersonHandedOver handover) {
        if (!handover.getOnManifest()) {
            // Not on the bus's manifest: transport recorded a discrepancy for review. Until someone resolves it the
            // hand-over proves nothing about who arrived, so it is no arrival and no relative is alerted.
            return;
        }
        Progress progress = progress(handover.getPersonId());
        progress.arrived = true;
        progress.arrivalVerified |= handover.getIdentityVerified();
        // The facility's id only: alerts name it from the configured list, never from text a caller typed.
        progress.destination = handover.getDestinationFacilityId();
    }

    private void recordAdmission(PersonAdmitted admission) {
        Progress progress = progress(admission.getPersonId());
        progress.admitted = true;
        progress.facility = admission.getFacilityId();
    }

    private Progress progress(String personId) {
        return progress.computeIfAbsent(personId, id -> new Progress());
    }

    /** Keyed by the record key's string, the same instance the inquiry book uses: a million ids are held. */
    private KnownInquiry know(String inquiryId, InquiryRegistered inquiry) {
        var sought = inquiry.getSought();
        PersonDescription description = new PersonDescription(sought.getNames().stream().map(PairingEngine::name).toList(),
                sought.getBirthDate(), sought.getBirthYear(), sought.getCategory());
        AlertChannel channel = inquiry.getRelative().getEmail() != null ? AlertChannel.EMAIL : AlertChannel.SMS;
        KnownInquiry known = new KnownInquiry(inquiry.getRevision(), description, inquiry.getRelative().getLanguage(), channel);
        inquiries.put(inquiryId, known);
        index.put(inquiryId, description);
        return known;
    }

    private void withdraw(String inquiryId) {
        withdrawnInquiries.add(inquiryId);
        inquiries.remove(inquiryId);
        index.remove(inquiryId);
    }

    static PersonDescription describe(PersonListingChanged listing) {
        List<Name> names = new ArrayList<>();
        names.add(name(listing.getNativeName()));
        if (listing.getLatinName() != null) {
            names.add(name(listing.getLatinName()));
        }
        return new PersonDescription(names, listing.getBirthDate(), null, listing.getCategory());
    }

    /** Names repeat a great deal (given names and patronymics above all), so each distinct string is held once. */
    private static Name name(PersonName name) {
        return new Name(name.getSurname().intern(), name.getGivenName().intern(),
                name.getPatronymic() == null ? null : name.getPatronymic().intern());
    }

    private static Outcome better(Outcome a, Outcome b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    // ------------------------------------------------------------------ restore after a restart

    /** Forgets everything, before a rebuild. */
    public synchronized void reset() {
        index = new InquiryIndex(scorer);
        inquiries.clear();
        withdrawnInquiries.clear();
        persons.clear();
        progress.clear();
        manifests.clear();
        crossedBuses.clear();
        pairsByInquiry.clear();
        inquiriesByPerson.clear();
        pairsByMatchId.clear();
        alertsByInquiry.clear();
    }

    /** Takes a consumed roster or transport event as a fact, without matching or alerting (that happened before). */
    public synchronized void restoreFact(Object value) {
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

    /** Takes a consumed inquiry record (null: tombstone) into the index, without matching (that happened before). */
    public synchronized void restoreInquiry(String inquiryId, InquiryRegistered inquiry) {
        if (inquiry == null) {
            withdraw(inquiryId);
        } else if (!withdrawnInquiries.contains(inquiryId)) {
            know(inquiryId, inquiry);
        }
    }

    /** Takes a recorded decision, the matcher's or a caseworker's, as the pair's status. */
    public synchronized void restoreDecision(MatchDecided decision) {
        Pair pair = pairsByInquiry.computeIfAbsent(decision.getInquiryId(), id -> new LinkedHashMap<>())
                .computeIfAbsent(decision.getPersonId(), personId -> new Pair(decision.getInquiryId(), personId));
        pairsByMatchId.put(pair.matchId, pair);
        inquiriesByPerson.computeIfAbsent(pair.personId, id -> new LinkedHashSet<>()).add(pair.inquiryId);
        if (MATCHER.equals(decision.getDecidedBy())) {
            pair.score = decision.getScore();
            pair.evidence = decision.getEvidence().stream().map(e -> new Evidence(e.getField(), e.getLevel(), e.getWeight())).toList();
            pair.outcome = switch (decision.getStatus()) {
                case AUTO_MATCHED, CONFIRMED -> Outcome.AUTO_MATCH;
                case REVIEW_REQUESTED -> rescore(pair);
                default -> Outcome.NON_MATCH;
            };
        }
        pair.status = decision.getStatus();
        pair.reason = decision.getReason();
        pair.decidedBy = decision.getDecidedBy();
        pair.decidedAt = decision.getDecidedAt();
        if (decision.getInquiryRevision() != null) {
            pair.inquiryRevision = decision.getInquiryRevision();
        }
        if (decision.getPersonChangedAt() != null) {
            pair.personVersion = decision.getPersonChangedAt().toEpochMilli();
        }
        Progress progress = this.progress.get(pair.personId);
        if (decision.getStatus() == MatchStatus.CONFIRMED && progress != null && progress.arrived) {
            progress.arrivalVerified = true;
        }
    }

    /** A pair in review may hide an AUTO_MATCH held back by the two-candidates rule; the record does not say. */
    private Outcome rescore(Pair pair) {
        KnownInquiry inquiry = inquiries.get(pair.inquiryId);
        ListedPerson person = persons.get(pair.personId);
        if (inquiry == null || person == null || person.description == null) {
            return Outcome.REVIEW;
        }
        return scorer.assess(inquiry.sought(), person.description).outcome();
    }

    public synchronized void restoreAlert(AlertIssued alert) {
        alertsByInquiry.computeIfAbsent(alert.getInquiryId(), id -> new LinkedHashMap<>()).put(alert.getAlertId(), alert);
    }

    // ------------------------------------------------------------------ queries

    synchronized List<MatchView> matches(MatchStatus status) {
        return pairsByMatchId.values().stream()
                .filter(pair -> status == null || pair.status == status)
                .sorted(Comparator.comparing((Pair pair) -> pair.decidedAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .map(Pair::view)
                .toList();
    }

    synchronized Optional<MatchView> match(String matchId) {
        return Optional.ofNullable(pairsByMatchId.get(matchId)).map(Pair::view);
    }

    public synchronized List<AlertIssued> alertsOf(String inquiryId) {
        return List.copyOf(alertsByInquiry.getOrDefault(inquiryId, Map.of()).values());
    }

    public synchronized int openInquiries() {
        return index.size();
    }
}

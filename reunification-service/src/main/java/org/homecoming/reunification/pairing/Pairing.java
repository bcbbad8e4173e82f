package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.Assessment;
import org.homecoming.reunification.matching.Candidate;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.Outcome;
import org.homecoming.reunification.matching.PersonDescription;
import org.homecoming.reunification.pairing.Facts.ListedPerson;

/**
 * Pairing without Kafka or Spring: each record read (listings, buses, hand-overs, admissions, inquiries, caseworkers'
 * decisions) takes one path through the three owners of the state, and the answer is the records to write (match
 * decisions and alerts) in the same transaction as the consumed offsets:
 * <ol>
 *   <li>{@link Facts} records what happened to a person or an inquiry;</li>
 *   <li>{@link MatchBook} re-decides the pairs the fact concerns;</li>
 *   <li>{@link AlertBook} issues what is due for the pairs touched, each pair once, at the end of the path.</li>
 * </ol>
 * All state is in memory and rebuilt from the topics after a restart (see {@link StateRebuild}); the {@code restore}
 * methods take the recorded history without reacting to it.
 */
public final class Pairing {

    /** Counts for ops; pairing reports, the caller counts. */
    public interface Counters extends AlertBook.Counter {
        Counters NONE = new Counters() {
        };

        default void matchingRun(Outcome best) {
        }

        @Override
        default void alertIssued(org.homecoming.events.reunification.Milestone milestone) {
        }
    }

    private final MatchScorer scorer;
    private final Counters counters;
    private final Facts facts;
    private final MatchBook matches;
    private final AlertBook alerts;

    /**
     * @param withdrawnElsewhere tells whether an inquiry was withdrawn through REST but the tombstone is not read yet;
     *                           no alert goes out for it from that moment
     */
    public Pairing(MatchScorer scorer, double closeMargin, Clock clock, InquiryBook book, Predicate<String> withdrawnElsewhere,
                   Counters counters) {
        this.scorer = scorer;
        this.counters = counters;
        this.facts = new Facts(scorer, book, withdrawnElsewhere);
        this.matches = new MatchBook(closeMargin, clock, facts);
        this.alerts = new AlertBook(facts, book, matches, clock, counters);
    }

    public MatchBook matches() {
        return matches;
    }

    public AlertBook alerts() {
        return alerts;
    }

    // ------------------------------------------------------------------ live records

    /** Reacts to one record of a consumed topic. {@code value} is null for a tombstone. */
    public synchronized List<Emitted> on(String topic, String key, Object value) {
        List<Emitted> out = new ArrayList<>();
        Set<Pair> touched = new LinkedHashSet<>();
        if (topic.equals(Topics.INQUIRIES.name())) {
            onInquiry(key, Topics.INQUIRIES.value(value), touched, out);
        } else if (value instanceof PersonListingChanged listing) {
            ListedPerson person = facts.recordListing(listing);
            if (listing.getChange() == ListingChange.WITHDRAWN) {
                matches.holdForReview(listing.getPersonId(), MatchBook.WITHDRAWN_FROM_LIST, out);
            } else {
                rematch(listing.getPersonId(), person, touched, out);
            }
        } else if (value instanceof BusManifestRegistered manifest) {
            facts.recordManifest(manifest).forEach(personId -> reachMilestone(personId, touched, out));
        } else if (value instanceof BusMovementDetected movement) {
            facts.recordMovement(movement).forEach(personId -> reachMilestone(personId, touched, out));
        } else if (value instanceof PersonHandedOver handover) {
            facts.recordHandover(handover);
            if (handover.getIdentityVerified()) {
                reachMilestone(handover.getPersonId(), touched, out);
            } else {
                ensureMatched(handover.getPersonId(), touched, out);
                matches.holdForReview(handover.getPersonId(), MatchBook.ARRIVED_UNVERIFIED, out);
            }
        } else if (value instanceof PersonAdmitted admission) {
            facts.recordAdmission(admission);
            reachMilestone(admission.getPersonId(), touched, out);
        } else if (value instanceof MatchDecided decision && !MatchBook.MATCHER.equals(decision.getDecidedBy())) {
            matches.applyCaseworker(decision).ifPresent(touched::add);
        }
        alerts.issueDue(touched, out);
        return out;
    }

    /**
     * Decides and issues what the facts call for and the books lack, after a rebuild: every listed person is scored
     * again against the owned inquiries, the pairs of inquiries withdrawn since are retracted, a matcher's match of a
     * person withdrawn from the list or whose arrival was not verified goes to review, and each pair's due alert is
     * issued. What an earlier owner already wrote is in the books, so it is not written again: matching the same
     * listing against the same revision decides the same, and an alert is issued once per milestone.
     */
    public synchronized List<Emitted> reconcile() {
        List<Emitted> out = new ArrayList<>();
        reconcile(out::add);
        return out;
    }

    /**
     * As {@link #reconcile()}, handing the records to {@code sink} once everything is decided, the decisions first,
     * each made as it is handed over (see {@link MatchBook#deferDecisions}): a first reconciliation against a million
     * inquiries can decide a few hundred thousand pairs. Nothing is handed over before the deciding ends, so a
     * transaction the sink sends into is open on the broker only while the records are sent.
     *
     * @return how many records were handed over
     */
    public synchronized int reconcile(Consumer<Emitted> sink) {
        List<Emitted> out = new ArrayList<>();
        Set<Pair> touched = new LinkedHashSet<>();
        matches.deferDecisions();
        List<Pair> decided;
        try {
            for (String inquiryId : matches.inquiries()) {
                if (facts.inquiry(inquiryId) == null) {
                    matches.retract(inquiryId, out);
                }
            }
            for (Map.Entry<String, ListedPerson> entry : facts.persons().entrySet()) {
                String personId = entry.getKey();
                ListedPerson person = entry.getValue();
                if (person.matchable()) {
                    rematch(personId, person, touched, out);
                }
                if (person.withdrawn) {
                    matches.holdMatcherMatchForReview(personId, MatchBook.WITHDRAWN_FROM_LIST, out);
                } else if (facts.arrivedUnverified(personId)) {
                    matches.holdMatcherMatchForReview(personId, MatchBook.ARRIVED_UNVERIFIED, out);
                }
                touched.addAll(matches.pairsOf(personId));
            }
        } finally {
            decided = matches.takeUnwritten();
        }
        alerts.issueDue(touched, out);
        decided.forEach(pair -> sink.accept(matches.written(pair)));
        out.forEach(sink);
        return decided.size() + out.size();
    }

    /**
     * Why a record makes no sense yet, or null when it does: it names a person nobody listed (an arrival, an admission,
     * a withdrawal), a bus without a manifest (a movement) or a match the matcher never proposed (a caseworker's
     * decision). Such a record is held, not processed, until it makes sense (see {@link #onHeld}) or its time is up.
     */
    public synchronized String unresolved(Object value) {
        if (value instanceof PersonListingChanged listing && listing.getChange() == ListingChange.WITHDRAWN
                && facts.person(listing.getPersonId()) == null) {
            return "withdrawal of person " + listing.getPersonId() + ", who was never listed";
        } else if (value instanceof PersonHandedOver handover && handover.getOnManifest() && facts.person(handover.getPersonId()) == null) {
            // a hand-over of someone not on the manifest is transport's discrepancy to review, not ours to hold
            return "arrival of person " + handover.getPersonId() + ", who was never listed";
        } else if (value instanceof PersonAdmitted admission && facts.person(admission.getPersonId()) == null) {
            return "admission of person " + admission.getPersonId() + ", who was never listed";
        } else if (value instanceof BusMovementDetected movement && !facts.knowsBus(movement.getBusId())) {
            return "movement " + movement.getMovement() + " of bus " + movement.getBusId() + ", which has no manifest";
        } else if (value instanceof MatchDecided decision && !MatchBook.MATCHER.equals(decision.getDecidedBy())
                && !matches.knows(decision)) {
            return "decision " + decision.getStatus() + " about match " + decision.getMatchId() + ", which was never proposed";
        }
        return null;
    }

    /** Reacts to a held record that makes sense now ({@link #unresolved} is null). */
    public synchronized List<Emitted> onHeld(String topic, String key, Object value) {
        return superseded(value) ? List.of() : on(topic, key, value);
    }

    /**
     * A withdrawal held until the person was listed is older than that listing when the listing is newer: the person
     * is listed now, and the withdrawal changes nothing.
     */
    private boolean superseded(Object value) {
        if (value instanceof PersonListingChanged listing && listing.getChange() == ListingChange.WITHDRAWN) {
            ListedPerson person = facts.person(listing.getPersonId());
            return person != null && person.version > listing.getChangedAt().toEpochMilli();
        }
        return false;
    }

    private void onInquiry(String inquiryId, InquiryRegistered inquiry, Set<Pair> touched, List<Emitted> out) {
        var sought = facts.recordInquiry(inquiryId, inquiry, true);
        if (inquiry == null) {
            matches.retract(inquiryId, out);
            return;
        }
        if (sought == null) {
            return; // a revision already matched, or an inquiry withdrawn
        }
        Map<String, Assessment> fresh = new LinkedHashMap<>();
        Outcome best = Outcome.NON_MATCH;
        for (Map.Entry<String, ListedPerson> entry : facts.persons().entrySet()) {
            ListedPerson person = entry.getValue();
            if (!person.matchable()) {
                continue;
            }
            Assessment assessment = scorer.assess(sought, person.description);
            if (assessment.outcome() != Outcome.NON_MATCH || matches.isPaired(inquiryId, entry.getKey())) {
                fresh.put(entry.getKey(), assessment);
                best = better(best, assessment.outcome());
            }
        }
        counters.matchingRun(best);
        touched.addAll(matches.decideInquiry(inquiryId, fresh, out));
    }

    /** Scores a person's current listing against the open inquiries and re-decides every inquiry it concerns. */
    private void rematch(String personId, ListedPerson person, Set<Pair> touched, List<Emitted> out) {
        person.matchedVersion = person.version;
        if (person.withdrawn) {
            return;
        }
        Map<String, Assessment> fresh = new LinkedHashMap<>();
        Outcome best = Outcome.NON_MATCH;
        for (Candidate candidate : facts.index().candidatesFor(person.description)) {
            if (facts.inquiry(candidate.inquiryId()) != null) {
                fresh.put(candidate.inquiryId(), candidate.assessment());
                best = better(best, candidate.assessment().outcome());
            }
        }
        for (String inquiryId : matches.inquiriesOf(personId)) {
            fresh.putIfAbsent(inquiryId, new Assessment(Outcome.NON_MATCH, 0.0, List.of()));
        }
        counters.matchingRun(best);
        for (Map.Entry<String, Assessment> entry : fresh.entrySet()) {
            touched.addAll(matches.decideInquiry(entry.getKey(), Map.of(personId, entry.getValue()), out));
        }
        touched.addAll(matches.pairsOf(personId));
    }

    /** A milestone may have been reached: make sure the person was matched; the person's pairs may alert. */
    private void reachMilestone(String personId, Set<Pair> touched, List<Emitted> out) {
        ensureMatched(personId, touched, out);
        touched.addAll(matches.pairsOf(personId));
    }

    /**
     * Matching at a border crossing or an arrival runs only if the person's current listing was not matched yet: the
     * inquiries registered since were scored against the person when they came in, so scoring again would only repeat
     * the same verdicts (and cost a scan of the index per arrival).
     */
    private void ensureMatched(String personId, Set<Pair> touched, List<Emitted> out) {
        ListedPerson person = facts.person(personId);
        if (person != null && person.matchable() && person.matchedVersion != person.version) {
            rematch(personId, person, touched, out);
        }
    }

    private static Outcome better(Outcome a, Outcome b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    // ------------------------------------------------------------------ restore after a restart

    /** Forgets everything, before a rebuild. Until {@link #rebuilt}, REST reads of pairs and alerts see the state before. */
    public synchronized void reset() {
        facts.reset();
        matches.reset();
        alerts.reset();
    }

    /** The rebuild that {@link #reset} began is done. */
    public synchronized void rebuilt() {
        matches.rebuilt();
        alerts.rebuilt();
    }

    /** Takes a consumed roster or transport event as a fact, without matching or alerting (that happened before). */
    public synchronized void restoreFact(Object value) {
        facts.restore(value);
    }

    /**
     * Takes a consumed inquiry record (null: tombstone) into the book and, if pairing {@code matched} it before, into
     * the matching index, without matching (that happened before).
     */
    public synchronized void restoreInquiry(String inquiryId, InquiryRegistered inquiry, boolean matched) {
        facts.recordInquiry(inquiryId, inquiry, matched);
    }

    /**
     * Takes a record that was held when the state was last built and makes sense now, as {@link #restoreFact} or
     * {@link #restoreDecision} would have (its reaction, if any, is on the topics already).
     */
    public synchronized void restoreResolved(Object value) {
        if (superseded(value)) {
            return;
        }
        if (value instanceof MatchDecided decision) {
            matches.restore(decision);
        } else {
            facts.restore(value);
        }
    }

    /** Takes a recorded decision, the matcher's or a caseworker's, as the pair's status. */
    public synchronized void restoreDecision(MatchDecided decision) {
        matches.restore(decision);
    }

    public synchronized void restoreAlert(AlertIssued alert) {
        alerts.restore(alert);
    }

    // ------------------------------------------------------------------ read-only, for the warm-up before readiness

    /** Up to {@code max} inquiries that matching holds, spread over the index, as recorded. Changes nothing. */
    public synchronized List<InquiryRegistered> sampleInquiries(int max) {
        return facts.sampleInquiries(max);
    }

    /**
     * The inquiries a listed person would be matched with, scored against the matching index as a listing is, but
     * nothing decided or recorded. Takes no lock: the index's readers never block its writer (a batch being processed).
     */
    public List<Candidate> candidatesFor(PersonDescription listed) {
        return facts.index().candidatesFor(listed);
    }

    public synchronized int openInquiries() {
        return facts.openInquiries();
    }
}

package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.FieldEvidence;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.matching.Assessment;
import org.homecoming.reunification.matching.Evidence;
import org.homecoming.reunification.matching.Outcome;
import org.homecoming.reunification.pairing.CandidateRule.Proposal;
import org.homecoming.reunification.pairing.CandidateRule.Verdict;
import org.homecoming.reunification.pairing.Facts.ListedPerson;
import org.homecoming.reunification.pairing.Facts.MatchedInquiry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every (inquiry, person) pair ever proposed, and the rules that decide its status: the {@link CandidateRule} over all
 * candidates of an inquiry, rejections remembered until a side is corrected, caseworkers' decisions. The only writer of
 * the pairs; each status change it makes is a {@link MatchDecided} to write.
 */
public final class MatchBook {

    private static final Logger log = LoggerFactory.getLogger(MatchBook.class);

    /** {@code decidedBy} of the matcher's own decisions. */
    public static final String MATCHER = "matcher";
    static final String WITHDRAWN_FROM_LIST = "withdrawn from list";
    static final String ARRIVED_UNVERIFIED = "arrived; identity not verified";
    /** Also read by the ops console: a pair retracted for this reason needs no correction to the family. */
    static final String INQUIRY_WITHDRAWN = "inquiry withdrawn";
    /** A confirmed pair whose inquiry or person was corrected since, sent back to a caseworker. */
    static final String CORRECTED = "corrected after confirmation";
    static final String CORRECTED_NO_LONGER = CORRECTED + ": " + CandidateRule.NO_LONGER;
    static final String CORRECTED_OUTWEIGHED = CORRECTED + ": " + CandidateRule.OUTWEIGHED;
    /** A pair a caseworker rejected, whose inquiry or person was corrected since, and which now matches clearly. */
    static final String CORRECTED_AFTER_REJECTION = "corrected after rejection";

    /** The reasons the matcher gives: a pair restored from its record holds the one string, not a copy of its own. */
    private static final List<String> MATCHER_REASONS = List.of(WITHDRAWN_FROM_LIST, ARRIVED_UNVERIFIED, INQUIRY_WITHDRAWN,
            CORRECTED, CORRECTED_NO_LONGER, CORRECTED_OUTWEIGHED, CORRECTED_AFTER_REJECTION,
            CandidateRule.AUTO, CandidateRule.REVIEW_BAND, CandidateRule.TWO_STRONG, CandidateRule.NO_LONGER, CandidateRule.OUTWEIGHED);
    private static final int MOST_EVENT_EVIDENCE = 20_000;

    private final double closeMargin;
    private final Clock clock;
    private final Facts facts;

    /*
     * A service holds hundreds of thousands of pairs (a million open inquiries, each listed person with a few namesakes
     * in review), and most inquiries and persons have one or two. So each side keeps its pairs in a plain array in the
     * order they were made, not in a map of its own: a map per inquiry cost some 200 bytes before its first pair. The
     * arrays and the pairs are held in tables of their own ({@link PairsBySide}, {@link PairsByMatchId}), without a
     * hash map's node per entry. The pairs of an inquiry share one id string (and so do a person's): the ids that
     * reach the book are new strings each time, and one per pair cost some 80 bytes.
     */
    private PairsBySide pairsByInquiry = PairsBySide.byInquiry();
    private PairsBySide pairsByPerson = PairsBySide.byPerson();
    private PairsByMatchId pairsByMatchId = new PairsByMatchId();
    /**
     * The pairs as they were when a rebuild began, for REST reads until it ends (after a broker restart it can take a
     * minute, and a caseworker must not see the queue shrink or a match answer 404 meanwhile); null when none runs.
     */
    private Previous previous;
    /** The pairs decided while decisions are deferred ({@link #deferDecisions}); null otherwise. */
    private List<Pair> unwritten;
    /** By identity: the keys are {@link Evidence#shared} lists, as every pair holds them. */
    private final Map<List<Evidence>, List<FieldEvidence>> eventEvidence = new IdentityHashMap<>();
    /**
     * The pairs that became a match again since {@link #takeStandingAgain} was last asked: decided before, then out of
     * play (back in review, rejected, retracted), now auto-matched or confirmed. An alert issued before the fall may
     * have been withheld by delivery meanwhile, so it is issued again ({@link AlertBook#issueDue}).
     */
    private List<Pair> standingAgain = new ArrayList<>();
    /**
     * The inquiries whose pairs this book changed for records not committed yet (the pairing batch's transaction is
     * open), while {@link #trackCommits} is on; every inquiry while a reconciliation's records are not. A pair moves
     * here before its record commits: a caseworker's decision read on it and committed first would name a revision
     * the other instances and a rebuild do not know yet, and be dropped there (see {@link #uncommitted}).
     */
    private final Set<String> uncommitted = new java.util.HashSet<>();
    private boolean allUncommitted;
    /**
     * A transaction that carried the book's records did not commit, and the book still holds what it moved: every
     * inquiry counts as uncommitted until a rebuild from the committed topics is done ({@link #rebuilt}). The end of
     * the transaction is not enough: the redelivery that rebuilds comes only after the container's pause.
     */
    private boolean abandonedMoves;
    private boolean tracksCommits;

    MatchBook(double closeMargin, Clock clock, Facts facts) {
        this.closeMargin = closeMargin;
        this.clock = clock;
        this.facts = facts;
    }

    // ------------------------------------------------------------------ deciding

    /**
     * Applies fresh assessments of some of an inquiry's candidates, then re-decides all its candidates together.
     * Returns the inquiry's pairs (their alerts may be due), or nothing for an inquiry that is unknown or closed.
     */
    synchronized Collection<Pair> decideInquiry(String inquiryId, Map<String, Assessment> fresh, List<Emitted> out) {
        MatchedInquiry inquiry = facts.inquiry(inquiryId);
        if (inquiry == null || !facts.isOpen(inquiryId)) {
            return List.of();
        }
        Pair[] pairs = pairsByInquiry.of(inquiryId);
        Map<String, Assessment> applicable = new LinkedHashMap<>();
        for (Map.Entry<String, Assessment> entry : fresh.entrySet()) {
            String personId = entry.getKey();
            Pair pair = find(pairs, personId);
            ListedPerson person = facts.person(personId);
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
        Set<String> relisted = Set.of();
        for (Pair pair : pairs) {
            Assessment assessment = applicable.get(pair.personId);
            if (assessment != null) {
                boolean listedAgain = listedAgain(pair);
                if (listedAgain) {
                    relisted = relisted.isEmpty() ? new LinkedHashSet<>() : relisted;
                    relisted.add(pair.personId);
                }
                boolean reopened = pair.status == MatchStatus.REJECTED || pair.status == MatchStatus.RETRACTED || listedAgain;
                // A confirmation holds for the inquiry and the person the caseworker saw. Corrected since (perhaps a
                // different man), it is weighed as a pair in review: retracted if it no longer matches, else back to
                // a caseworker; never an auto-match, and never an alert on the old decision meanwhile.
                MatchStatus current = reopened ? null
                        : pair.status == MatchStatus.CONFIRMED && correctedSince(pair, inquiry) ? MatchStatus.REVIEW_REQUESTED
                        : pair.status;
                proposals.add(new Proposal(pair.personId, assessment.outcome(), assessment.score(), current));
            } else if (pair.proposed()) {
                proposals.add(new Proposal(pair.personId, pair.outcome, pair.score, pair.status));
            }
        }
        for (Map.Entry<String, Assessment> entry : applicable.entrySet()) {
            if (find(pairs, entry.getKey()) == null) {
                proposals.add(new Proposal(entry.getKey(), entry.getValue().outcome(), entry.getValue().score(), null));
            }
        }
        Map<String, Verdict> verdicts = CandidateRule.decide(proposals, closeMargin);
        for (Proposal proposal : proposals) {
            Assessment assessment = applicable.get(proposal.personId());
            Verdict verdict = verdicts.get(proposal.personId());
            if (verdict == null && relisted.contains(proposal.personId())) {
                // Listed again, but as someone the inquiry no longer fits (the amendment corrected his data). Weighed
                // as new, the rule has no verdict on him; yet the pair is still proposed, held "withdrawn from list",
                // which is no longer true: it sat in the caseworkers' queue and the hotline told the family he was
                // off the list. He is not theirs, as for any proposed pair that no longer matches.
                verdict = new Verdict(MatchStatus.RETRACTED,
                        assessment.outcome() == Outcome.NON_MATCH ? CandidateRule.NO_LONGER : CandidateRule.OUTWEIGHED);
            }
            if (verdict != null && verdict.status() == MatchStatus.AUTO_MATCHED && facts.arrivedUnverified(proposal.personId())) {
                // As at the hand-over itself (holdForReview): nobody verified who arrived, so the matcher does not
                // auto-match the person, also for an inquiry registered or corrected after the arrival. Before, such a
                // pair was auto-matched and alerted, while a restarted instance (reconcile) held it for review.
                verdict = new Verdict(MatchStatus.REVIEW_REQUESTED, ARRIVED_UNVERIFIED);
            }
            Pair pair = find(pairs, proposal.personId());
            if (verdict != null && verdict.status() == MatchStatus.AUTO_MATCHED && pair != null && pair.status == MatchStatus.REJECTED) {
                // Only a caseworker rejects, on evidence the matcher never sees (a photo, a call with the family). A
                // correction of either side reopens the pair, but only a caseworker may take back her own ruling: the
                // family is not told about a man she ruled out because the relative added his unit.
                verdict = new Verdict(MatchStatus.REVIEW_REQUESTED, CORRECTED_AFTER_REJECTION);
            }
            if (pair == null) {
                if (verdict == null) {
                    continue;
                }
                pair = pair(inquiryId, proposal.personId());
            }
            if (assessment != null) {
                boolean rescored = assessment.score() != pair.score || !assessment.evidence().equals(pair.evidence);
                boolean corrected = correctedSince(pair, inquiry);
                boolean unconfirmed = corrected && pair.status == MatchStatus.CONFIRMED;
                pair.outcome = assessment.outcome();
                pair.score = assessment.score();
                pair.evidence = Evidence.shared(assessment.evidence());
                pair.inquiryRevision = inquiry.revision();
                pair.personVersion = facts.person(pair.personId).version;
                // A pair in play is written again on a new revision even when its score did not move: a caseworker's
                // decision names the revision it was made on (see applyCaseworker), and every instance, and a rebuild,
                // must be able to tell from the topic which revision the pair was on when the decision was read.
                boolean rewrite = rescored || (corrected && pair.proposed());
                if (verdict != null && (verdict.status() != pair.status || (rewrite && pair.status != MatchStatus.REJECTED))) {
                    String reason = unconfirmed ? corrected(verdict)
                            : verdict.reason() == null ? pair.reason : verdict.reason();
                    decide(pair, verdict.status(), reason, out);
                } else if (corrected && !pair.proposed()) {
                    // The decision stands (a rejection the correction did not reopen, a retracted pair that still does
                    // not match) but the pair is on the new revision now, and a match's version names its revision.
                    // Only a pair out of play: one still proposed has a verdict on every correction (it is decided
                    // above), and restating one without a verdict would make a stale reason durable.
                    // Unwritten, the other instances and a rebuild kept the old one: a caseworker deciding through
                    // another instance was refused 409 for good, and her decision, stamped with the new revision
                    // here, was dropped there as made on another revision.
                    restate(pair, out);
                }
            } else if (verdict != null && verdict.status() != pair.status) {
                decide(pair, verdict.status(), verdict.reason(), out);
            }
        }
        return List.of(pairsByInquiry.of(inquiryId));
    }

    /**
     * A pair held for review only because its person was withdrawn from the list, whose person is listed again (the
     * next amendment put him back): it is decided afresh, as if new, so a clear match is auto-matched again and its
     * alerts go on (the family already told "listed" is not told twice: the alert keeps its id). Without this it would
     * wait for a caseworker with a reason that is no longer true, and the family would hear nothing of the crossing.
     */
    private boolean listedAgain(Pair pair) {
        ListedPerson person = facts.person(pair.personId);
        return pair.status == MatchStatus.REVIEW_REQUESTED && WITHDRAWN_FROM_LIST.equals(pair.reason)
                && person != null && !person.withdrawn;
    }

    /** Whether the inquiry or the listed person changed since the pair was last decided. */
    private boolean correctedSince(Pair pair, MatchedInquiry inquiry) {
        return pair.inquiryRevision != inquiry.revision() || pair.personVersion != facts.person(pair.personId).version;
    }

    /** Why a confirmed pair, corrected since, is retracted or back in review. */
    private static String corrected(Verdict verdict) {
        if (verdict.status() != MatchStatus.RETRACTED) {
            return CORRECTED;
        }
        return CandidateRule.OUTWEIGHED.equals(verdict.reason()) ? CORRECTED_OUTWEIGHED : CORRECTED_NO_LONGER;
    }

    /** The pair's alerts stop until a caseworker confirms: a listing withdrawn, an arrival not verified. */
    synchronized void holdForReview(String personId, String reason, List<Emitted> out) {
        for (Pair pair : pairsByPerson.of(personId)) {
            if (pair.alerting() && facts.isOpen(pair.inquiryId)) {
                decide(pair, MatchStatus.REVIEW_REQUESTED, reason, out);
            }
        }
    }

    /**
     * As {@link #holdForReview}, after a rebuild: only a match the matcher made is held, never a caseworker's
     * confirmation (it may have been made knowing of the withdrawal or the unverified arrival).
     */
    synchronized void holdMatcherMatchForReview(String personId, String reason, List<Emitted> out) {
        for (Pair pair : pairsByPerson.of(personId)) {
            if (pair.status == MatchStatus.AUTO_MATCHED && facts.isOpen(pair.inquiryId)) {
                decide(pair, MatchStatus.REVIEW_REQUESTED, reason, out);
            }
        }
    }

    /** The inquiries that have pairs. */
    synchronized Set<String> inquiries() {
        return pairsByInquiry.ids();
    }

    /** The inquiry was withdrawn: every pair still proposed is retracted. */
    synchronized void retract(String inquiryId, List<Emitted> out) {
        for (Pair pair : pairsByInquiry.of(inquiryId)) {
            if (pair.proposed()) {
                decide(pair, MatchStatus.RETRACTED, INQUIRY_WITHDRAWN, out);
            }
        }
    }

    /**
     * Applies a caseworker's decision read from the matches topic. Returns the pair if it is now confirmed (its
     * alerts may be due), empty if the decision changes nothing or names no known pair.
     */
    synchronized Optional<Pair> applyCaseworker(MatchDecided decision) {
        Pair pair = byMatchId(pairsByMatchId, decision.getMatchId());
        if (pair == null) {
            return Optional.empty();
        }
        if (madeOnAnotherRevision(pair, decision)) {
            // Decided on evidence that was corrected before the decision was read: it may be about someone else. The
            // pair stays as the matcher left it (in review), for a caseworker to decide again on the new revision.
            log.info("Decision {} about match {} of inquiry {} not applied: made on inquiry revision {}, the pair is on {}"
                            + " (or the listed person was corrected)", decision.getStatus(), decision.getMatchId(),
                    decision.getInquiryId(), decision.getInquiryRevision(), pair.inquiryRevision);
            return Optional.empty();
        }
        if (decision.getStatus() == MatchStatus.CONFIRMED && (pair.status == MatchStatus.REVIEW_REQUESTED
                || pair.status == MatchStatus.AUTO_MATCHED || pair.status == MatchStatus.REJECTED)) {
            if (pair.status == MatchStatus.REVIEW_REQUESTED || pair.status == MatchStatus.REJECTED) {
                // its alerts were held: the furthest milestone reached goes out now (a rejection taken back included)
                standingAgain.add(pair);
            }
            record(pair, decision);
            facts.arrivalConfirmed(pair.personId, decision.getDecidedAt());
            return Optional.of(pair);
        }
        if (decision.getStatus() == MatchStatus.REJECTED && pair.status != MatchStatus.REJECTED) {
            record(pair, decision);
        }
        return Optional.empty();
    }

    /** Whether the decision names a pair the matcher proposed: its match id, inquiry and person agree. */
    synchronized boolean knows(MatchDecided decision) {
        Pair pair = byMatchId(pairsByMatchId, decision.getMatchId());
        return pair != null && pair.inquiryId.equals(decision.getInquiryId()) && pair.personId.equals(decision.getPersonId());
    }

    /**
     * Takes a recorded decision, the matcher's or a caseworker's, as the pair's status, without reacting to it. Only
     * the matcher makes pairs: a caseworker's decision about a pair it does not know changes nothing (a forged one
     * must never become a pair when the state is rebuilt).
     */
    synchronized void restore(MatchDecided decision) {
        if (!MATCHER.equals(decision.getDecidedBy()) && (!knows(decision) || madeOnAnotherRevision(pair(decision), decision))) {
            return; // as applyCaseworker ignored it: the matcher writes the pair on each new revision, so it is known here
        }
        Pair pair = pair(decision.getInquiryId(), decision.getPersonId());
        if (MATCHER.equals(decision.getDecidedBy())) {
            pair.score = decision.getScore();
            pair.evidence = Evidence.shared(decision.getEvidence().stream().map(e -> new Evidence(e.getField(), e.getLevel(), e.getWeight())).toList());
            pair.outcome = switch (decision.getStatus()) {
                case AUTO_MATCHED, CONFIRMED -> Outcome.AUTO_MATCH;
                case REVIEW_REQUESTED -> rescore(pair);
                default -> Outcome.NON_MATCH;
            };
        }
        record(pair, decision);
        if (decision.getStatus() == MatchStatus.CONFIRMED && !MATCHER.equals(decision.getDecidedBy())) {
            // only a caseworker's: the matcher writes a confirmed pair again (on a rescore) with its own time
            facts.arrivalConfirmed(pair.personId, decision.getDecidedAt());
        }
    }

    private Pair pair(MatchDecided decision) {
        return byMatchId(pairsByMatchId, decision.getMatchId());
    }

    /**
     * Whether a caseworker's decision names another inquiry revision or person version than the pair's. A decision
     * written before the fields existed names none, and is taken as it was.
     */
    private static boolean madeOnAnotherRevision(Pair pair, MatchDecided decision) {
        return (decision.getInquiryRevision() != null && decision.getInquiryRevision() != pair.inquiryRevision)
                || (decision.getPersonChangedAt() != null && decision.getPersonChangedAt().toEpochMilli() != pair.personVersion);
    }

    /** A recorded decision, the matcher's or a caseworker's, becomes the pair's status. */
    private static void record(Pair pair, MatchDecided decision) {
        // the matcher's restatement of a decision on a new revision (see restate) keeps who made it: same status, same time
        boolean restated = MATCHER.equals(decision.getDecidedBy()) && pair.status == decision.getStatus()
                && pair.decidedAt == decision.getDecidedAt().toEpochMilli();
        pair.status = decision.getStatus();
        pair.reason = asKnown(decision.getReason());
        pair.decidedBy = restated ? pair.decidedBy : MATCHER.equals(decision.getDecidedBy()) ? MATCHER : decision.getDecidedBy();
        pair.decidedAt = decision.getDecidedAt().toEpochMilli();
        if (decision.getInquiryRevision() != null) {
            pair.inquiryRevision = decision.getInquiryRevision();
        }
        if (decision.getPersonChangedAt() != null) {
            pair.personVersion = decision.getPersonChangedAt().toEpochMilli();
        }
    }

    private static String asKnown(String reason) {
        for (String known : MATCHER_REASONS) {
            if (known.equals(reason)) {
                return known;
            }
        }
        return reason;
    }

    /** A pair in review may hide an AUTO_MATCH held back by the two-candidates rule; the record does not say. */
    private Outcome rescore(Pair pair) {
        ListedPerson person = facts.person(pair.personId);
        if (person == null || person.description == null) {
            return Outcome.REVIEW;
        }
        return facts.assess(pair.inquiryId, person.description).map(Assessment::outcome).orElse(Outcome.REVIEW);
    }

    /** Records the matcher's decision on the pair and asks for its MatchDecided, with the pair's current evidence. */
    private void decide(Pair pair, MatchStatus status, String reason, List<Emitted> out) {
        if (pair.decidedAt != Pair.UNDECIDED && !pair.alerting() && (status == MatchStatus.AUTO_MATCHED || status == MatchStatus.CONFIRMED)) {
            standingAgain.add(pair);
        }
        pair.status = status;
        pair.reason = reason;
        pair.decidedBy = MATCHER;
        pair.decidedAt = clock.millis();
        toWrite(pair, out);
    }

    /**
     * Asks for the pair's MatchDecided with its decision as it is (status, reason, decision time) and the revisions and
     * evidence it is on now. It is the matcher's record, so no instance takes it for a caseworker's decision (the
     * listener applies only those); read back, it gives the pair, and so its {@link MatchView#version() version}, as
     * this book holds it, on every instance and after a rebuild. Who decided is kept where the pair was read with that
     * decision (see {@link #record}).
     */
    private void restate(Pair pair, List<Emitted> out) {
        toWrite(pair, out);
    }

    private void toWrite(Pair pair, List<Emitted> out) {
        if (tracksCommits) {
            uncommitted.add(pair.inquiryId);
        }
        if (unwritten == null) {
            out.add(written(pair));
        } else if (!pair.unwritten) {
            pair.unwritten = true;
            unwritten.add(pair);
        }
    }

    /**
     * From now on, a decision is noted on its pair instead of being asked for at once; {@link #takeUnwritten} ends it.
     * A first reconciliation against a million inquiries decides a few hundred thousand pairs, and their MatchDecided
     * records, made as they were decided, would all be on the heap until the transaction is sent. Noted, each pair's
     * record is made from its final state as it is sent, and a pair decided twice in one reconciliation is written
     * once, as it ended (both records would have gone into the same transaction).
     */
    synchronized void deferDecisions() {
        unwritten = new ArrayList<>();
        // a reconciliation may touch every inquiry: one flag, not a set of a million ids
        allUncommitted = tracksCommits;
    }

    /**
     * From now on, the book notes which inquiries' pairs it changed until {@link #settled}: on only where the records
     * go out in transactions whose end is reported (the pairing container's, see PairingContainerSettings), since a
     * note nobody settles would refuse every decision on the inquiry for good.
     */
    synchronized void trackCommits() {
        tracksCommits = true;
    }

    /** The transaction that carried the book's records committed: what it moved is what the other instances read. */
    synchronized void settled() {
        uncommitted.clear();
        allUncommitted = false;
    }

    /**
     * The transaction that carried the book's records rolled back, or its commit failed (a fenced producer): the book
     * holds moves that no other instance and no rebuild will see, so every inquiry stays uncommitted until the next
     * rebuild is done. Clearing the notes here, as a commit does, let a decision read on an aborted move through in
     * the pause before the redelivery, to be dropped on every other instance once the matcher's record followed it.
     */
    synchronized void abandoned() {
        abandonedMoves = true;
        uncommitted.clear();
        allUncommitted = false;
    }

    /**
     * Whether the inquiry's pairs changed here for records not committed yet. A caseworker's decision on one of its
     * matches waits until they are (503, nothing written): decided on the pair as moved in memory, and committed before
     * the matcher's record of the move, it would be applied here and dropped on every other instance and in a rebuild,
     * which read it while the pair was still on its earlier revision.
     */
    public synchronized boolean uncommitted(String inquiryId) {
        return abandonedMoves || allUncommitted || uncommitted.contains(inquiryId);
    }

    /** Ends {@link #deferDecisions}: the pairs decided since, in the order first decided. */
    synchronized List<Pair> takeUnwritten() {
        List<Pair> taken = unwritten == null ? List.of() : unwritten;
        unwritten = null;
        taken.forEach(pair -> pair.unwritten = false);
        return taken;
    }

    /** The pair's MatchDecided, as it stands. */
    synchronized Emitted written(Pair pair) {
        return new Emitted(Topics.MATCHES, pair.inquiryId, MatchDecided.newBuilder()
                .setMatchId(pair.matchId())
                .setInquiryId(pair.inquiryId)
                .setPersonId(pair.personId)
                .setStatus(pair.status)
                .setScore(pair.score)
                .setEvidence(eventEvidence(pair.evidence))
                .setDecidedBy(MATCHER)
                .setReason(pair.reason)
                .setDecidedAt(Instant.ofEpochMilli(pair.decidedAt))
                .setInquiryRevision(pair.inquiryRevision)
                .setPersonChangedAt(Instant.ofEpochMilli(pair.personVersion))
                .build());
    }

    /**
     * The evidence as a MatchDecided carries it, made once for each shared list (see {@link Evidence#shared}): a first
     * reconciliation against a million inquiries writes a few hundred thousand decisions in one transaction, and each
     * would otherwise hold its own copy until the transaction is sent.
     */
    private List<FieldEvidence> eventEvidence(List<Evidence> evidence) {
        List<FieldEvidence> known = eventEvidence.get(evidence);
        if (known == null) {
            known = evidence.stream().map(e -> new FieldEvidence(e.field(), e.level(), e.weight())).toList();
            if (eventEvidence.size() < MOST_EVENT_EVIDENCE) {
                eventEvidence.put(evidence, known);
            }
        }
        return known;
    }

    private Pair pair(String inquiryId, String personId) {
        Pair[] ofInquiry = pairsByInquiry.of(inquiryId);
        Pair pair = find(ofInquiry, personId);
        if (pair == null) {
            Pair[] ofPerson = pairsByPerson.of(personId);
            pair = new Pair(ofInquiry.length == 0 ? inquiryId : ofInquiry[0].inquiryId,
                    ofPerson.length == 0 ? personId : ofPerson[0].personId);
            pairsByInquiry.put(appended(ofInquiry, pair));
            pairsByPerson.put(appended(ofPerson, pair));
            pairsByMatchId.add(pair);
        }
        return pair;
    }

    private static Pair find(Pair[] pairs, String personId) {
        for (Pair pair : pairs) {
            if (pair.personId.equals(personId)) {
                return pair;
            }
        }
        return null;
    }

    private static Pair[] appended(Pair[] pairs, Pair pair) {
        Pair[] all = Arrays.copyOf(pairs, pairs.length + 1);
        all[pairs.length] = pair;
        return all;
    }

    // ------------------------------------------------------------------ questions

    /** The inquiry id as the inquiry's pairs hold it (the argument when it has none), for others to share. */
    synchronized String sharedInquiryId(String inquiryId) {
        Pair[] pairs = pairsByInquiry.get(inquiryId);
        return pairs == null ? inquiryId : pairs[0].inquiryId;
    }

    /** The person id as the person's pairs hold it (the argument when there are none), for others to share. */
    synchronized String sharedPersonId(String personId) {
        Pair[] pairs = pairsByPerson.get(personId);
        return pairs == null ? personId : pairs[0].personId;
    }

    /** The inquiries a person was ever paired with. */
    synchronized Set<String> inquiriesOf(String personId) {
        Set<String> inquiries = new LinkedHashSet<>();
        for (Pair pair : pairsByPerson.of(personId)) {
            inquiries.add(pair.inquiryId);
        }
        return inquiries;
    }

    synchronized boolean isPaired(String inquiryId, String personId) {
        return find(pairsByInquiry.of(inquiryId), personId) != null;
    }

    /** The person's pairs, in the order they were made. */
    synchronized List<Pair> pairsOf(String personId) {
        return List.of(pairsByPerson.of(personId));
    }

    /** The pairs that became a match again since the last call (see {@link #standingAgain}). */
    synchronized List<Pair> takeStandingAgain() {
        if (standingAgain.isEmpty()) {
            return List.of();
        }
        List<Pair> taken = standingAgain;
        standingAgain = new ArrayList<>();
        return taken;
    }

    /**
     * The status of a match as this book holds it (while a rebuild runs, as it held it before), or empty for a match it
     * does not know.
     */
    public synchronized Optional<MatchStatus> status(String matchId) {
        Pair pair = byMatchId(pairsByMatchId, matchId);
        if (pair == null && previous != null) {
            pair = byMatchId(previous.byMatchId(), matchId);
        }
        return pair == null ? Optional.empty() : Optional.of(pair.status);
    }

    /** The pairs with a given status ({@code null}: all), oldest decision first. */
    public List<MatchView> matches(MatchStatus status) {
        return matches(status, Integer.MAX_VALUE);
    }

    /**
     * The oldest {@code limit} pairs with a given status ({@code null}: all), oldest decision first. At 1,000,000 inquiries
     * the book holds half a million pairs, most in review: only the pairs of the page are turned into views (each with
     * its inquiry's other candidates), so a caseworker opening the queue holds the book (and the pairing listener,
     * which waits for it) for one sort of references, and the answer stays small.
     */
    public synchronized List<MatchView> matches(MatchStatus status, int limit) {
        List<Listed> chosen = new ArrayList<>();
        pairsByMatchId.forEach(pair -> {
            if (status == null || pair.status == status) {
                chosen.add(new Listed(pair, pairsByInquiry));
            }
        });
        if (previous != null) {
            previous.byMatchId().forEach(pair -> {
                if ((status == null || pair.status == status) && !pairsByMatchId.contains(pair)) {
                    chosen.add(new Listed(pair, previous.byInquiry()));
                }
            });
        }
        return chosen.stream().sorted(Listed.OLDEST_DECISION_FIRST).limit(limit)
                .map(listed -> view(listed.pair(), listed.byInquiry())).toList();
    }

    /** A pair chosen for a list, and the pairs of its inquiry (its competitors) from the same generation of the book. */
    private record Listed(Pair pair, PairsBySide byInquiry) {
        /** Undecided pairs last, as {@link MatchView#decidedAt()} orders them; the match id breaks ties. */
        static final Comparator<Listed> OLDEST_DECISION_FIRST = Comparator
                .comparingLong((Listed listed) -> listed.pair().decidedAt == Pair.UNDECIDED ? Long.MAX_VALUE : listed.pair().decidedAt)
                .thenComparing(listed -> listed.pair().matchId());
    }

    public synchronized Optional<MatchView> match(String matchId) {
        Pair pair = byMatchId(pairsByMatchId, matchId);
        if (pair != null) {
            return Optional.of(view(pair, pairsByInquiry));
        }
        return previous == null ? Optional.empty()
                : Optional.ofNullable(byMatchId(previous.byMatchId(), matchId)).map(before -> view(before, previous.byInquiry()));
    }

    /** The pair with the inquiry's other candidates still in play, best first, for the caseworker to compare. */
    private static MatchView view(Pair pair, PairsBySide byInquiry) {
        List<MatchView.Competitor> competing = Arrays.stream(byInquiry.of(pair.inquiryId))
                .filter(other -> other != pair && other.proposed())
                .sorted(Comparator.comparingDouble((Pair other) -> other.score).reversed())
                .map(Pair::asCompetitor)
                .toList();
        return pair.view(competing);
    }

    /** A rebuild begins: the book starts empty, and the pairs it held answer reads until {@link #rebuilt}. */
    synchronized void reset() {
        if (previous == null) {
            previous = new Previous(pairsByInquiry, pairsByMatchId);
        }
        pairsByInquiry = PairsBySide.byInquiry();
        pairsByPerson = PairsBySide.byPerson();
        pairsByMatchId = new PairsByMatchId();
        standingAgain = new ArrayList<>();
    }

    /**
     * The rebuild is done: reads are answered by the rebuilt book alone, which holds committed records only (so none
     * of an abandoned transaction's moves, see {@link #abandoned}).
     */
    synchronized void rebuilt() {
        previous = null;
        abandonedMoves = false;
    }

    /** The pair of a match id as written ({@code null} for one that is not a match id in its canonical form). */
    private static Pair byMatchId(PairsByMatchId pairs, String matchId) {
        UUID key;
        try {
            key = UUID.fromString(matchId);
        } catch (IllegalArgumentException notAMatchId) {
            return null;
        }
        return key.toString().equals(matchId) ? pairs.get(key) : null;
    }

    private record Previous(PairsBySide byInquiry, PairsByMatchId byMatchId) {
    }
}

package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

/**
 * Every (inquiry, person) pair ever proposed, and the rules that decide its status: the {@link CandidateRule} over all
 * candidates of an inquiry, rejections remembered until a side is corrected, caseworkers' decisions. The only writer of
 * the pairs; each status change it makes is a {@link MatchDecided} to write.
 */
public final class MatchBook {

    /** {@code decidedBy} of the matcher's own decisions. */
    public static final String MATCHER = "matcher";
    static final String WITHDRAWN_FROM_LIST = "withdrawn from list";
    static final String ARRIVED_UNVERIFIED = "arrived; identity not verified";
    static final String INQUIRY_WITHDRAWN = "inquiry withdrawn";

    private final double closeMargin;
    private final Clock clock;
    private final Facts facts;

    private final Map<String, Map<String, Pair>> pairsByInquiry = new HashMap<>();
    private final Map<String, Set<String>> inquiriesByPerson = new HashMap<>();
    private final Map<String, Pair> pairsByMatchId = new HashMap<>();

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
        Map<String, Pair> pairs = pairsByInquiry.computeIfAbsent(inquiryId, id -> new LinkedHashMap<>());
        Map<String, Assessment> applicable = new LinkedHashMap<>();
        for (Map.Entry<String, Assessment> entry : fresh.entrySet()) {
            String personId = entry.getKey();
            Pair pair = pairs.get(personId);
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
                pair = pair(inquiryId, proposal.personId());
            }
            if (assessment != null) {
                boolean rescored = assessment.score() != pair.score || !assessment.evidence().equals(pair.evidence);
                pair.outcome = assessment.outcome();
                pair.score = assessment.score();
                pair.evidence = Evidence.shared(assessment.evidence());
                pair.inquiryRevision = inquiry.revision();
                pair.personVersion = facts.person(pair.personId).version;
                if (verdict != null && (verdict.status() != pair.status || (rescored && pair.status != MatchStatus.REJECTED))) {
                    decide(pair, verdict.status(), verdict.reason() == null ? pair.reason : verdict.reason(), out);
                }
            } else if (verdict != null && verdict.status() != pair.status) {
                decide(pair, verdict.status(), verdict.reason(), out);
            }
        }
        return List.copyOf(pairs.values());
    }

    /** The pair's alerts stop until a caseworker confirms: a listing withdrawn, an arrival not verified. */
    synchronized void holdForReview(String personId, String reason, List<Emitted> out) {
        for (String inquiryId : inquiriesByPerson.getOrDefault(personId, Set.of())) {
            Pair pair = pairsByInquiry.get(inquiryId).get(personId);
            if (pair.alerting() && facts.isOpen(inquiryId)) {
                decide(pair, MatchStatus.REVIEW_REQUESTED, reason, out);
            }
        }
    }

    /**
     * As {@link #holdForReview}, after a rebuild: only a match the matcher made is held, never a caseworker's
     * confirmation (it may have been made knowing of the withdrawal or the unverified arrival).
     */
    synchronized void holdMatcherMatchForReview(String personId, String reason, List<Emitted> out) {
        for (String inquiryId : inquiriesByPerson.getOrDefault(personId, Set.of())) {
            Pair pair = pairsByInquiry.get(inquiryId).get(personId);
            if (pair.status == MatchStatus.AUTO_MATCHED && facts.isOpen(inquiryId)) {
                decide(pair, MatchStatus.REVIEW_REQUESTED, reason, out);
            }
        }
    }

    /** The inquiries that have pairs. */
    synchronized Set<String> inquiries() {
        return Set.copyOf(pairsByInquiry.keySet());
    }

    /** The inquiry was withdrawn: every pair still proposed is retracted. */
    synchronized void retract(String inquiryId, List<Emitted> out) {
        for (Pair pair : pairsByInquiry.getOrDefault(inquiryId, Map.of()).values()) {
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
        Pair pair = pairsByMatchId.get(decision.getMatchId());
        if (pair == null) {
            return Optional.empty();
        }
        if (decision.getStatus() == MatchStatus.CONFIRMED
                && (pair.status == MatchStatus.REVIEW_REQUESTED || pair.status == MatchStatus.AUTO_MATCHED)) {
            record(pair, decision);
            facts.arrivalConfirmed(pair.personId);
            return Optional.of(pair);
        }
        if (decision.getStatus() == MatchStatus.REJECTED && pair.status != MatchStatus.REJECTED) {
            record(pair, decision);
        }
        return Optional.empty();
    }

    /** Whether the decision names a pair the matcher proposed: its match id, inquiry and person agree. */
    synchronized boolean knows(MatchDecided decision) {
        Pair pair = pairsByMatchId.get(decision.getMatchId());
        return pair != null && pair.inquiryId.equals(decision.getInquiryId()) && pair.personId.equals(decision.getPersonId());
    }

    /**
     * Takes a recorded decision, the matcher's or a caseworker's, as the pair's status, without reacting to it. Only
     * the matcher makes pairs: a caseworker's decision about a pair it does not know changes nothing (a forged one
     * must never become a pair when the state is rebuilt).
     */
    synchronized void restore(MatchDecided decision) {
        if (!MATCHER.equals(decision.getDecidedBy()) && !knows(decision)) {
            return;
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
        if (decision.getStatus() == MatchStatus.CONFIRMED) {
            facts.arrivalConfirmed(pair.personId);
        }
    }

    /** A recorded decision, the matcher's or a caseworker's, becomes the pair's status. */
    private static void record(Pair pair, MatchDecided decision) {
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

    private Pair pair(String inquiryId, String personId) {
        Pair pair = pairsByInquiry.computeIfAbsent(inquiryId, id -> new LinkedHashMap<>())
                .computeIfAbsent(personId, id -> new Pair(inquiryId, id));
        pairsByMatchId.put(pair.matchId, pair);
        inquiriesByPerson.computeIfAbsent(personId, id -> new LinkedHashSet<>()).add(inquiryId);
        return pair;
    }

    // ------------------------------------------------------------------ questions

    /** The inquiries a person was ever paired with. */
    synchronized Set<String> inquiriesOf(String personId) {
        return Set.copyOf(inquiriesByPerson.getOrDefault(personId, Set.of()));
    }

    synchronized boolean isPaired(String inquiryId, String personId) {
        return pairsByInquiry.getOrDefault(inquiryId, Map.of()).containsKey(personId);
    }

    /** The person's pairs, in the order they were made. */
    synchronized List<Pair> pairsOf(String personId) {
        List<Pair> pairs = new ArrayList<>();
        for (String inquiryId : inquiriesByPerson.getOrDefault(personId, Set.of())) {
            pairs.add(pairsByInquiry.get(inquiryId).get(personId));
        }
        return pairs;
    }

    /** The pairs with a given status ({@code null}: all), oldest decision first. */
    public synchronized List<MatchView> matches(MatchStatus status) {
        return pairsByMatchId.values().stream()
                .filter(pair -> status == null || pair.status == status)
                .sorted(Comparator.comparing((Pair pair) -> pair.decidedAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .map(this::view)
                .toList();
    }

    public synchronized Optional<MatchView> match(String matchId) {
        return Optional.ofNullable(pairsByMatchId.get(matchId)).map(this::view);
    }

    /** The pair with the inquiry's other candidates still in play, best first, for the caseworker to compare. */
    private MatchView view(Pair pair) {
        List<MatchView.Competitor> competing = pairsByInquiry.getOrDefault(pair.inquiryId, Map.of()).values().stream()
                .filter(other -> other != pair && other.proposed())
                .sorted(Comparator.comparingDouble((Pair other) -> other.score).reversed())
                .map(Pair::asCompetitor)
                .toList();
        return pair.view(competing);
    }

    synchronized void reset() {
        pairsByInquiry.clear();
        inquiriesByPerson.clear();
        pairsByMatchId.clear();
    }
}

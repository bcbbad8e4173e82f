package org.homecoming.reunification.pairing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.matching.Evidence;
import org.homecoming.reunification.matching.Outcome;

/**
 * What is known about one (inquiry, person) pair: its status, the matcher's latest outcome and evidence, and the
 * revisions of both sides it was decided on. A rejection holds while both revisions are unchanged.
 * <p>
 * A service holds hundreds of thousands of pairs, so a pair holds no object of its own beyond itself: its match id as
 * the UUID's two halves, its decision time as the epoch millis MatchDecided carries, and the ids of its inquiry and
 * person shared with the inquiry's and the person's other pairs (see {@link MatchBook}).
 */
final class Pair {
    /** {@link #decidedAt} of a pair not decided yet (only while it is being made). */
    static final long UNDECIDED = Long.MIN_VALUE;

    /** The match id's most and least significant bits (the string is made when asked for). */
    final long matchHigh;
    final long matchLow;
    final String inquiryId;
    final String personId;
    MatchStatus status;
    Outcome outcome = Outcome.NON_MATCH;
    double score;
    List<Evidence> evidence = List.of();
    int inquiryRevision;
    long personVersion;
    String reason;
    String decidedBy;
    /** Epoch millis: MatchDecided carries its decision time to the millisecond. */
    long decidedAt = UNDECIDED;
    /** Decided during a reconciliation, and its MatchDecided not written yet (see {@link MatchBook#deferDecisions}). */
    boolean unwritten;

    Pair(String inquiryId, String personId) {
        UUID matchKey = UUID.fromString(AlertRules.matchId(inquiryId, personId));
        this.matchHigh = matchKey.getMostSignificantBits();
        this.matchLow = matchKey.getLeastSignificantBits();
        this.inquiryId = inquiryId;
        this.personId = personId;
    }

    String matchId() {
        return new UUID(matchHigh, matchLow).toString();
    }

    /** When the pair was last decided, or null before its first decision. */
    Instant decidedAt() {
        return decidedAt == UNDECIDED ? null : Instant.ofEpochMilli(decidedAt);
    }

    boolean alerting() {
        return status == MatchStatus.AUTO_MATCHED || status == MatchStatus.CONFIRMED;
    }

    boolean proposed() {
        return status == MatchStatus.AUTO_MATCHED || status == MatchStatus.REVIEW_REQUESTED || status == MatchStatus.CONFIRMED;
    }

    MatchView view(List<MatchView.Competitor> competing) {
        return new MatchView(matchId(), inquiryId, personId, status, score, evidence, reason, decidedBy, decidedAt(),
                inquiryRevision, personVersion, competing);
    }

    MatchView.Competitor asCompetitor() {
        return new MatchView.Competitor(matchId(), personId, status, score, evidence);
    }

}

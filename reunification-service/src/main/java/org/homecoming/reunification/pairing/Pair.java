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
 */
final class Pair {
    /** The match id, held as a UUID (a pair is one of hundreds of thousands; the string is made when asked for). */
    final UUID matchKey;
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
    Instant decidedAt;
    /** Decided during a reconciliation, and its MatchDecided not written yet (see {@link MatchBook#deferDecisions}). */
    boolean unwritten;

    Pair(String inquiryId, String personId) {
        this.matchKey = UUID.fromString(AlertRules.matchId(inquiryId, personId));
        this.inquiryId = inquiryId;
        this.personId = personId;
    }

    String matchId() {
        return matchKey.toString();
    }

    boolean alerting() {
        return status == MatchStatus.AUTO_MATCHED || status == MatchStatus.CONFIRMED;
    }

    boolean proposed() {
        return status == MatchStatus.AUTO_MATCHED || status == MatchStatus.REVIEW_REQUESTED || status == MatchStatus.CONFIRMED;
    }

    MatchView view(List<MatchView.Competitor> competing) {
        return new MatchView(matchId(), inquiryId, personId, status, score, evidence, reason, decidedBy, decidedAt,
                inquiryRevision, personVersion, competing);
    }

    MatchView.Competitor asCompetitor() {
        return new MatchView.Competitor(matchId(), personId, status, score, evidence);
    }

}

package org.homecoming.reunification.pairing;

import java.time.Instant;
import java.util.List;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.matching.Evidence;
import org.homecoming.reunification.matching.Outcome;

/**
 * What is known about one (inquiry, person) pair: its status, the matcher's latest outcome and evidence, and the
 * revisions of both sides it was decided on. A rejection holds while both revisions are unchanged.
 */
final class Pair {
    final String matchId;
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

    Pair(String inquiryId, String personId) {
        this.matchId = AlertRules.matchId(inquiryId, personId);
        this.inquiryId = inquiryId;
        this.personId = personId;
    }

    boolean alerting() {
        return status == MatchStatus.AUTO_MATCHED || status == MatchStatus.CONFIRMED;
    }

    boolean proposed() {
        return status == MatchStatus.AUTO_MATCHED || status == MatchStatus.REVIEW_REQUESTED || status == MatchStatus.CONFIRMED;
    }

    MatchView view(List<MatchView.Competitor> competing) {
        return new MatchView(matchId, inquiryId, personId, status, score, evidence, reason, decidedBy, decidedAt,
                inquiryRevision, personVersion, competing);
    }

    MatchView.Competitor asCompetitor() {
        return new MatchView.Competitor(matchId, personId, status, score, evidence);
    }

}

package org.homecoming.reunification.pairing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.matching.Evidence;

/**
 * A snapshot of a pair, as the caseworker's queue shows it: status, score, per-field evidence and who decided, and
 * beside it the inquiry's other candidates still in play (in review, auto-matched or confirmed), each with its own
 * evidence, so that namesakes are compared side by side.
 */
record MatchView(String matchId, String inquiryId, String personId, MatchStatus status, double score,
                 List<Evidence> evidence, String reason, String decidedBy, Instant decidedAt,
                 int inquiryRevision, long personVersion, List<Competitor> competing) {

    /** The queue's order: oldest decision first, undecided pairs last, the match id breaking ties. */
    static final Comparator<MatchView> OLDEST_DECISION_FIRST = Comparator
            .comparing(MatchView::decidedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MatchView::matchId);

    /** Another candidate of the same inquiry. */
    record Competitor(String matchId, String personId, MatchStatus status, double score, List<Evidence> evidence) {
    }
}

package org.homecoming.reunification.pairing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
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

    /**
     * What a caseworker decides on, sent back with her decision ({@code version}): it changes with every decision on
     * the pair (a caseworker's or the matcher's) and every correction of the inquiry or the listed person, so a decision
     * made on a screen that another caseworker's decision has overtaken is refused rather than taken for a new one.
     * Opaque to callers; built from what the topic holds, so every instance gives the same one for the same match.
     */
    @JsonProperty("version")
    String version() {
        return status + "." + (decidedAt == null ? 0 : decidedAt.toEpochMilli()) + "." + inquiryRevision + "." + personVersion;
    }

    /** Another candidate of the same inquiry. */
    record Competitor(String matchId, String personId, MatchStatus status, double score, List<Evidence> evidence) {
    }
}

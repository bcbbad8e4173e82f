package org.homecoming.reunification.pairing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.Outcome;

/**
 * Turns the matcher's outcomes for all candidates of ONE inquiry into match statuses. A wrong "your person is coming
 * home" is the costly error, so the rule only ever escalates:
 * <ul>
 *   <li>one AUTO_MATCH and nothing close to it: AUTO_MATCHED, alerts may go out;</li>
 *   <li>two strong candidates (two AUTO_MATCHes, an AUTO_MATCH and a confirmed pair, or an AUTO_MATCH and a REVIEW
 *       within {@code closeMargin} bits of it): every one of them goes to review;</li>
 *   <li>REVIEW: review, unless another candidate outweighs it by more than {@code closeMargin} bits
 *       ({@link MatchScorer#outweighed}): a clear AUTO_MATCH outweighs any REVIEW candidate, any candidate outweighs
 *       one that is there only by the matcher's safety net (names agree, no date confirms them); it is then not
 *       proposed, or retracted if it was;</li>
 *   <li>a pair that is in review stays there until a caseworker decides; a caseworker's CONFIRMED stands while the
 *       inquiry and the person are as the caseworker saw them ({@link MatchBook} hands a confirmed pair corrected since
 *       to this rule as a pair in review);</li>
 *   <li>a proposed pair that now scores NON_MATCH is retracted.</li>
 * </ul>
 */
final class CandidateRule {

    static final String AUTO = "auto-match";
    static final String REVIEW_BAND = "score in the review band";
    static final String TWO_STRONG = "two strong candidates";
    static final String NO_LONGER = "no longer matches";
    static final String OUTWEIGHED = "a stronger candidate outweighs it";

    private CandidateRule() {
    }

    /** One candidate of the inquiry: the matcher's latest outcome and the pair's current status (null if new). */
    record Proposal(String personId, Outcome outcome, double score, MatchStatus current) {
    }

    /** The status a candidate should have now, and why. */
    record Verdict(MatchStatus status, String reason) {
    }

    /** The verdict for each candidate the rule has an opinion on, by person id; the others keep their status. */
    static Map<String, Verdict> decide(List<Proposal> proposals, double closeMargin) {
        double bestAuto = Double.NEGATIVE_INFINITY;
        double best = Double.NEGATIVE_INFINITY;
        int strong = 0;
        for (Proposal proposal : proposals) {
            if (proposal.current() == MatchStatus.CONFIRMED || proposal.outcome() != Outcome.NON_MATCH) {
                best = Math.max(best, proposal.score());
            }
            if (proposal.current() == MatchStatus.CONFIRMED) {
                strong++;
            } else if (proposal.outcome() == Outcome.AUTO_MATCH) {
                strong++;
                bestAuto = Math.max(bestAuto, proposal.score());
            }
        }
        boolean anyAuto = bestAuto != Double.NEGATIVE_INFINITY;
        int closeReviews = 0;
        for (Proposal proposal : proposals) {
            if (anyAuto && proposal.current() != MatchStatus.CONFIRMED && proposal.outcome() == Outcome.REVIEW
                    && proposal.score() >= bestAuto - closeMargin) {
                closeReviews++;
            }
        }
        boolean ambiguous = strong >= 2 || (anyAuto && closeReviews > 0);
        // one auto-match with nothing near it: the best candidate, since a REVIEW above it would be within the margin
        boolean clearAuto = anyAuto && !ambiguous;

        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (Proposal proposal : proposals) {
            if (proposal.current() == MatchStatus.CONFIRMED) {
                continue;
            }
            switch (proposal.outcome()) {
                case AUTO_MATCH -> verdicts.put(proposal.personId(), ambiguous
                        ? new Verdict(MatchStatus.REVIEW_REQUESTED, TWO_STRONG)
                        : proposal.current() == MatchStatus.REVIEW_REQUESTED
                                ? new Verdict(MatchStatus.REVIEW_REQUESTED, null)
                                : new Verdict(MatchStatus.AUTO_MATCHED, AUTO));
                case REVIEW -> {
                    if (!MatchScorer.outweighed(proposal.score(), best, clearAuto, closeMargin)) {
                        verdicts.put(proposal.personId(), new Verdict(MatchStatus.REVIEW_REQUESTED,
                                ambiguous && proposal.score() >= bestAuto - closeMargin ? TWO_STRONG : REVIEW_BAND));
                    } else if (proposal.current() == MatchStatus.AUTO_MATCHED
                            || proposal.current() == MatchStatus.REVIEW_REQUESTED) {
                        verdicts.put(proposal.personId(), new Verdict(MatchStatus.RETRACTED, OUTWEIGHED));
                    }
                }
                case NON_MATCH -> {
                    if (proposal.current() == MatchStatus.AUTO_MATCHED || proposal.current() == MatchStatus.REVIEW_REQUESTED) {
                        verdicts.put(proposal.personId(), new Verdict(MatchStatus.RETRACTED, NO_LONGER));
                    }
                }
            }
        }
        return verdicts;
    }
}

package org.homecoming.reunification.pairing;

import java.util.List;
import java.util.Map;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.matching.Outcome;
import org.homecoming.reunification.pairing.CandidateRule.Proposal;
import org.homecoming.reunification.pairing.CandidateRule.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CandidateRuleTest {

    static final double MARGIN = 3.0;

    @Test
    void shouldAutoMatchASingleStrongCandidate() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(new Proposal("p-1", Outcome.AUTO_MATCH, 20, null)), MARGIN);

        assertThat(verdicts.get("p-1").status()).isEqualTo(MatchStatus.AUTO_MATCHED);
    }

    @Test
    void shouldSendTwoAutoMatchesToReview() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.AUTO_MATCH, 20, MatchStatus.AUTO_MATCHED),
                new Proposal("p-2", Outcome.AUTO_MATCH, 14, null)), MARGIN);

        assertThat(verdicts.values()).extracting(Verdict::status).containsOnly(MatchStatus.REVIEW_REQUESTED).hasSize(2);
        assertThat(verdicts.values()).extracting(Verdict::reason).containsOnly(CandidateRule.TWO_STRONG);
    }

    @Test
    void shouldSendAnAutoMatchAndACloseReviewToReview() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.AUTO_MATCH, 15, null),
                new Proposal("p-2", Outcome.REVIEW, 12.5, null)), MARGIN);

        assertThat(verdicts.get("p-1")).isEqualTo(new Verdict(MatchStatus.REVIEW_REQUESTED, CandidateRule.TWO_STRONG));
        assertThat(verdicts.get("p-2")).isEqualTo(new Verdict(MatchStatus.REVIEW_REQUESTED, CandidateRule.TWO_STRONG));
    }

    @Test
    void shouldKeepAnAutoMatchAndNotProposeAReviewCandidateFarBelowIt() {
        // given a clear auto-match and a candidate in review by its own score, far below it
        List<Proposal> proposals = List.of(
                new Proposal("p-1", Outcome.AUTO_MATCH, 20, null),
                new Proposal("p-2", Outcome.REVIEW, 8, null));

        // when they are decided together
        Map<String, Verdict> verdicts = CandidateRule.decide(proposals, MARGIN);

        // then the inquiry's person is found, and the other is not put to a caseworker
        assertThat(verdicts.get("p-1").status()).isEqualTo(MatchStatus.AUTO_MATCHED);
        assertThat(verdicts).doesNotContainKey("p-2");
    }

    @Test
    void shouldKeepAReviewCandidateThatOnlyAnotherReviewCandidateOutscores() {
        // given no date to confirm either: the person listed without a patronymic, a namesake with the sought one
        List<Proposal> proposals = List.of(
                new Proposal("p-1", Outcome.REVIEW, 2.9, null),
                new Proposal("p-2", Outcome.REVIEW, 6.8, null));

        // when they are decided together
        Map<String, Verdict> verdicts = CandidateRule.decide(proposals, MARGIN);

        // then both go to a caseworker
        assertThat(verdicts.get("p-1")).isEqualTo(new Verdict(MatchStatus.REVIEW_REQUESTED, CandidateRule.REVIEW_BAND));
        assertThat(verdicts.get("p-2")).isEqualTo(new Verdict(MatchStatus.REVIEW_REQUESTED, CandidateRule.REVIEW_BAND));
    }

    @Test
    void shouldRetractAReviewCandidateWhenAClearAutoMatchArrives() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.REVIEW, 3.4, MatchStatus.REVIEW_REQUESTED),
                new Proposal("p-2", Outcome.AUTO_MATCH, 20, null)), MARGIN);

        assertThat(verdicts.get("p-1")).isEqualTo(new Verdict(MatchStatus.RETRACTED, CandidateRule.OUTWEIGHED));
        assertThat(verdicts.get("p-2").status()).isEqualTo(MatchStatus.AUTO_MATCHED);
    }

    @Test
    void shouldKeepAWeakReviewCandidateOutOfReviewWhenAStrongerOneOutweighsIt() {
        // given an auto-match and a namesake whose date conflicts (in review only by the safety net, below 0)
        List<Proposal> proposals = List.of(
                new Proposal("p-1", Outcome.AUTO_MATCH, 20, null),
                new Proposal("p-2", Outcome.REVIEW, -2.1, null));

        // when they are decided together
        Map<String, Verdict> verdicts = CandidateRule.decide(proposals, MARGIN);

        // then the alert may go out and the namesake is not proposed
        assertThat(verdicts.get("p-1").status()).isEqualTo(MatchStatus.AUTO_MATCHED);
        assertThat(verdicts).doesNotContainKey("p-2");
    }

    @Test
    void shouldRetractAWeakReviewOnceAStrongerCandidateArrives() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.REVIEW, -2.1, MatchStatus.REVIEW_REQUESTED),
                new Proposal("p-2", Outcome.REVIEW, 7.7, null)), MARGIN);

        assertThat(verdicts.get("p-1")).isEqualTo(new Verdict(MatchStatus.RETRACTED, CandidateRule.OUTWEIGHED));
        assertThat(verdicts.get("p-2").status()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
    }

    @Test
    void shouldSendWeakNamesakesThatCannotBeToldApartAllToReview() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.REVIEW, -1.0, null),
                new Proposal("p-2", Outcome.REVIEW, -2.1, null),
                new Proposal("p-3", Outcome.REVIEW, -3.5, null)), MARGIN);

        assertThat(verdicts.values()).extracting(Verdict::status).containsOnly(MatchStatus.REVIEW_REQUESTED).hasSize(3);
    }

    @Test
    void shouldNeverMoveAPairInReviewBackToAutoMatched() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.AUTO_MATCH, 20, MatchStatus.REVIEW_REQUESTED)), MARGIN);

        assertThat(verdicts.get("p-1").status()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
    }

    @Test
    void shouldLetAConfirmedPairStandAndSendANewAutoMatchToReview() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.REVIEW, 9, MatchStatus.CONFIRMED),
                new Proposal("p-2", Outcome.AUTO_MATCH, 20, null)), MARGIN);

        assertThat(verdicts).doesNotContainKey("p-1");
        assertThat(verdicts.get("p-2").status()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
    }

    @Test
    void shouldRetractAProposedPairThatNoLongerMatches() {
        Map<String, Verdict> verdicts = CandidateRule.decide(List.of(
                new Proposal("p-1", Outcome.NON_MATCH, 0, MatchStatus.AUTO_MATCHED),
                new Proposal("p-2", Outcome.NON_MATCH, 0, null)), MARGIN);

        assertThat(verdicts.get("p-1").status()).isEqualTo(MatchStatus.RETRACTED);
        assertThat(verdicts).as("nothing to say about a pair never proposed").doesNotContainKey("p-2");
    }
}

package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MatchingQualityTest {

    private static final long SEED = 20261127L;
    private static final int PAIRS_PER_KIND = 200;

    private static QualityReport report;

    @BeforeAll
    static void measure() {
        List<LabelledPair> pairs = new LabelledSetGenerator(SEED).pairs(PAIRS_PER_KIND);
        report = QualityReport.measure(pairs, MatchScorer.standard());
        System.out.println("Matching quality, seed " + SEED + ", " + PAIRS_PER_KIND + " pairs per kind");
        System.out.println(report.table());
    }

    @Test
    void shouldAlmostNeverAutoMatchDifferentPeople() {
        QualityReport.Tally scorer = report.overall(QualityReport.SCORER);

        assertThat(scorer.precisionAuto()).as("precision of AUTO_MATCH (%s)", scorer).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldFlagAlmostEveryTrueMatchForAlertOrReview() {
        QualityReport.Tally scorer = report.overall(QualityReport.SCORER);

        assertThat(scorer.recallAutoOrReview()).as("recall of AUTO_MATCH+REVIEW (%s)", scorer)
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void shouldLoseNoTrueMatchesToBlocking() {
        QualityReport.Tally pairwise = report.overall(QualityReport.SCORER);
        QualityReport.Tally viaIndex = report.overall(QualityReport.SCORER_VIA_INDEX);

        assertThat(viaIndex.recallAutoOrReview()).as("recall through the index (%s)", viaIndex)
                .isGreaterThanOrEqualTo(pairwise.recallAutoOrReview() - 0.005);
    }

    @Test
    void shouldBeatBothBaselinesOnRecall() {
        double scorer = report.overall(QualityReport.SCORER).recallAutoOrReview();

        assertThat(scorer).isGreaterThan(report.overall(QualityReport.EXACT_BASELINE).recallAutoOrReview());
        assertThat(scorer).isGreaterThan(report.overall(QualityReport.NAIVE_BASELINE).recallAutoOrReview());
    }

    @Test
    void shouldNeverAutoMatchAnyKindOfHardNegative() {
        for (VariationKind kind : VariationKind.values()) {
            if (!kind.samePerson()) {
                assertThat(report.of(QualityReport.SCORER, kind).autoFalse()).as("false auto-matches for %s", kind)
                        .isZero();
            }
        }
    }
}

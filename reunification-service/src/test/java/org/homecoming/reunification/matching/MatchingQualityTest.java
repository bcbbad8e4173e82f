package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.homecoming.reunification.quality.InquiryQuality;
import org.homecoming.reunification.quality.InquiryQuality.LabelledInquiry;
import org.homecoming.reunification.quality.InquiryQuality.LabelledSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MatchingQualityTest {

    private static final long SEED = 20261127L;
    private static final int PAIRS_PER_KIND = 200;

    private static QualityReport report;
    private static InquiryQuality perInquiry;

    @BeforeAll
    static void measure() {
        List<LabelledPair> pairs = new LabelledSetGenerator(SEED).pairs(PAIRS_PER_KIND);
        report = QualityReport.measure(pairs, MatchScorer.standard());
        perInquiry = InquiryQuality.measure(asInquiries(pairs), MatchScorer.standard());
        System.out.println("Matching quality, seed " + SEED + ", " + PAIRS_PER_KIND + " pairs per kind");
        System.out.println(report.table());
        System.out.println(perInquiry.table());
    }

    /**
     * The pairs as inquiries against one list: pair i's sought person is inquiry i, its listed person is listed person
     * i, and every inquiry is matched against every listed person through the index.
     */
    static LabelledSet asInquiries(List<LabelledPair> pairs) {
        List<LabelledInquiry> inquiries = new ArrayList<>();
        Map<String, PersonDescription> listed = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            LabelledPair pair = pairs.get(i);
            listed.put("p" + i, pair.listed());
            inquiries.add(new LabelledInquiry("q" + i, pair.sought(), pair.samePerson() ? "p" + i : null,
                    pair.kind().name(), Set.of(), !pair.samePerson()));
        }
        return new LabelledSet("first labelled set", inquiries, listed);
    }

    @Test
    void shouldMeetTheAutoMatchPrecisionTargetPerInquiry() {
        assertThat(perInquiry.overall().precisionAuto()).as("auto-match precision over all listed people")
                .isGreaterThanOrEqualTo(0.999);
    }

    @Test
    void shouldAutoMatchNineInTenInquiriesThatGiveAFullBirthDate() {
        assertThat(perInquiry.overall().recallAutoWithFullDate()).as("auto recall with a full birth date")
                .isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void shouldKeepTheReviewLoadWithinTarget() {
        assertThat(perInquiry.overall().reviewLoad()).as("review pairs per inquiry").isLessThanOrEqualTo(0.3);
    }

    @Test
    void shouldAutoMatchNoHardNegativeOverAllListedPeople() {
        assertThat(perInquiry.overall().hardNegativeAutos()).as("hard negatives auto-matched").isZero();
    }

    @Test
    void shouldFlagTheTruePersonOfAlmostEveryInquiry() {
        assertThat(perInquiry.overall().recallAutoOrReview()).as("auto + review recall per inquiry")
                .isGreaterThanOrEqualTo(0.98);
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

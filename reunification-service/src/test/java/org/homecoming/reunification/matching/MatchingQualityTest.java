package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.homecoming.synthetic.labelled.LabelledInquiry;
import org.homecoming.synthetic.labelled.LabelledInquirySet;
import org.homecoming.synthetic.labelled.LabelledPair;
import org.homecoming.synthetic.labelled.LabelledSetGenerator;
import org.homecoming.synthetic.labelled.Tally;
import org.homecoming.synthetic.labelled.VariationKind;
import org.homecoming.synthetic.labelled.WrittenPerson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The matcher's bars on the labelled set: the build fails below them. The full report, next to the
 * baselines, is the benchmarks' QualityReport.
 */
class MatchingQualityTest {

    private static final long SEED = 20261127L;
    private static final int PAIRS_PER_KIND = 200;

    private static Tally pairwise = Tally.EMPTY;
    private static Tally viaIndex = Tally.EMPTY;
    private static final Map<VariationKind, Tally> BY_KIND = new EnumMap<>(VariationKind.class);
    private static InquiryQuality perInquiry;

    @BeforeAll
    static void measure() {
        List<LabelledPair> pairs = new LabelledSetGenerator(SEED).pairs(PAIRS_PER_KIND);
        MatchScorer scorer = MatchScorer.standard();
        InquiryIndex index = new InquiryIndex(scorer);
        for (int i = 0; i < pairs.size(); i++) {
            index.put(Integer.toString(i), SyntheticDescriptions.of(pairs.get(i).sought()));
        }
        for (int i = 0; i < pairs.size(); i++) {
            LabelledPair pair = pairs.get(i);
            Outcome outcome = scorer.assess(SyntheticDescriptions.of(pair.sought()), SyntheticDescriptions.of(pair.listed())).outcome();
            Tally one = tally(pair, outcome);
            pairwise = pairwise.plus(one);
            BY_KIND.merge(pair.kind(), one, Tally::plus);
            String id = Integer.toString(i);
            // what blocking misses counts as missed: the pair's own inquiry must be among the arrival's candidates
            Outcome found = index.candidatesFor(SyntheticDescriptions.of(pair.listed())).stream()
                    .filter(candidate -> candidate.inquiryId().equals(id))
                    .map(candidate -> candidate.assessment().outcome()).findFirst().orElse(Outcome.NON_MATCH);
            viaIndex = viaIndex.plus(tally(pair, found));
        }
        perInquiry = InquiryQuality.measure(asInquiries(pairs), scorer);
        System.out.println("Matching quality, seed " + SEED + ", " + PAIRS_PER_KIND + " pairs per kind: " + pairwise);
        System.out.println(perInquiry.table());
    }

    /**
     * The pairs as inquiries against one list: pair i's sought person is inquiry i, its listed person is listed person
     * i, and every inquiry is matched against every listed person through the index.
     */
    static LabelledInquirySet asInquiries(List<LabelledPair> pairs) {
        List<LabelledInquiry> inquiries = new ArrayList<>();
        Map<String, WrittenPerson> listed = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            LabelledPair pair = pairs.get(i);
            listed.put("p" + i, pair.listed());
            inquiries.add(new LabelledInquiry("q" + i, pair.sought(), pair.samePerson() ? "p" + i : null,
                    pair.kind().name(), Set.of(), !pair.samePerson()));
        }
        return new LabelledInquirySet("first labelled set", inquiries, listed);
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
        assertThat(pairwise.precisionAuto()).as("precision of AUTO_MATCH (%s)", pairwise).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void shouldFlagAlmostEveryTrueMatchForAlertOrReview() {
        assertThat(pairwise.recallAutoOrReview()).as("recall of AUTO_MATCH+REVIEW (%s)", pairwise)
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void shouldLoseNoTrueMatchesToBlocking() {
        assertThat(viaIndex.recallAutoOrReview()).as("recall through the index (%s)", viaIndex)
                .isGreaterThanOrEqualTo(pairwise.recallAutoOrReview() - 0.005);
    }

    @Test
    void shouldNeverAutoMatchAnyKindOfHardNegative() {
        for (VariationKind kind : VariationKind.values()) {
            if (!kind.samePerson()) {
                assertThat(BY_KIND.get(kind).autoFalse()).as("false auto-matches for %s", kind).isZero();
            }
        }
    }

    private static Tally tally(LabelledPair pair, Outcome outcome) {
        return Tally.EMPTY.plus(pair.samePerson(), outcome == Outcome.AUTO_MATCH, outcome == Outcome.REVIEW);
    }
}

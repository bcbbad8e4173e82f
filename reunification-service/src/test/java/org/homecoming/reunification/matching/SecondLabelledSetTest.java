package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.homecoming.synthetic.labelled.ClerkListSet;
import org.homecoming.synthetic.labelled.LabelledInquirySet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Measures the matcher on the second, independently written labelled set and prints the table for MATCHING.md. The
 * matcher is never tuned on this set, so the test asserts only what must hold whatever the matcher does: that the set
 * is what it says, and that no hard negative is auto-matched (a false alert is the costly error).
 */
class SecondLabelledSetTest {

    private static final long SEED = 4711L;
    private static final int PER_KIND = 150;
    private static final int BACKGROUND = 1500;

    private static LabelledInquirySet set;
    private static InquiryQuality quality;

    @BeforeAll
    static void measure() {
        set = new ClerkListSet(SEED).generate(PER_KIND, BACKGROUND);
        quality = InquiryQuality.measure(set, MatchScorer.standard());
        System.out.println("Second labelled set, seed " + SEED + ", " + PER_KIND + " inquiries per kind, "
                + set.listed().size() + " listed people");
        System.out.println(quality.table());
    }

    @Test
    void shouldHoldEveryKindAndEveryListedPersonOfTheSet() {
        assertThat(set.inquiries()).hasSize(PER_KIND * ClerkListSet.KINDS.size());
        assertThat(set.listed()).hasSizeGreaterThan(BACKGROUND + set.inquiries().size());
        for (String kind : ClerkListSet.KINDS) {
            assertThat(quality.of(kind)).as(kind).isNotNull();
        }
        set.inquiries().stream().filter(q -> q.truePersonId() != null)
                .forEach(q -> assertThat(set.listed()).as("the person of %s", q.inquiryId()).containsKey(q.truePersonId()));
    }

    @Test
    void shouldNeverAutoMatchAHardNegative() {
        assertThat(quality.overall().hardNegativeAutos()).as("hard negatives auto-matched").isZero();
    }
}

package org.homecoming.synthetic.labelled;

/**
 * Outcome counts of one matcher on a group of labelled pairs: how many it flagged for an automatic alert or for
 * review, and how many of those were right. What the quality test's bars and the quality report are made of.
 */
public record Tally(int pairs, int positives, int autoTrue, int autoFalse, int reviewTrue, int reviewFalse) {

    public static final Tally EMPTY = new Tally(0, 0, 0, 0, 0, 0);

    /** These counts and one more pair: {@code auto} if the matcher auto-matched it, {@code review} if it sent it to review. */
    public Tally plus(boolean samePerson, boolean auto, boolean review) {
        return new Tally(pairs + 1, positives + (samePerson ? 1 : 0),
                autoTrue + (auto && samePerson ? 1 : 0), autoFalse + (auto && !samePerson ? 1 : 0),
                reviewTrue + (review && samePerson ? 1 : 0), reviewFalse + (review && !samePerson ? 1 : 0));
    }

    public Tally plus(Tally other) {
        return new Tally(pairs + other.pairs, positives + other.positives, autoTrue + other.autoTrue,
                autoFalse + other.autoFalse, reviewTrue + other.reviewTrue, reviewFalse + other.reviewFalse);
    }

    public double precisionAuto() {
        return ratio(autoTrue, autoTrue + autoFalse);
    }

    public double recallAuto() {
        return ratio(autoTrue, positives);
    }

    public double precisionReview() {
        return ratio(reviewTrue, reviewTrue + reviewFalse);
    }

    public double precisionAutoOrReview() {
        return ratio(autoTrue + reviewTrue, autoTrue + autoFalse + reviewTrue + reviewFalse);
    }

    public double recallAutoOrReview() {
        return ratio(autoTrue + reviewTrue, positives);
    }

    /** Share of pairs flagged AUTO_MATCH: recall for a true-match kind, false-alert rate for a non-match kind. */
    public double autoRate() {
        return ratio(autoTrue + autoFalse, pairs);
    }

    public double flaggedRate() {
        return ratio(autoTrue + autoFalse + reviewTrue + reviewFalse, pairs);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}

package org.homecoming.reunification.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.homecoming.synthetic.labelled.LabelledInquiry;
import org.homecoming.synthetic.labelled.LabelledInquirySet;
import org.homecoming.synthetic.labelled.WrittenPerson;


/**
 * Matching quality measured the way the service sees it: per inquiry, over every listed person. All inquiries go
 * into an {@link InquiryIndex}; every listed person is looked up through it (so what blocking misses is missed);
 * the candidates of one inquiry are then decided together as the pairing's CandidateRule does (two AUTO_MATCHes, or
 * an AUTO_MATCH with a REVIEW within the margin, all go to review).
 *
 * <p>Measures: auto precision (pairs), auto + review recall and auto recall with a full birth date (inquiries whose
 * person is listed), review load (REVIEW pairs per inquiry, and the needless ones), ambiguous inquiries with every
 * namesake in review, and auto-matches on hard negatives (inquiries whose person is not listed but a look-alike is).
 */
final class InquiryQuality {

    /** A pair-by-pair classifier to compare with (the benchmarks module holds the two baselines). */
    interface Baseline {
        Outcome classify(PersonDescription sought, PersonDescription listed);
    }

    /** Bits within which a REVIEW candidate makes an AUTO_MATCH ambiguous; reunification.matching.close-margin. */
    static final double CLOSE_MARGIN = 3.0;

    /** Counts for one group of inquiries (all, or one kind). */
    public static final class Tally {
        int inquiries;
        int withTruePerson;
        int trueAuto;
        int trueReview;
        int withFullDate;
        int fullDateAuto;
        int autoPairs;
        int autoFalse;
        int reviewPairs;
        int reviewFalse;
        int ambiguous;
        int ambiguousAllInReview;
        int hardNegatives;
        int hardNegativeAutos;
        int hardNegativeFlagged;

        public double precisionAuto() {
            return ratio(autoPairs - autoFalse, autoPairs);
        }

        public double recallAutoOrReview() {
            return ratio(trueAuto + trueReview, withTruePerson);
        }

        public double recallAuto() {
            return ratio(trueAuto, withTruePerson);
        }

        public double recallAutoWithFullDate() {
            return ratio(fullDateAuto, withFullDate);
        }

        public double reviewLoad() {
            return ratio(reviewPairs, inquiries);
        }

        public double needlessReviewLoad() {
            return ratio(reviewFalse, inquiries);
        }

        public int ambiguous() {
            return ambiguous;
        }

        public int ambiguousAllInReview() {
            return ambiguousAllInReview;
        }

        public int hardNegativeAutos() {
            return hardNegativeAutos;
        }

        public int hardNegatives() {
            return hardNegatives;
        }

        double hardNegativeFlaggedRate() {
            return ratio(hardNegativeFlagged, hardNegatives);
        }

        private static double ratio(int a, int b) {
            return b == 0 ? Double.NaN : (double) a / b;
        }
    }

    private final String setName;
    private final Tally overall = new Tally();
    private final Map<String, Tally> byKind = new LinkedHashMap<>();
    private final Map<String, double[]> baselineRecall = new LinkedHashMap<>();

    private InquiryQuality(String setName) {
        this.setName = setName;
    }

    static InquiryQuality measure(LabelledInquirySet set, MatchScorer scorer) {
        return measure(set, scorer, Map.of());
    }

    /** As {@link #measure(LabelledInquirySet, MatchScorer)}, with baselines measured on each inquiry's true pair. */
    static InquiryQuality measure(LabelledInquirySet set, MatchScorer scorer, Map<String, Baseline> baselines) {
        InquiryIndex index = new InquiryIndex(scorer);
        for (LabelledInquiry inquiry : set.inquiries()) {
            index.put(inquiry.inquiryId(), SyntheticDescriptions.of(inquiry.sought()));
        }
        // the set's listed people are the roster the service knows once their lists arrived: how common each surname
        // is among them weighs its agreement (MatchScorer.listed)
        scorer.forgetListed();
        for (WrittenPerson person : set.listed().values()) {
            scorer.listed(SyntheticDescriptions.of(person));
        }
        Map<String, Map<String, Candidate>> byInquiry = new HashMap<>();
        for (Map.Entry<String, WrittenPerson> person : set.listed().entrySet()) {
            for (Candidate candidate : index.candidatesFor(SyntheticDescriptions.of(person.getValue()))) {
                byInquiry.computeIfAbsent(candidate.inquiryId(), id -> new HashMap<>()).put(person.getKey(), candidate);
            }
        }
        InquiryQuality quality = new InquiryQuality(set.name());
        for (LabelledInquiry inquiry : set.inquiries()) {
            Map<String, Candidate> found = byInquiry.getOrDefault(inquiry.inquiryId(), Map.of());
            Map<String, Outcome> decided = decide(found);
            if (System.getenv("QUALITY_DIAGNOSE") != null) {
                diagnose(inquiry, found, decided);
            }
            quality.record(inquiry, decided, quality.overall);
            quality.record(inquiry, decided, quality.byKind.computeIfAbsent(inquiry.kind(), k -> new Tally()));
        }
        quality.measureBaselines(set, baselines);
        if (System.getenv("QUALITY_DIAGNOSE") != null) {
            DIAGNOSIS.entrySet().stream().sorted((a, b) -> b.getValue()[0] - a.getValue()[0])
                    .forEach(e -> System.out.println("DIAG " + set.name() + " " + e.getValue()[0] + " " + e.getKey()));
            DIAGNOSIS.clear();
        }
        return quality;
    }

    /**
     * The candidates of one inquiry decided together, as the pairing's CandidateRule does: a REVIEW candidate that a
     * stronger one outweighs (a clear auto-match, or any candidate above a safety-net one) stays out of review
     * ({@link MatchScorer#outweighed}).
     */
    static Map<String, Outcome> decide(Map<String, Candidate> candidates) {
        double bestAuto = Double.NEGATIVE_INFINITY;
        int autos = 0;
        for (Candidate candidate : candidates.values()) {
            if (candidate.assessment().outcome() == Outcome.AUTO_MATCH) {
                autos++;
                bestAuto = Math.max(bestAuto, candidate.assessment().score());
            }
        }
        boolean ambiguous = autos >= 2;
        for (Candidate candidate : candidates.values()) {
            ambiguous |= autos > 0 && candidate.assessment().outcome() == Outcome.REVIEW
                    && candidate.assessment().score() >= bestAuto - CLOSE_MARGIN;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (Candidate candidate : candidates.values()) {
            best = Math.max(best, candidate.assessment().score());
        }
        Map<String, Outcome> decided = new HashMap<>();
        for (Map.Entry<String, Candidate> entry : candidates.entrySet()) {
            Outcome outcome = entry.getValue().assessment().outcome();
            if (outcome == Outcome.REVIEW
                    && MatchScorer.outweighed(entry.getValue().assessment().score(), best, autos > 0 && !ambiguous, CLOSE_MARGIN)) {
                continue;
            }
            decided.put(entry.getKey(), outcome == Outcome.AUTO_MATCH && ambiguous ? Outcome.REVIEW : outcome);
        }
        return decided;
    }

    /** Pairs counted by kind, role and levels when QUALITY_DIAGNOSE is set: which levels fill the review queue. */
    static final Map<String, int[]> DIAGNOSIS = new java.util.TreeMap<>();

    private static void diagnose(LabelledInquiry inquiry, Map<String, Candidate> found, Map<String, Outcome> decided) {
        for (Map.Entry<String, Outcome> pair : decided.entrySet()) {
            boolean isTrue = pair.getKey().equals(inquiry.truePersonId());
            boolean namesake = inquiry.namesakeIds().contains(pair.getKey());
            String role = isTrue ? "true" : namesake ? "namesake" : "needless";
            StringBuilder key = new StringBuilder(inquiry.kind() + " " + role + " " + pair.getValue());
            for (Evidence e : found.get(pair.getKey()).assessment().evidence()) {
                if (!e.field().equals("prior")) {
                    key.append(' ').append(e.field().charAt(0)).append(e.field().length()).append('=').append(e.level());
                }
            }
            DIAGNOSIS.computeIfAbsent(key.toString(), k -> new int[1])[0]++;
        }
        if (inquiry.truePersonId() != null && !decided.containsKey(inquiry.truePersonId())) {
            DIAGNOSIS.computeIfAbsent(inquiry.kind() + " true MISSED", k -> new int[1])[0]++;
        }
        // Which reviews the rules require: the person and the labelled namesakes, and every listed person the inquiry
        // cannot tell from its person in review (scoring as high or higher), or that the namesake rule keeps beside it
        // (within the margin below it); the rest could go without breaking a rule.
        Outcome person = inquiry.truePersonId() == null ? null : decided.get(inquiry.truePersonId());
        double personScore = person == Outcome.REVIEW ? found.get(inquiry.truePersonId()).assessment().score() : Double.NaN;
        for (Map.Entry<String, Outcome> pair : decided.entrySet()) {
            if (pair.getValue() != Outcome.REVIEW) {
                continue;
            }
            double score = found.get(pair.getKey()).assessment().score();
            String why = pair.getKey().equals(inquiry.truePersonId()) ? "the person"
                    : inquiry.namesakeIds().contains(pair.getKey()) ? "a labelled namesake"
                    : score >= personScore ? "as high as the person in review"
                    : score >= personScore - CLOSE_MARGIN ? "within the margin below the person in review"
                    : "not required";
            DIAGNOSIS.computeIfAbsent("REVIEWS " + why, k -> new int[1])[0]++;
        }
    }

    private void record(LabelledInquiry inquiry, Map<String, Outcome> decided, Tally tally) {
        tally.inquiries++;
        for (Map.Entry<String, Outcome> pair : decided.entrySet()) {
            boolean isTrue = pair.getKey().equals(inquiry.truePersonId());
            if (pair.getValue() == Outcome.AUTO_MATCH) {
                tally.autoPairs++;
                tally.autoFalse += isTrue ? 0 : 1;
            } else if (pair.getValue() == Outcome.REVIEW) {
                tally.reviewPairs++;
                // a namesake of an ambiguous inquiry belongs in review: not a needless one
                tally.reviewFalse += isTrue || inquiry.namesakeIds().contains(pair.getKey()) ? 0 : 1;
            }
        }
        if (inquiry.truePersonId() != null) {
            tally.withTruePerson++;
            Outcome outcome = decided.getOrDefault(inquiry.truePersonId(), Outcome.NON_MATCH);
            tally.trueAuto += outcome == Outcome.AUTO_MATCH ? 1 : 0;
            tally.trueReview += outcome == Outcome.REVIEW ? 1 : 0;
            if (inquiry.sought().birthDate() != null) {
                tally.withFullDate++;
                tally.fullDateAuto += outcome == Outcome.AUTO_MATCH ? 1 : 0;
            }
        }
        if (!inquiry.namesakeIds().isEmpty()) {
            tally.ambiguous++;
            boolean all = inquiry.namesakeIds().stream().allMatch(id -> decided.get(id) == Outcome.REVIEW);
            tally.ambiguousAllInReview += all ? 1 : 0;
        }
        if (inquiry.hardNegative()) {
            tally.hardNegatives++;
            boolean anyAuto = decided.containsValue(Outcome.AUTO_MATCH);
            tally.hardNegativeAutos += anyAuto ? 1 : 0;
            tally.hardNegativeFlagged += anyAuto || decided.containsValue(Outcome.REVIEW) ? 1 : 0;
        }
    }

    /**
     * The two baselines, pair by pair on each inquiry's true pair only (they have no index): auto recall and auto +
     * review recall per kind. A name given only as one string is split the naive way (first word surname).
     */
    private void measureBaselines(LabelledInquirySet set, Map<String, Baseline> baselines) {
        for (Map.Entry<String, Baseline> baseline : baselines.entrySet()) {
            for (LabelledInquiry inquiry : set.inquiries()) {
                if (inquiry.truePersonId() == null) {
                    continue;
                }
                Outcome outcome = baseline.getValue().classify(naivelySplit(SyntheticDescriptions.of(inquiry.sought())),
                        SyntheticDescriptions.of(set.listed().get(inquiry.truePersonId())));
                for (String group : List.of("", inquiry.kind())) {
                    double[] counts = baselineRecall.computeIfAbsent(baseline.getKey() + "|" + group, k -> new double[3]);
                    counts[0]++;
                    counts[1] += outcome == Outcome.AUTO_MATCH ? 1 : 0;
                    counts[2] += outcome != Outcome.NON_MATCH ? 1 : 0;
                }
            }
        }
    }

    private static PersonDescription naivelySplit(PersonDescription sought) {
        if (sought.fullName() == null) {
            return sought;
        }
        List<Name> names = new ArrayList<>(sought.names());
        String[] words = sought.fullName().replace(",", " ").trim().split("\\s+");
        names.add(new Name(words[0], words.length > 1 ? words[1] : "", words.length > 2 ? words[2] : null));
        return new PersonDescription(names, null, sought.sex(), sought.birthDate(), sought.birthYear(), sought.category(),
                sought.unit(), sought.capturePlace(), sought.captureDate());
    }

    Tally overall() {
        return overall;
    }

    Tally of(String kind) {
        return byKind.get(kind);
    }

    /** The report as markdown: the targets table, then recall per kind next to the baselines. */
    String table() {
        StringBuilder out = new StringBuilder();
        Tally t = overall;
        out.append(String.format(Locale.ROOT, "%s: %d inquiries against %s listed people, per inquiry through the index.%n%n",
                setName, t.inquiries, "all"));
        out.append("| measure | result | target |\n|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| auto-match precision (pairs) | %.4f (%d of %d) | >= 0.999 |%n",
                t.precisionAuto(), t.autoPairs - t.autoFalse, t.autoPairs));
        out.append(String.format(Locale.ROOT, "| auto + review recall | %.4f | >= 0.98 |%n", t.recallAutoOrReview()));
        out.append(String.format(Locale.ROOT, "| auto recall | %.4f | - |%n", t.recallAuto()));
        out.append(String.format(Locale.ROOT, "| auto recall, inquiries with a full birth date | %.4f | >= 0.90 |%n",
                t.recallAutoWithFullDate()));
        out.append(String.format(Locale.ROOT, "| review load, pairs per inquiry (needless ones) | %.3f (%.3f) | <= 0.3 |%n",
                t.reviewLoad(), t.needlessReviewLoad()));
        out.append(String.format(Locale.ROOT, "| ambiguous inquiries with every namesake in review | %d of %d | all |%n",
                t.ambiguousAllInReview, t.ambiguous));
        out.append(String.format(Locale.ROOT, "| hard negatives auto-matched | %d of %d | 0 |%n%n",
                t.hardNegativeAutos, t.hardNegatives));
        out.append("Per kind: AUTO_MATCH / AUTO_MATCH+REVIEW recall of the true person (for a hard negative: share "
                + "auto-matched / flagged); baselines pair by pair on the true pair.\n\n");
        out.append("| kind | n | fellegi-sunter via index | review pairs per inquiry (needless) | exact normalized | naive JW>=0.9 |\n"
                + "|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Tally> kind : byKind.entrySet()) {
            Tally k = kind.getValue();
            out.append("| ").append(kind.getKey()).append(" | ").append(k.inquiries).append(" | ");
            if (k.withTruePerson > 0) {
                out.append(String.format(Locale.ROOT, "%.3f / %.3f", k.recallAuto(), k.recallAutoOrReview()));
            } else {
                out.append(String.format(Locale.ROOT, "%.3f / %.3f", (double) k.hardNegativeAutos / k.hardNegatives,
                        k.hardNegativeFlaggedRate()));
            }
            out.append(String.format(Locale.ROOT, " | %.2f (%.2f)", k.reviewLoad(), k.needlessReviewLoad()));
            for (String baseline : List.of("exact normalized", "naive JW>=0.9")) {
                double[] c = baselineRecall.get(baseline + "|" + kind.getKey());
                out.append(c == null ? " | - " : String.format(Locale.ROOT, " | %.3f / %.3f", c[1] / c[0], c[2] / c[0]));
            }
            out.append(" |\n");
        }
        for (String baseline : List.of("exact normalized", "naive JW>=0.9")) {
            double[] c = baselineRecall.get(baseline + "|");
            if (c != null) {
                out.append(String.format(Locale.ROOT, "%nBaseline %s on the true pairs: auto recall %.3f, auto + review recall %.3f.",
                        baseline, c[1] / c[0], c[2] / c[0]));
            }
        }
        return out.append('\n').toString();
    }
}

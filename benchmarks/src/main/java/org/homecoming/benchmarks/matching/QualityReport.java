package org.homecoming.benchmarks.matching;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.homecoming.reunification.matching.InquiryIndex;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.Outcome;
import org.homecoming.synthetic.labelled.LabelledPair;
import org.homecoming.synthetic.labelled.LabelledSetGenerator;
import org.homecoming.synthetic.labelled.Tally;
import org.homecoming.synthetic.labelled.VariationKind;
import org.homecoming.synthetic.labelled.WrittenPerson;

/**
 * Precision and recall of the matcher on a labelled set, for AUTO_MATCH alone, for REVIEW alone and for
 * AUTO_MATCH+REVIEW, overall and per {@link VariationKind}, next to the two {@link Baselines} measured on
 * the same pairs. The scorer is measured twice: pair by pair, and through an {@link InquiryIndex} holding
 * every sought person of the set, so that what blocking misses counts as missed.
 *
 * <p>Run {@code main} with a seed and a number of pairs per kind to print the table for MATCHING.md; see
 * benchmarks/README.md.
 */
final class QualityReport {

    /** Anything that turns a pair into an outcome. */
    @FunctionalInterface
    interface PairClassifier {
        Outcome classify(WrittenPerson sought, WrittenPerson listed);
    }

    static final String SCORER = "fellegi-sunter";
    static final String SCORER_VIA_INDEX = "fellegi-sunter via index";
    static final String EXACT_BASELINE = "exact normalized";
    static final String NAIVE_BASELINE = "naive JW>=0.9";


    private final Map<String, Tally> overall = new LinkedHashMap<>();
    private final Map<String, Map<VariationKind, Tally>> byKind = new LinkedHashMap<>();
    private final int pairCount;

    private QualityReport(int pairCount) {
        this.pairCount = pairCount;
    }

    /** Measures the scorer (pairwise and through an index) and both baselines on the pairs. */
    static QualityReport measure(List<LabelledPair> pairs, MatchScorer scorer) {
        Map<String, PairClassifier> matchers = new LinkedHashMap<>();
        matchers.put(SCORER, (sought, listed) ->
                scorer.assess(WrittenDescriptions.of(sought), WrittenDescriptions.of(listed)).outcome());
        matchers.put(EXACT_BASELINE, Baselines.exactNormalized());
        matchers.put(NAIVE_BASELINE, Baselines.naiveJaroWinkler());
        QualityReport report = new QualityReport(pairs.size());
        for (Map.Entry<String, PairClassifier> matcher : matchers.entrySet()) {
            for (LabelledPair pair : pairs) {
                report.record(matcher.getKey(), pair,
                        matcher.getValue().classify(pair.sought(), pair.listed()));
            }
        }
        List<Outcome> viaIndex = throughIndex(pairs, scorer);
        for (int i = 0; i < pairs.size(); i++) {
            report.record(SCORER_VIA_INDEX, pairs.get(i), viaIndex.get(i));
        }
        return report;
    }

    /** Each pair's outcome as the index reports it: the pair's own inquiry among the candidates, or NON_MATCH. */
    private static List<Outcome> throughIndex(List<LabelledPair> pairs, MatchScorer scorer) {
        InquiryIndex index = new InquiryIndex(scorer);
        for (int i = 0; i < pairs.size(); i++) {
            index.put(Integer.toString(i), WrittenDescriptions.of(pairs.get(i).sought()));
        }
        List<Outcome> outcomes = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            String id = Integer.toString(i);
            outcomes.add(index.candidatesFor(WrittenDescriptions.of(pairs.get(i).listed())).stream()
                    .filter(c -> c.inquiryId().equals(id))
                    .map(c -> c.assessment().outcome())
                    .findFirst()
                    .orElse(Outcome.NON_MATCH));
        }
        return outcomes;
    }

    private void record(String matcher, LabelledPair pair, Outcome outcome) {
        Tally one = Tally.EMPTY.plus(pair.samePerson(), outcome == Outcome.AUTO_MATCH, outcome == Outcome.REVIEW);
        overall.merge(matcher, one, Tally::plus);
        byKind.computeIfAbsent(matcher, m -> new EnumMap<>(VariationKind.class)).merge(pair.kind(), one, Tally::plus);
    }

    /** Overall counts of a matcher ({@link #SCORER}, {@link #SCORER_VIA_INDEX} or a baseline). */
    Tally overall(String matcher) {
        return overall.get(matcher);
    }

    Tally of(String matcher, VariationKind kind) {
        return byKind.get(matcher).get(kind);
    }

    /** The report as markdown tables. */
    String table() {
        List<String> matchers = List.copyOf(overall.keySet());
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d labelled pairs (%d true matches).%n%n", pairCount,
                overall.get(SCORER).positives()));
        out.append("| overall | ").append(String.join(" | ", matchers)).append(" |\n");
        out.append("|---|").append("---|".repeat(matchers.size())).append('\n');
        row(out, "precision AUTO_MATCH", matchers, Tally::precisionAuto);
        row(out, "recall AUTO_MATCH", matchers, Tally::recallAuto);
        row(out, "precision REVIEW alone", matchers, Tally::precisionReview);
        row(out, "precision AUTO_MATCH+REVIEW", matchers, Tally::precisionAutoOrReview);
        row(out, "recall AUTO_MATCH+REVIEW", matchers, Tally::recallAutoOrReview);
        out.append(String.format(Locale.ROOT, "%nPer kind: share of pairs flagged AUTO_MATCH / AUTO_MATCH+REVIEW. "
                + "For a true-match kind that is recall; for a non-match kind (same=no) it is the false-alert rate.%n%n"));
        out.append("| kind | same | n | ").append(String.join(" | ", matchers)).append(" |\n");
        out.append("|---|---|---|").append("---|".repeat(matchers.size())).append('\n');
        for (VariationKind kind : VariationKind.values()) {
            Tally first = byKind.get(SCORER).get(kind);
            if (first == null) {
                continue;
            }
            out.append("| ").append(kind).append(" | ").append(kind.samePerson() ? "yes" : "no").append(" | ")
                    .append(first.pairs()).append(" |");
            for (String matcher : matchers) {
                Tally t = byKind.get(matcher).get(kind);
                out.append(String.format(Locale.ROOT, " %.3f / %.3f |", t.autoRate(), t.flaggedRate()));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private void row(StringBuilder out, String label, List<String> matchers, ToDoubleFunction<Tally> f) {
        out.append("| ").append(label).append(" |");
        for (String matcher : matchers) {
            out.append(String.format(Locale.ROOT, " %.4f |", f.applyAsDouble(overall.get(matcher))));
        }
        out.append('\n');
    }

    /** Prints the table: {@code QualityReport [seed] [pairsPerKind]}. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20261127L;
        int perKind = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<LabelledPair> pairs = new LabelledSetGenerator(seed).pairs(perKind);
        System.out.println("seed " + seed + ", " + perKind + " pairs per kind");
        System.out.print(measure(pairs, MatchScorer.standard()).table());
    }
}

package org.homecoming.benchmarks.matching;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.homecoming.reunification.matching.PersonDescription;

/**
 * The CPU time that {@code candidatesFor} spends per arriving person against a million inquiries, and how
 * many inquiries each arrival is scored against. On a machine shared with other work the JMH wall-clock
 * percentiles include time spent waiting for a core; thread CPU time does not, so the two together tell
 * scoring work from contention.
 */
public final class ArrivalScoringCpuTime {

    private ArrivalScoringCpuTime() {
    }

    public static void main(String[] args) {
        int inquiries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        SyntheticInquiries data = SyntheticInquiries.build(inquiries, 2_000);
        List<PersonDescription> arrivals = data.arrivals;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int[] candidates = arrivals.stream().mapToInt(data.index::candidateCount).sorted().toArray();
        System.out.printf(Locale.ROOT, "%d inquiries, %d arrivals; candidates scored per arrival: p50 %d, p90 %d, p99 %d, max %d%n",
                inquiries, arrivals.size(), at(candidates, 0.50), at(candidates, 0.90), at(candidates, 0.99),
                candidates[candidates.length - 1]);
        // the first round warms the JIT up; the later rounds are the ones to read
        for (int round = 1; round <= rounds; round++) {
            long[] nanos = new long[arrivals.size()];
            for (int i = 0; i < arrivals.size(); i++) {
                long start = threads.getCurrentThreadCpuTime();
                data.index.candidatesFor(arrivals.get(i));
                nanos[i] = threads.getCurrentThreadCpuTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "round %d: CPU time per arrival p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    round, at(nanos, 0.50) / 1e6, at(nanos, 0.90) / 1e6, at(nanos, 0.99) / 1e6,
                    nanos[nanos.length - 1] / 1e6);
        }
    }

    private static int at(int[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
    }
}

package org.homecoming.benchmarks.matching;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.homecoming.reunification.matching.Candidate;
import org.homecoming.reunification.matching.PersonDescription;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scoring one arriving person against a million open inquiries: {@code InquiryIndex.candidatesFor}, timed
 * per call in SampleTime mode so that JMH reports the p99. The target is under 50 ms at p99 in a 512 MB heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
public class ArrivalScoringBenchmark {

    @Param("1000000")
    int inquiries;

    private SyntheticInquiries data;
    private PersonDescription[] arrivals;
    private int next;

    @Setup(Level.Trial)
    public void buildIndex() {
        data = SyntheticInquiries.build(inquiries, 2_000);
        arrivals = data.arrivals.toArray(PersonDescription[]::new);
    }

    @Benchmark
    public List<Candidate> candidatesForArrival() {
        PersonDescription arriving = arrivals[next];
        next = (next + 1) % arrivals.length;
        return data.index.candidatesFor(arriving);
    }
}

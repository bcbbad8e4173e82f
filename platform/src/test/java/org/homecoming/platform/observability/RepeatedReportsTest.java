package org.homecoming.platform.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedReportsTest {

    final MovableClock clock = new MovableClock(Instant.parse("2026-11-20T06:15:00Z"));
    final RepeatedReports reports = new RepeatedReports(Duration.ofMinutes(1), 100, clock);

    @Test
    void shouldReportAKeyOnceAPeriodWithHowManyTimesItHappenedSince() {
        // given 500 occurrences of one key within a minute
        long reported = IntStream.range(0, 500).mapToObj(i -> reports.occurred("bus-7")).filter(OptionalLong::isPresent).count();

        // then only the first is reported, and another key has a period of its own
        assertThat(reported).isEqualTo(1);
        assertThat(reports.occurred("bus-9")).hasValue(1);

        // and a minute later the next report covers the 499 held back and itself
        clock.advance(Duration.ofMinutes(1));
        assertThat(reports.occurred("bus-7")).hasValue(500);
        assertThat(reports.occurred("bus-7")).isEmpty();
    }

    @Test
    void shouldCountEveryOccurrenceOnceWhenSeveralThreadsShareTheReports() throws Exception {
        // given four stream tasks' threads refusing one partner's readings 20,000 times each within a minute
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Callable<Long> refusing = () -> IntStream.range(0, 20_000).mapToObj(i -> reports.occurred("partner-a"))
                    .filter(OptionalLong::isPresent).count();
            long reported = 0;
            for (Future<Long> thread : threads.invokeAll(List.of(refusing, refusing, refusing, refusing))) {
                reported += thread.get();
            }

            // then one line was due, and the next one, a minute later, covers every other occurrence and itself
            assertThat(reported).isEqualTo(1);
            clock.advance(Duration.ofMinutes(1));
            assertThat(reports.occurred("partner-a")).hasValue(80_000);
        } finally {
            threads.shutdownNow();
        }
    }
}

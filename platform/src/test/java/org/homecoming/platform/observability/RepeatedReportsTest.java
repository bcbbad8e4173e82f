package org.homecoming.platform.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
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
}

package org.homecoming.console.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TopicTrafficTest {

    private static final Instant T0 = Instant.parse("2026-05-14T06:00:00Z");

    private final TopicTraffic traffic = new TopicTraffic(Duration.ofSeconds(30));

    @Test
    void shouldHaveNoRateUntilTwoReadingsExist() {
        traffic.record(T0, Map.of("a", 100L));

        assertThat(traffic.recordsPerSecond()).containsEntry("a", null);
    }

    @Test
    void shouldMeasureRecordsPerSecondFromEndOffsetGrowth() {
        traffic.record(T0, Map.of("a", 100L, "b", 0L));
        traffic.record(T0.plusSeconds(5), Map.of("a", 150L, "b", 0L));

        assertThat(traffic.recordsPerSecond().get("a")).isCloseTo(10.0, within(1e-9));
        assertThat(traffic.recordsPerSecond().get("b")).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void shouldAverageOverTheWindowAndForgetReadingsBeforeIt() {
        traffic.record(T0, Map.of("a", 0L));
        traffic.record(T0.plusSeconds(10), Map.of("a", 1000L));
        traffic.record(T0.plusSeconds(20), Map.of("a", 1000L));
        traffic.record(T0.plusSeconds(40), Map.of("a", 1100L));

        // The window is 30 s back from 40 s: the base is the reading at 10 s, the burst before it is forgotten.
        assertThat(traffic.recordsPerSecond().get("a")).isCloseTo(100.0 / 30, within(1e-9));
    }

    @Test
    void shouldMeasureANewTopicFromItsFirstReading() {
        traffic.record(T0, Map.of("a", 0L));
        traffic.record(T0.plusSeconds(5), Map.of("a", 0L, "new", 20L));
        traffic.record(T0.plusSeconds(10), Map.of("a", 0L, "new", 70L));

        assertThat(traffic.recordsPerSecond().get("new")).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void shouldNotShowANegativeRateForATopicCreatedAgain() {
        traffic.record(T0, Map.of("a", 500L));
        traffic.record(T0.plusSeconds(5), Map.of("a", 3L));

        assertThat(traffic.recordsPerSecond()).containsEntry("a", null);
    }
}

package org.homecoming.transport.telemetry;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadingValidatorTest {

    static final Instant NOW = Instant.parse("2026-11-20T06:00:00Z");
    final ReadingValidator validator = new ReadingValidator();

    @Test
    void shouldAcceptAPlausibleReadingAndOneFromAClockSlightlyAhead() {
        assertThat(validator.readingProblems(new Reading(51.9, 31.06, 42.0, NOW.minusSeconds(30)), NOW)).isEmpty();
        assertThat(validator.readingProblems(new Reading(51.9, 31.06, null, NOW.plusSeconds(60)), NOW))
                .as("a minute ahead is a skewed clock, and the speed is optional").isEmpty();
    }

    @Test
    void shouldRefuseAReadingStampedMoreThanAMinuteAhead() {
        // one reading stamped ahead hides the tracker's real readings until then: movement detection takes only newer ones
        assertThat(validator.readingProblems(new Reading(51.9, 31.06, 42.0, NOW.plusSeconds(61)), NOW))
                .singleElement().satisfies(problem -> assertThat(problem.reason()).contains("more than 60 seconds in the future"));
        assertThat(validator.readingProblems(new Reading(51.9, 31.06, 42.0, NOW.plusSeconds(290)), NOW))
                .extracting(ReadingValidator.Problem::field).containsExactly("recordedAt");
    }

    @Test
    void shouldNameEveryProblemOfABrokenReading() {
        var problems = validator.readingProblems(new Reading(-91.0, 181.0, -3.0, NOW.plusSeconds(301)), NOW);

        assertThat(problems).extracting(ReadingValidator.Problem::field)
                .containsExactly("latitude", "longitude", "speedKmh", "recordedAt");
        assertThat(problems.get(0).reason()).startsWith("impossible coordinates");
        assertThat(problems.get(3).reason()).contains("in the future");
    }

    @Test
    void shouldRefuseMissingAndNonFiniteValues() {
        assertThat(validator.readingProblems(new Reading(null, Double.NaN, Double.POSITIVE_INFINITY, null), NOW))
                .extracting(ReadingValidator.Problem::field)
                .containsExactly("latitude", "longitude", "speedKmh", "recordedAt");
    }

    @Test
    void shouldRefuseABusWithoutAManifest() {
        assertThat(validator.busProblems("bus-9", false)).singleElement()
                .satisfies(problem -> assertThat(problem.reason()).contains("unknown bus bus-9"));
        assertThat(validator.busProblems("bus-9", true)).isEmpty();
        assertThat(validator.busProblems(" ", true)).extracting(ReadingValidator.Problem::field).containsExactly("busId");
    }

    @Test
    void shouldRefuseABusIdThatBreaksTheEntityIdRuleWithoutRepeatingIt() {
        for (String broken : new String[]{"b".repeat(10_000), "bus 1", "../bus-1", "bus-\u202e1", "-bus"}) {
            assertThat(validator.busProblems(broken, true)).as("bus id %.20s", broken).singleElement().satisfies(problem -> {
                assertThat(problem.field()).isEqualTo("busId");
                assertThat(problem.reason()).contains("must be 1 to 64 letters").doesNotContain(broken);
            });
        }
        assertThat(validator.busProblems("bus-1.a_B", true)).isEmpty();
    }

    @Test
    void shouldRefuseTimesFromBrokenClocksLongAgo() {
        for (Instant implausible : new Instant[]{Instant.EPOCH, Instant.parse("0001-01-01T00:00:00Z"),
                Instant.ofEpochMilli(-9_200_000_000_000_000L), Instant.parse("-1000000000-01-01T00:00:00Z"),
                Instant.MAX, NOW.minus(java.time.Duration.ofDays(8))}) {
            assertThat(validator.readingProblems(new Reading(51.9, 31.06, 42.0, implausible), NOW))
                    .as("recorded at %s", implausible)
                    .extracting(ReadingValidator.Problem::field).containsExactly("recordedAt");
        }
        assertThat(validator.readingProblems(new Reading(51.9, 31.06, 42.0, NOW.minus(java.time.Duration.ofDays(6))), NOW))
                .as("a tracker that was offline for six days").isEmpty();
    }

    @Test
    void shouldRefuseAbsurdNumbers() {
        assertThat(validator.readingProblems(new Reading(1e300, -1e300, 1e300, NOW), NOW))
                .extracting(ReadingValidator.Problem::field).containsExactly("latitude", "longitude", "speedKmh");
    }
}

package org.homecoming.transport.movements;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TripStateSerdeTest {

    @Test
    void shouldReadBackEveryFieldOfATripItWrote() {
        TripState trip = TripState.start("bus-7", "round-1");
        trip.lastRecordedAt = 1_700_000_000_000L;
        trip.latitude = 51.91;
        trip.longitude = 31.05;
        trip.speedKmh = 62.5;
        trip.recentSpeedKmh = 58.0;
        trip.departed = true;
        trip.departedAt = 1_699_999_000_000L;
        trip.departedProgressMeters = 120.0;
        trip.checkpointsPassed.add("checkpoint-horodnia");
        trip.crossingStreak = 2;
        trip.borderCrossed = true;
        trip.crossedAt = 1_699_999_900_000L;
        trip.estimatedArrival = 1_700_003_600_000L;
        trip.lastSeenAt = 1_700_000_000_500L;

        TripState read = TripStateSerde.read(TripStateSerde.write(trip));

        assertThat(read).usingRecursiveComparison().isEqualTo(trip);
        assertThat(read.snapshot()).isEqualTo(trip.snapshot());
    }

    @Test
    void shouldKeepUnknownValuesUnknown() {
        TripState trip = TripState.start("bus-8", null);

        TripState read = TripStateSerde.read(TripStateSerde.write(trip));

        assertThat(read.roundId).isNull();
        assertThat(read.lastRecordedAt).isNull();
        assertThat(read.latitude).isNull();
        assertThat(read.checkpointsPassed).isEmpty();
    }
}

package org.homecoming.transport.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Movement;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.CrossingGeographyTestAccess;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MovementDetectorProbe;
import org.homecoming.transport.simulation.TripScenario.ScheduledReading;
import org.homecoming.transport.telemetry.Reading;
import org.homecoming.transport.telemetry.ReadingValidator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TripScenarioTest {

    static final Instant DEPARTURE = Instant.parse("2026-11-20T06:00:00Z");
    final CrossingGeography geography = CrossingGeographyTestAccess.shipped();

    @Test
    void shouldPlanTheSameTripForTheSameSeedAndAnotherForAnotherSeed() {
        List<ScheduledReading> first = TripScenario.plan(geography, DEPARTURE, Duration.ZERO, 42);
        List<ScheduledReading> again = TripScenario.plan(geography, DEPARTURE, Duration.ZERO, 42);
        List<ScheduledReading> other = TripScenario.plan(geography, DEPARTURE, Duration.ZERO, 43);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void shouldDriveARealisticTripWithJitterAcrossTheLineDuplicatesAndDisorder() {
        List<ScheduledReading> plan = TripScenario.plan(geography, DEPARTURE, Duration.ZERO, 42);
        List<Reading> readings = plan.stream().map(ScheduledReading::reading).toList();

        assertThat(TripScenario.duration(plan)).as("about two hours from Gomel to Chernihiv with stops")
                .isBetween(Duration.ofMinutes(90), Duration.ofMinutes(180));
        assertThat(sideChangesNearTheLine(readings)).as("readings jump back and forth across the border line").isGreaterThanOrEqualTo(3);
        assertThat(countDisordered(readings)).as("some readings are duplicated or arrive out of order").isPositive();
        assertThat(readings).allSatisfy(reading -> assertThat(new ReadingValidator().readingProblems(reading,
                DEPARTURE.plus(Duration.ofHours(4)))).as("every reading is valid").isEmpty());
        for (int i = 1; i < plan.size(); i++) {
            assertThat(plan.get(i).postAt()).as("posting times never go back").isGreaterThanOrEqualTo(plan.get(i - 1).postAt());
        }
    }

    @Test
    void shouldYieldEveryMovementOnceWhenItsReadingsAreDetectedInPostingOrder() {
        for (long seed = 1; seed <= 20; seed++) {
            List<ScheduledReading> plan = TripScenario.plan(geography, DEPARTURE, Duration.ZERO, seed);
            List<BusMovementDetected> movements = new ArrayList<>(
                    MovementDetectorProbe.detect(geography, DetectionSettings.defaults(), "bus-1", "round-1",
                            plan.stream().map(ScheduledReading::reading).toList()));

            long seedUsed = seed;
            assertThat(movements).extracting(BusMovementDetected::getMovement).as("seed " + seedUsed)
                    .containsOnlyOnce(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED)
                    .filteredOn(movement -> movement == Movement.CHECKPOINT_PASSED).hasSize(3);
            assertThat(movements).filteredOn(movement -> movement.getMovement() == Movement.ETA_CHANGED)
                    .as("seed %d: the ETA is announced a few times, not at every stop-and-go", seedUsed)
                    .hasSizeBetween(1, 20);
        }
    }

    private int sideChangesNearTheLine(List<Reading> readings) {
        int changes = 0;
        Integer previous = null;
        for (Reading reading : readings) {
            GeoPoint point = new GeoPoint(reading.latitude(), reading.longitude());
            if (geography.border().distanceTo(point) > 500) {
                continue;
            }
            int side = geography.border().sideOf(point);
            if (previous != null && side != previous) {
                changes++;
            }
            previous = side;
        }
        return changes;
    }

    private static int countDisordered(List<Reading> readings) {
        int disordered = 0;
        for (int i = 1; i < readings.size(); i++) {
            if (!readings.get(i).recordedAt().isAfter(readings.get(i - 1).recordedAt())) {
                disordered++;
            }
        }
        return disordered;
    }
}

package org.homecoming.transport.movements;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Movement;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.synthetic.buses.CrossingRoad;
import org.homecoming.synthetic.buses.TrackerReading;
import org.homecoming.synthetic.buses.TripPlan;
import org.homecoming.synthetic.buses.TripPlan.ScheduledReading;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.CrossingGeographyTestAccess;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.telemetry.Reading;
import org.homecoming.transport.telemetry.ReadingValidator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trips as the workshop's bus trackers drive them (synthetic, from the same GeoJSON as the service), with GPS
 * jitter, duplicates and readings out of order: the detector must still see each movement once.
 */
class SimulatedTripDetectionTest {

    static final Instant DEPARTURE = Instant.parse("2026-11-20T06:00:00Z");
    final CrossingGeography geography = CrossingGeographyTestAccess.shipped();
    final CrossingRoad road = road();

    @Test
    void shouldPlanTheSameTripForTheSameSeedAndAnotherForAnotherSeed() {
        List<ScheduledReading> first = TripPlan.plan(road, DEPARTURE, Duration.ZERO, 42);
        List<ScheduledReading> again = TripPlan.plan(road, DEPARTURE, Duration.ZERO, 42);
        List<ScheduledReading> other = TripPlan.plan(road, DEPARTURE, Duration.ZERO, 43);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void shouldDriveARealisticTripWithJitterAcrossTheLineDuplicatesAndDisorder() {
        List<ScheduledReading> plan = TripPlan.plan(road, DEPARTURE, Duration.ZERO, 42);
        List<Reading> readings = readings(plan);

        assertThat(TripPlan.duration(plan)).as("about two hours from Gomel to Chernihiv with stops")
                .isBetween(Duration.ofMinutes(90), Duration.ofMinutes(180));
        assertThat(sideChangesNearTheLine(readings)).as("readings jump back and forth across the border line").isGreaterThanOrEqualTo(3);
        assertThat(countDisordered(readings)).as("some readings are duplicated or arrive out of order").isPositive();
        assertThat(readings).allSatisfy(reading -> assertThat(new ReadingValidator().readingProblems(reading,
                DEPARTURE.plus(Duration.ofHours(4)))).as("every reading is valid").isEmpty());
        for (int i = 1; i < plan.size(); i++) {
            assertThat(plan.get(i).postAt()).as("posting times never go back").isGreaterThanOrEqualTo(plan.get(i - 1).postAt());
        }
    }

    /**
     * The local stack's scenario drives its buses with seeds from 42 ({@code BusTrackers}: seed + bus index): 8 buses
     * (42 to 49), 80 in the fault-injection run at ten times stage 1 (42 to 121), which CI plays. All of them, and more.
     */
    static final int SEEDS = 130;

    @Test
    void shouldYieldEveryMovementOnceWhenItsReadingsAreDetectedInPostingOrder() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RefusedReadings refused = new RefusedReadings(meters);
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<ScheduledReading> plan = TripPlan.plan(road, DEPARTURE, Duration.ZERO, seed);
            List<BusMovementDetected> movements = new ArrayList<>(
                    MovementDetectorProbe.detect(geography, DetectionSettings.defaults(), refused, "bus-1", "round-1",
                            readings(plan)));

            long seedUsed = seed;
            assertThat(movements).extracting(BusMovementDetected::getMovement).as("seed " + seedUsed)
                    .containsOnlyOnce(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED)
                    .filteredOn(movement -> movement == Movement.CHECKPOINT_PASSED).hasSize(3);
            assertThat(movements).filteredOn(movement -> movement.getMovement() == Movement.ETA_CHANGED)
                    .as("seed %d: the ETA is announced a few times, not at every stop-and-go", seedUsed)
                    .hasSizeBetween(1, 20);
        }
        assertThat(meters.counter(MetricNames.TRANSPORT_READINGS_REFUSED, "reason", "implausible-jump").count())
                .as("no simulated reading jumps faster than a bus can drive").isZero();
    }

    @Test
    void shouldSendEnoughReadingsInsideTheReceptionPointToConfirmTheArrival() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Reading> readings = readings(TripPlan.plan(road, DEPARTURE, Duration.ZERO, seed));
            long inside = readings.stream().map(reading -> new GeoPoint(reading.latitude(), reading.longitude()))
                    .filter(geography.receptionPoint()::contains).count();
            assertThat(inside).as("seed %d: readings inside the reception point", seed)
                    .isGreaterThanOrEqualTo(DetectionSettings.defaults().crossingConfirmations() + 1);
        }
    }

    private static List<Reading> readings(List<ScheduledReading> plan) {
        return plan.stream().map(ScheduledReading::reading).map(SimulatedTripDetectionTest::reading).toList();
    }

    private static Reading reading(TrackerReading sent) {
        return new Reading(sent.latitude(), sent.longitude(), sent.speedKmh(), sent.recordedAt());
    }

    private static CrossingRoad road() {
        try (InputStream in = SimulatedTripDetectionTest.class.getResourceAsStream("/geo/chernihiv-crossing.geojson")) {
            return CrossingRoad.fromGeoJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

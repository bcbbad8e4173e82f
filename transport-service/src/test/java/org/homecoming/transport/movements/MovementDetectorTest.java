package org.homecoming.transport.movements;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.Movement;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.geo.Polyline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MovementDetectorTest {

    static final Instant T0 = Instant.parse("2026-11-20T06:00:00Z");

    CrossingGeography geography;
    MovementDetector detector;
    TripState trip;
    List<BusMovementDetected> movements;
    int readings;
    long wallClock;

    @BeforeEach
    void setUp() {
        geography = org.homecoming.transport.geo.CrossingGeographyTestAccess.shipped();
        detector = new MovementDetector(geography, DetectionSettings.defaults());
        trip = null;
        movements = new ArrayList<>();
        readings = 0;
        wallClock = T0.toEpochMilli();
    }

    @Test
    void shouldDeclareTheBorderCrossingOnceDespiteJitterBackAndForthAcrossTheLine() {
        GeoPoint crossing = geography.crossingPoint().center();
        double receiving = southIsReceiving() ? -1 : 1;

        at(crossing.offsetMeters(-receiving * 40, 0));      // waiting before the line
        at(crossing.offsetMeters(receiving * 25, 0));       // jitter: just across
        at(crossing.offsetMeters(-receiving * 10, 0));      // back
        at(crossing.offsetMeters(receiving * 200, 0));      // clearly across, 1
        at(crossing.offsetMeters(receiving * 220, 0));      // 2
        at(crossing.offsetMeters(-receiving * 5, 0));       // a multipath jump back resets the count
        at(crossing.offsetMeters(receiving * 260, 0));      // 1
        at(crossing.offsetMeters(receiving * 300, 0));      // 2
        assertThat(of(Movement.BORDER_CROSSED)).as("two readings beyond the margin are not yet a crossing").isEmpty();
        at(crossing.offsetMeters(receiving * 400, 0));      // 3: crossed
        at(crossing.offsetMeters(-receiving * 30, 0));      // jitter after the crossing
        at(crossing.offsetMeters(receiving * 500, 0));
        at(crossing.offsetMeters(receiving * 600, 0));
        at(crossing.offsetMeters(receiving * 700, 0));

        assertThat(of(Movement.BORDER_CROSSED)).as("exactly one crossing").hasSize(1)
                .first().satisfies(crossed -> {
                    assertThat(crossed.getOccurredAt()).as("declared by the third clear reading").isEqualTo(T0.plusSeconds(15 * 8));
                    assertThat(crossed.getPlace()).isEqualTo("Nova Huta - Novi Yarylovychi crossing");
                });
    }

    @Test
    void shouldNotDeclareACrossingFromReadingsThatStayWithinTheMarginOfTheLine() {
        GeoPoint crossing = geography.crossingPoint().center();
        double receiving = southIsReceiving() ? -1 : 1;

        for (int i = 0; i < 20; i++) {
            at(crossing.offsetMeters(receiving * (i % 2 == 0 ? 60 : 120), 0));
        }

        assertThat(of(Movement.BORDER_CROSSED)).as("a bus waiting within 150 m of the line has not crossed").isEmpty();
    }

    @Test
    void shouldIgnoreDuplicateAndOutOfOrderReadings() {
        GeoPoint crossing = geography.crossingPoint().center();
        double receiving = southIsReceiving() ? -1 : 1;
        at(geography.origin().center(), T0);
        at(crossing.offsetMeters(receiving * 200, 0), T0.plusSeconds(60));
        at(crossing.offsetMeters(receiving * 250, 0), T0.plusSeconds(75));

        // an out-of-order reading from before, on the releasing side, must not restart the count
        at(crossing.offsetMeters(-receiving * 100, 0), T0.plusSeconds(70));
        // a duplicate of the last reading must not count twice
        at(crossing.offsetMeters(receiving * 250, 0), T0.plusSeconds(75));
        assertThat(of(Movement.BORDER_CROSSED)).as("a duplicate is not a third confirmation").isEmpty();
        at(crossing.offsetMeters(receiving * 300, 0), T0.plusSeconds(90));

        assertThat(of(Movement.BORDER_CROSSED)).as("crossed on the third distinct reading despite the stale one").hasSize(1);
        assertThat(trip.lastRecordedAt).isEqualTo(T0.plusSeconds(90).toEpochMilli());
        assertThat(trip.latitude).as("the stale reading did not move the bus").isEqualTo(crossing.offsetMeters(receiving * 300, 0).latitude());
    }

    @Test
    void shouldDetectDepartureEachCheckpointAndArrivalOnceAlongTheRoute() {
        Polyline route = geography.route();
        double length = route.lengthMeters();
        for (double travelled = 0; travelled <= length; travelled += 250) {
            at(route.pointAt(travelled));
        }
        at(route.pointAt(length));
        at(geography.receptionPoint().center().offsetMeters(50, 50));

        assertThat(of(Movement.DEPARTED)).hasSize(1);
        assertThat(of(Movement.CHECKPOINT_PASSED)).extracting(BusMovementDetected::getPlace)
                .containsExactly("Nova Huta customs (BY)", "Novi Yarylovychi checkpoint (UA)", "Ripky police checkpoint (UA)");
        assertThat(of(Movement.BORDER_CROSSED)).hasSize(1);
        assertThat(of(Movement.ARRIVED)).hasSize(1).first()
                .satisfies(arrived -> assertThat(arrived.getPlace()).isEqualTo("Chernihiv reception point"));
        assertThat(movements).extracting(BusMovementDetected::getMovement).as("order of the trip")
                .filteredOn(movement -> movement != Movement.ETA_CHANGED && movement != Movement.CHECKPOINT_PASSED)
                .containsExactly(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED);
        assertThat(trip.snapshot().phase()).isEqualTo(TripSnapshot.Phase.ARRIVED);
    }

    @Test
    void shouldTakeArrivalAsProofOfTheCrossingWhenTheTrackerWasOffAtTheBorder() {
        at(geography.origin().center());
        at(geography.receptionPoint().center());

        assertThat(movements).extracting(BusMovementDetected::getMovement)
                .containsExactly(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED);
    }

    @Test
    void shouldAnnounceTheEtaFirstAndThenOnlyWhenItMovesByMoreThanFiveMinutes() {
        Polyline route = geography.route();
        for (int i = 0; i < 20; i++) {
            at(route.pointAt(3_000 + 250 * i), T0.plusSeconds(15L * i), 60.0);
        }
        assertThat(of(Movement.ETA_CHANGED)).as("a bus holding 60 km/h keeps its first estimate").hasSize(1);
        double remainingKm = route.remainingMeters(route.pointAt(3_000)) / 1000;
        long expectedSeconds = Math.round(remainingKm / 60 * 3600);
        assertThat(of(Movement.ETA_CHANGED).get(0).getEstimatedArrival()).as("remaining road distance over 60 km/h")
                .isBetween(T0.plusSeconds(expectedSeconds - 5), T0.plusSeconds(expectedSeconds + 5));

        // the bus slows down to 30 km/h: the estimate slips by far more than five minutes
        for (int i = 20; i < 60; i++) {
            at(route.pointAt(3_000 + 250 * 20 + 125 * (i - 20)), T0.plusSeconds(15L * i), 30.0);
        }

        List<BusMovementDetected> etas = of(Movement.ETA_CHANGED);
        assertThat(etas).as("re-announced as the bus slows, but not on every reading").hasSizeBetween(2, 20);
        for (int i = 1; i < etas.size(); i++) {
            assertThat(Duration.between(etas.get(i - 1).getEstimatedArrival(), etas.get(i).getEstimatedArrival()).abs())
                    .as("each new ETA moved by more than the threshold").isGreaterThan(Duration.ofMinutes(5));
        }
    }

    @Test
    void shouldReportASilentTrackerOncePerSilenceAndAgainAfterItSpokeAndFellSilent() {
        at(geography.route().pointAt(10_000));

        assertThat(detector.checkSilence(trip, wallClock + Duration.ofSeconds(119).toMillis())).as("not silent yet").isEmpty();
        assertThat(detector.checkSilence(trip, wallClock + Duration.ofSeconds(121).toMillis())).as("silent after two minutes").isPresent();
        assertThat(detector.checkSilence(trip, wallClock + Duration.ofMinutes(10).toMillis())).as("reported once per silence").isEmpty();
        assertThat(trip.snapshot().phase()).isEqualTo(TripSnapshot.Phase.SILENT);

        wallClock += Duration.ofMinutes(11).toMillis();
        at(geography.route().pointAt(10_500));
        assertThat(trip.snapshot().phase()).isEqualTo(TripSnapshot.Phase.EN_ROUTE);
        assertThat(detector.checkSilence(trip, wallClock + Duration.ofMinutes(3).toMillis())).as("a new silence").isPresent()
                .get().satisfies(silent -> assertThat(silent.getMovement()).isEqualTo(Movement.TRACKER_SILENT));
    }

    @Test
    void shouldStartANewTripWhenTheBusIsRegisteredForANewRound() {
        at(geography.origin().center());
        at(geography.receptionPoint().center());
        TripState firstTrip = trip;

        TripState next = detector.tripFor(firstTrip, position(geography.origin().center(), T0.plusSeconds(3600), null, "round-2"));

        assertThat(next).isNotSameAs(firstTrip);
        assertThat(next.roundId).isEqualTo("round-2");
        assertThat(next.borderCrossed).isFalse();
        assertThat(detector.tripFor(firstTrip, position(geography.origin().center(), T0.minusSeconds(60), null, "round-0")))
                .as("a stale reading of another round does not reset the trip").isSameAs(firstTrip);
    }

    private boolean southIsReceiving() {
        GeoPoint crossing = geography.crossingPoint().center();
        return geography.border().sideOf(crossing.offsetMeters(-1000, 0)) == geography.receivingSide();
    }

    private void at(GeoPoint point) {
        at(point, T0.plusSeconds(15L * readings), null);
    }

    private void at(GeoPoint point, Instant recordedAt) {
        at(point, recordedAt, null);
    }

    private void at(GeoPoint point, Instant recordedAt, Double speedKmh) {
        BusPositionRecorded position = position(point, recordedAt, speedKmh, "round-1");
        trip = detector.tripFor(trip, position);
        movements.addAll(detector.observe(trip, position, wallClock));
        readings++;
    }

    private static BusPositionRecorded position(GeoPoint point, Instant recordedAt, Double speedKmh, String roundId) {
        return BusPositionRecorded.newBuilder().setBusId("bus-1").setRoundId(roundId)
                .setLatitude(point.latitude()).setLongitude(point.longitude())
                .setSpeedKmh(speedKmh).setRecordedAt(recordedAt).build();
    }

    private List<BusMovementDetected> of(Movement movement) {
        return movements.stream().filter(detected -> detected.getMovement() == movement).toList();
    }
}

package org.homecoming.transport.movements;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.Movement;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.geo.Polyline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        at(geography.origin().center(), T0.minus(Duration.ofHours(1)));  // an hour's drive before the line
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
    void shouldTakeAConfirmedArrivalAsProofOfTheCrossingWhenTheTrackerWasOffAtTheBorder() {
        at(geography.origin().center(), T0);
        // the tracker is off for two hours, then reports from the reception point
        GeoPoint reception = geography.receptionPoint().center();
        at(reception, T0.plus(Duration.ofHours(2)));
        at(reception.offsetMeters(8, -5), T0.plus(Duration.ofHours(2)).plusSeconds(15));
        assertThat(movements).extracting(BusMovementDetected::getMovement).as("two readings at the reception point are not yet an arrival")
                .doesNotContain(Movement.BORDER_CROSSED, Movement.ARRIVED);

        at(reception.offsetMeters(-4, 6), T0.plus(Duration.ofHours(2)).plusSeconds(30));

        assertThat(movements).extracting(BusMovementDetected::getMovement).filteredOn(movement -> movement != Movement.ETA_CHANGED)
                .containsExactly(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED);
        assertThat(of(Movement.ARRIVED)).singleElement().satisfies(arrived -> assertThat(arrived.getOccurredAt())
                .as("declared by the third reading inside").isEqualTo(T0.plus(Duration.ofHours(2)).plusSeconds(30)));
    }

    @Test
    void shouldNoteWhenTransportLearntOfAnArrivalWhoseReadingsCameInLate() {
        // given a tracker that buffered the whole trip offline and uploads it three hours after the bus arrived
        wallClock = T0.plus(Duration.ofHours(5)).toEpochMilli();
        at(geography.origin().center(), T0);
        GeoPoint reception = geography.receptionPoint().center();
        at(reception, T0.plus(Duration.ofHours(2)));
        at(reception.offsetMeters(8, -5), T0.plus(Duration.ofHours(2)).plusSeconds(15));
        at(reception.offsetMeters(-4, 6), T0.plus(Duration.ofHours(2)).plusSeconds(30));

        // then the arrival is the tracker's time, and transport notes it learnt of it now: the staff's time runs from here
        assertThat(trip.snapshot().arrivedAt()).isEqualTo(T0.plus(Duration.ofHours(2)).plusSeconds(30).toEpochMilli());
        assertThat(trip.snapshot().arrivalSeenAt()).isEqualTo(wallClock);
    }

    @Test
    void shouldRefuseOneForgedReadingAtTheReceptionPointOfABusStillNorthOfTheBorder() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        detector = new MovementDetector(geography, DetectionSettings.defaults(), new RefusedReadings(meters));
        Polyline route = geography.route();
        for (int i = 0; i < 8; i++) {
            at(route.pointAt(10_000 + 250 * i), T0.plusSeconds(15L * i), 60.0);
        }
        double latitude = trip.latitude;

        // a partner's record, stamped a few seconds after the bus's last reading, puts it 80 km on at the reception point
        for (int i = 0; i < 5; i++) {
            at(geography.receptionPoint().center().offsetMeters(i, 0), T0.plusSeconds(15L * 7 + 5 + i), 0.0);
        }

        assertThat(of(Movement.BORDER_CROSSED)).as("no crossing from forged readings").isEmpty();
        assertThat(of(Movement.ARRIVED)).as("no arrival from forged readings").isEmpty();
        assertThat(trip.latitude).as("the bus was not moved").isEqualTo(latitude);
        assertThat(trip.lastRecordedAt).as("the forged times hide nothing").isEqualTo(T0.plusSeconds(15L * 7).toEpochMilli());
        assertThat(meters.counter(MetricNames.TRANSPORT_READINGS_REFUSED, "reason", "implausible-jump").count())
                .as("each refused reading counted for operators").isEqualTo(5);

        // the real tracker goes on: its next reading is judged from the last accepted one, and applied
        at(route.pointAt(10_000 + 250 * 8), T0.plusSeconds(15L * 8), 60.0);
        assertThat(trip.lastRecordedAt).isEqualTo(T0.plusSeconds(15L * 8).toEpochMilli());
        assertThat(trip.snapshot().phase()).isEqualTo(TripSnapshot.Phase.EN_ROUTE);
    }

    @Test
    void shouldNotLetReadingsStampedMillisecondsApartWalkTheBusAwayOnTheNoiseAllowance() {
        GeoPoint start = geography.route().pointAt(10_000);
        at(start, T0);

        // each reading 30 m on from the last, a millisecond later: within the 50 m of noise, were it granted per reading
        for (int i = 1; i <= 1_000; i++) {
            at(start.offsetMeters(-30.0 * i, 0), T0.plusMillis(i));
        }

        assertThat(new GeoPoint(trip.latitude, trip.longitude).distanceTo(start)).as("the bus stayed where it was").isLessThan(1);
        assertThat(movements).extracting(BusMovementDetected::getMovement).doesNotContain(Movement.BORDER_CROSSED, Movement.ARRIVED);
    }

    @Test
    void shouldAcceptGpsNoiseBetweenReadingsOfAWaitingBus() {
        GeoPoint queue = geography.crossingPoint().center();
        at(queue, T0);
        at(queue.offsetMeters(35, -20), T0.plusSeconds(1));   // 40 m in a second: multipath, not 145 km/h of driving
        at(queue.offsetMeters(-25, 10), T0.plusSeconds(16));

        assertThat(trip.lastRecordedAt).as("every reading applied").isEqualTo(T0.plusSeconds(16).toEpochMilli());
    }

    @Test
    void shouldNeedConsecutiveReadingsInsideTheReceptionPointToDeclareTheArrival() {
        GeoPoint reception = geography.receptionPoint().center();
        // the bus has crossed and approaches from the north
        for (int i = 0; i < 6; i++) {
            at(reception.offsetMeters(3_000 - 400 * i, 0), T0.plusSeconds(30L * i));
        }
        assertThat(of(Movement.BORDER_CROSSED)).hasSize(1);
        at(reception.offsetMeters(300, 0), T0.plusSeconds(180));     // inside (400 m), 1
        at(reception.offsetMeters(200, 0), T0.plusSeconds(195));     // 2
        at(reception.offsetMeters(450, 0), T0.plusSeconds(210));     // outside again: the count restarts
        at(reception.offsetMeters(100, 0), T0.plusSeconds(225));     // 1
        at(reception.offsetMeters(50, 0), T0.plusSeconds(240));      // 2
        assertThat(of(Movement.ARRIVED)).as("never three readings in a row inside").isEmpty();

        at(reception, T0.plusSeconds(255));                          // 3: arrived
        at(reception, T0.plusSeconds(270));

        assertThat(of(Movement.ARRIVED)).singleElement()
                .satisfies(arrived -> assertThat(arrived.getOccurredAt()).isEqualTo(T0.plusSeconds(255)));
        assertThat(of(Movement.BORDER_CROSSED)).as("still one crossing").hasSize(1);
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
        at(geography.origin().center(), T0);
        at(geography.receptionPoint().center(), T0.plus(Duration.ofHours(2)));
        TripState firstTrip = trip;

        TripState next = detector.tripFor(firstTrip, position(geography.origin().center(), T0.plus(Duration.ofHours(3)), null, "round-2"));

        assertThat(next).isNotSameAs(firstTrip);
        assertThat(next.roundId).isEqualTo("round-2");
        assertThat(next.borderCrossed).isFalse();
        assertThat(detector.tripFor(firstTrip, position(geography.origin().center(), T0.minusSeconds(60), null, "round-0")))
                .as("a stale reading of another round does not reset the trip").isSameAs(firstTrip);
    }

    @Test
    void shouldNotLetABusRegisteredForItsNextRoundAtTheReceptionPointCrossOrArriveUntilItHasGoneBack() {
        // given a bus that carried round 1 across and arrived
        roundOneCarriedAcross();
        GeoPoint reception = geography.receptionPoint().center();

        // when it is registered for round 2 and reports again while still parked at the reception point
        Instant later = T0.plus(Duration.ofHours(6));
        for (int i = 0; i < 10; i++) {
            atRound("round-2", reception.offsetMeters(-i, i), later.plusSeconds(15L * i));
        }

        // then round 2's families hear of no crossing: the bus has not been back
        assertThat(movements).as("round 2 at the reception point before going back").isEmpty();

        // and once it has gone back and comes again along the route, round 2 departs, crosses and arrives once each
        roundTwoFromTheAssemblyPoint(later.plus(Duration.ofHours(4)));
        assertThat(movements).extracting(BusMovementDetected::getMovement)
                .filteredOn(movement -> movement != Movement.ETA_CHANGED && movement != Movement.CHECKPOINT_PASSED)
                .containsExactly(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED);
        assertThat(movements).extracting(BusMovementDetected::getRoundId).containsOnly("round-2");
    }

    @Test
    void shouldTakeAnArrivalFromStaffWhoSawTheBusAtTheReceptionPointOnItsNextTripThoughNoReadingShowedItGoBack() {
        // given a bus that carried round 1 across, then went back for round 2 with its tracker dead: no reading of the
        // way back, nor of round 2 at all
        roundOneCarriedAcross();

        // when the reception staff see it at the reception point again, hours later
        BusPositionRecorded sighting = BusPositionRecorded.newBuilder(position(geography.receptionPoint().center(),
                T0.plus(Duration.ofHours(8)), 0.0, "round-2")).setSightedAtReception(true).build();
        trip = detector.tripFor(trip, sighting);
        movements.addAll(detector.observe(trip, sighting, wallClock));

        // then round 2 departs, crosses and arrives, once each, at once
        assertThat(movements).extracting(BusMovementDetected::getMovement)
                .filteredOn(movement -> movement != Movement.ETA_CHANGED && movement != Movement.CHECKPOINT_PASSED)
                .containsExactly(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED);
        assertThat(movements).extracting(BusMovementDetected::getRoundId).containsOnly("round-2");
    }

    @Test
    void shouldTakeAnArrivalFromStaffWhoSawTheBusThoughItsLastReadingWasFartherThanItCouldHaveDriven() {
        // given a bus whose tracker last placed it on the road, 2 km from the assembly point, and then died
        at(geography.origin().center(), T0);
        at(geography.route().pointAt(2_000), T0.plusSeconds(120));
        movements.clear();

        // when the reception staff see it at the reception point a minute later (its tracker's clock was wrong)
        BusPositionRecorded sighting = BusPositionRecorded.newBuilder(position(geography.receptionPoint().center(),
                T0.plusSeconds(180), 0.0, "round-1")).setSightedAtReception(true).build();
        trip = detector.tripFor(trip, sighting);
        movements.addAll(detector.observe(trip, sighting, wallClock));

        // then the bus crosses and arrives: what the staff saw is not an impossible jump
        assertThat(of(Movement.BORDER_CROSSED)).hasSize(1);
        assertThat(of(Movement.ARRIVED)).hasSize(1);
    }

    @Test
    void shouldTakeNoArrivalFromATrackersReadingThatClaimsToBeASighting() {
        // a sighting only counts at the reception point: elsewhere it is a reading like any, checked and counted as such
        at(geography.origin().center());
        BusPositionRecorded claimed = BusPositionRecorded.newBuilder(position(geography.route().pointAt(5_000),
                T0.plusSeconds(600), 50.0, "round-1")).setSightedAtReception(true).build();
        trip = detector.tripFor(trip, claimed);
        movements.addAll(detector.observe(trip, claimed, wallClock));

        assertThat(of(Movement.ARRIVED)).isEmpty();
        assertThat(of(Movement.BORDER_CROSSED)).isEmpty();
    }

    @Test
    void shouldNotShowANextRoundsBusDepartedWhileItDrivesBackToTheAssemblyPoint() {
        // given a bus that carried round 1 across, arrived, and was registered for round 2
        roundOneCarriedAcross();
        Polyline route = geography.route();

        // when it drives back along the route, across the border and up to the assembly point
        Instant back = T0.plus(Duration.ofHours(6));
        int step = 0;
        for (double travelled = route.lengthMeters(); travelled > 0; travelled -= 250) {
            atRound("round-2", route.pointAt(travelled), back.plusSeconds(15L * ++step));
        }

        // then round 2 has not departed: the bus is on its way to pick its people up
        assertThat(movements).as("driving back empty").isEmpty();

        // and from the assembly point it departs, crosses and arrives once each
        roundTwoFromTheAssemblyPoint(back.plusSeconds(15L * (step + 1)));
        assertThat(movements).extracting(BusMovementDetected::getMovement)
                .filteredOn(movement -> movement != Movement.ETA_CHANGED && movement != Movement.CHECKPOINT_PASSED)
                .containsExactly(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED);
    }

    @Test
    void shouldStillTellOfANextRoundsCrossingWhenItsTrackerMissedTheAssemblyPoint() {
        // given a bus back on the releasing side for round 2, whose tracker was off at the assembly point
        TripState trip = TripState.start("bus-1", "round-2");
        trip.returning = true;
        trip.backOnReleasingSide = true;
        Polyline route = geography.route();
        List<BusMovementDetected> seen = new java.util.ArrayList<>();
        int step = 0;
        for (double travelled = route.lengthMeters() / 4; travelled <= route.lengthMeters(); travelled += 250) {
            seen.addAll(detector.observe(trip, position(route.pointAt(travelled), T0.plusSeconds(15L * ++step), null, "round-2"), 0));
        }

        // then the crossing is still declared, with the departure it implies
        assertThat(seen).extracting(BusMovementDetected::getMovement).contains(Movement.DEPARTED, Movement.BORDER_CROSSED);
    }

    @Test
    void shouldKeepATripReturningAcrossARestartOfTheStreamProcessor() {
        TripState returning = TripState.start("bus-1", "round-2");
        returning.returning = true;

        returning.backOnReleasingSide = true;

        assertThat(TripStateSerde.read(TripStateSerde.write(returning)).returning).isTrue();
        assertThat(TripStateSerde.read(TripStateSerde.write(returning)).backOnReleasingSide).isTrue();
        assertThat(TripStateSerde.read(TripStateSerde.write(TripState.start("bus-1", "round-1"))).returning).isFalse();
    }

    /** Round 1 driven from the assembly point to an arrival at the reception point; its movements cleared. */
    private void roundOneCarriedAcross() {
        Polyline route = geography.route();
        for (double travelled = 0; travelled <= route.lengthMeters(); travelled += 250) {
            at(route.pointAt(travelled));
        }
        GeoPoint reception = geography.receptionPoint().center();
        for (int i = 0; i < 4; i++) {
            at(reception.offsetMeters(i, i));
        }
        assertThat(of(Movement.ARRIVED)).hasSize(1);
        movements.clear();
    }

    /** Round 2 driven from the assembly point, from {@code start} on, to the reception point. */
    private void roundTwoFromTheAssemblyPoint(Instant start) {
        Polyline route = geography.route();
        GeoPoint reception = geography.receptionPoint().center();
        atRound("round-2", geography.origin().center(), start);
        int step = 0;
        for (double travelled = 0; travelled <= route.lengthMeters(); travelled += 250) {
            atRound("round-2", route.pointAt(travelled), start.plusSeconds(15L * ++step));
        }
        for (int i = 0; i < 4; i++) {
            atRound("round-2", reception.offsetMeters(i, -i), start.plusSeconds(15L * ++step));
        }
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

    private void atRound(String roundId, GeoPoint point, Instant recordedAt) {
        BusPositionRecorded position = position(point, recordedAt, null, roundId);
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

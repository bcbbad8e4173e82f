package org.homecoming.transport.movements;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.Movement;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.geo.Polyline;
import org.homecoming.transport.geo.Zone;

/**
 * Turns a bus's readings into movements, each announced once per trip: it departed, passed a checkpoint,
 * crossed the border, arrived, its ETA moved, its tracker went silent. Pure domain logic, no Kafka: the stream
 * processor keeps the {@link TripState} in a state store and calls this.
 */
public final class MovementDetector {

    /** Weight of the newest speed in the recent-speed average used early in a trip. */
    private static final double SPEED_SMOOTHING = 0.3;
    /**
     * After this long on the road, the ETA uses the trip's average speed since departure. Its stops so far predict
     * the stops to come, and a bus waiting at a checkpoint does not make the ETA swing by hours.
     */
    static final long TRIP_AVERAGE_AFTER_MILLIS = 10 * 60_000;

    /**
     * Below this interval between two readings only a share of the GPS noise allowance applies (all of it from here on).
     * A fixed allowance per reading would add up: readings stamped a millisecond apart could walk a bus 50 m at a time
     * to anywhere. Scaled like this, a chain of readings gains at most {@code gpsNoiseMeters} per 10 s over the plausible
     * speed (5 m/s, 18 km/h, at the default 50 m), however close together they are stamped.
     */
    static final long NOISE_ALLOWANCE_AFTER_MILLIS = 10_000;

    private final CrossingGeography geography;
    private final DetectionSettings settings;
    private final RefusedReadings refused;

    /** A detector whose refused readings are logged and counted nowhere (tests). */
    public MovementDetector(CrossingGeography geography, DetectionSettings settings) {
        this(geography, settings, new RefusedReadings(null));
    }

    public MovementDetector(CrossingGeography geography, DetectionSettings settings, RefusedReadings refused) {
        this.geography = geography;
        this.settings = settings;
        this.refused = refused;
    }

    /**
     * The trip a reading belongs to: the stored one, or a fresh one when the bus starts a new round. A stale
     * reading of an earlier round does not reset the current trip.
     */
    TripState tripFor(TripState stored, BusPositionRecorded position) {
        if (stored == null) {
            return TripState.start(position.getBusId(), position.getRoundId());
        }
        boolean newer = stored.lastRecordedAt == null || position.getRecordedAt().toEpochMilli() > stored.lastRecordedAt;
        if (newer && !stored.roundId.equals(position.getRoundId())) {
            TripState next = TripState.start(position.getBusId(), position.getRoundId());
            // a bus that ended its last trip on the receiving side must go back before this one can cross
            next.returning = stored.borderCrossed || stored.arrived || stored.returning;
            return next;
        }
        return stored;
    }

    /**
     * Applies a reading to the trip and returns what it revealed. A reading not newer than the last one processed
     * (a duplicate, or one that arrived out of order) changes nothing, and neither does one that the bus could not
     * have reached from its last accepted position (see {@link #implausibleJump}), which is counted and logged.
     */
    List<BusMovementDetected> observe(TripState trip, BusPositionRecorded position, long wallClockMillis) {
        long recordedAt = position.getRecordedAt().toEpochMilli();
        if (trip.lastRecordedAt != null && recordedAt <= trip.lastRecordedAt) {
            return List.of();
        }
        GeoPoint point = new GeoPoint(position.getLatitude(), position.getLongitude());
        // Staff who see the bus at the reception point know better than its last reading, or its silence: a sighting is
        // taken as it is (ArrivalConfirmation checked the bus by the people on it).
        boolean sighted = position.getSightedAtReception() && geography.receptionPoint().contains(point);
        String implausible = sighted ? null : implausibleJump(trip, point, recordedAt);
        if (implausible != null) {
            refused.refused(trip.busId, implausible);
            return List.of();
        }
        updateSpeed(trip, point, position, recordedAt);
        trip.lastRecordedAt = recordedAt;
        trip.latitude = point.latitude();
        trip.longitude = point.longitude();
        trip.speedKmh = position.getSpeedKmh();
        trip.lastSeenAt = wallClockMillis;
        trip.silent = false;
        if (trip.returning && sighted) {
            // the bus came back for this round and is at the reception point again, though no reading showed the way
            trip.returning = false;
            trip.backOnReleasingSide = false;
        }
        if (trip.returning) {
            boolean receivingSide = geography.border().sideOf(point) == geography.receivingSide();
            if (!trip.backOnReleasingSide) {
                if (receivingSide) {
                    // still on the receiving side after the last round: no departure, crossing or arrival of this round yet
                    return List.of();
                }
                trip.backOnReleasingSide = true;
            }
            if (!receivingSide && !geography.origin().contains(point)) {
                // driving back to the assembly point: the round departs from there, not from here
                return List.of();
            }
            // At the assembly point, the round starts. Or across the border again without a reading there (a tracker
            // off while loading): the trip goes on as any other, so the families still hear of the crossing.
            trip.returning = false;
            trip.backOnReleasingSide = false;
        }

        List<BusMovementDetected> movements = new ArrayList<>();
        if (!trip.departed && !geography.origin().contains(point)) {
            trip.departed = true;
            trip.departedAt = recordedAt;
            trip.departedProgressMeters = progressAlongRoute(point);
            movements.add(movement(trip, Movement.DEPARTED, recordedAt, point, geography.origin().name(), null));
        }
        for (Zone checkpoint : geography.checkpoints()) {
            if (!trip.checkpointsPassed.contains(checkpoint.id()) && checkpoint.contains(point)) {
                trip.checkpointsPassed.add(checkpoint.id());
                movements.add(movement(trip, Movement.CHECKPOINT_PASSED, recordedAt, point, checkpoint.name(), null));
            }
        }
        if (!trip.borderCrossed && isClearlyOnReceivingSide(trip, point)) {
            movements.add(crossed(trip, recordedAt, point));
        }
        if (!trip.arrived && (isConfirmedAtReceptionPoint(trip, point) || sighted)) {
            if (!trip.borderCrossed) {
                // The reception point lies far inside the receiving side: a confirmed arrival proves the crossing,
                // even if the tracker was silent while the bus crossed. (Its readings count towards the crossing as
                // well, so with the shipped geography the crossing is declared by the same reading just above.)
                movements.add(crossed(trip, recordedAt, point));
            }
            trip.arrived = true;
            trip.arrivedAt = recordedAt;
            trip.arrivalSeenAt = wallClockMillis;
            movements.add(movement(trip, Movement.ARRIVED, recordedAt, point, geography.receptionPoint().name(), null));
        }
        estimateArrival(trip, point, recordedAt).ifPresent(movements::add);
        return movements;
    }

    /** Reports a trip's tracker silent once per silence, measured in wall-clock time since its last reading. */
    Optional<BusMovementDetected> checkSilence(TripState trip, long wallClockMillis) {
        if (trip.arrived || trip.silent || trip.lastRecordedAt == null
                || wallClockMillis - trip.lastSeenAt < settings.silenceAfter().toMillis()) {
            return Optional.empty();
        }
        trip.silent = true;
        GeoPoint lastKnown = new GeoPoint(trip.latitude, trip.longitude);
        return Optional.of(movement(trip, Movement.TRACKER_SILENT, wallClockMillis, lastKnown, null, null));
    }

    /**
     * Hysteresis against GPS jitter: only readings at least the margin beyond the line on the receiving side
     * count, a reading back on the releasing side restarts the count, and readings inside the margin on the
     * receiving side neither count nor restart it.
     */
    private boolean isClearlyOnReceivingSide(TripState trip, GeoPoint point) {
        Polyline.Projection border = geography.border().project(point);
        if (border.side() == geography.receivingSide()) {
            if (border.distanceMeters() >= settings.crossingMarginMeters()) {
                trip.crossingStreak++;
            }
        } else {
            trip.crossingStreak = 0;
        }
        return trip.crossingStreak >= settings.crossingConfirmations();
    }

    /**
     * The arrival needs the same confirmations as the crossing: consecutive readings inside the reception point, a
     * reading outside restarting the count. One reading there, a GPS glitch or a forged record that is within reach
     * of the bus, never announces an arrival (nor the crossing it implies) to the families.
     */
    private boolean isConfirmedAtReceptionPoint(TripState trip, GeoPoint point) {
        if (geography.receptionPoint().contains(point)) {
            trip.receptionStreak++;
        } else {
            trip.receptionStreak = 0;
        }
        return trip.receptionStreak >= settings.crossingConfirmations();
    }

    /**
     * Why the bus cannot be at {@code point} at {@code recordedAt}, or null if it can: farther from its last accepted
     * position than {@code plausibleSpeedKmh} covers in the time between, plus an allowance for GPS noise (see
     * {@link #NOISE_ALLOWANCE_AFTER_MILLIS}). Without this check one forged record on the partner intake, stamped now
     * at the reception point, made a bus still far from the border "cross" and "arrive". The first reading of a trip
     * has nothing to be checked against. A refused reading does not move the bus, so the next real reading is judged
     * from the last accepted one, with the time since then: a bus whose tracker was off is never locked out, its
     * reach grows with the silence. The reason names no position (they are sensitive; it is logged).
     */
    private String implausibleJump(TripState trip, GeoPoint point, long recordedAt) {
        if (trip.lastRecordedAt == null || trip.latitude == null || trip.longitude == null) {
            return null;
        }
        long elapsedMillis = recordedAt - trip.lastRecordedAt;
        double meters = new GeoPoint(trip.latitude, trip.longitude).distanceTo(point);
        double reach = settings.plausibleSpeedKmh() / 3.6 * elapsedMillis / 1000.0
                + settings.gpsNoiseMeters() * Math.min(1.0, elapsedMillis / (double) NOISE_ALLOWANCE_AFTER_MILLIS);
        if (meters <= reach) {
            return null;
        }
        return String.format(Locale.ROOT, "impossible jump: %.0f m in %.1f s since its last accepted reading "
                        + "(%.0f km/h; at most %.0f km/h plus %.0f m of GPS noise)", meters, elapsedMillis / 1000.0,
                meters / 1000 / (elapsedMillis / 3_600_000.0), settings.plausibleSpeedKmh(), settings.gpsNoiseMeters());
    }

    private BusMovementDetected crossed(TripState trip, long recordedAt, GeoPoint point) {
        trip.borderCrossed = true;
        trip.crossedAt = recordedAt;
        return movement(trip, Movement.BORDER_CROSSED, recordedAt, point, geography.crossingPoint().name(), null);
    }

    private void updateSpeed(TripState trip, GeoPoint point, BusPositionRecorded position, long recordedAt) {
        Double speed = position.getSpeedKmh();
        if (speed == null && trip.lastRecordedAt != null) {
            double hours = (recordedAt - trip.lastRecordedAt) / 3_600_000.0;
            speed = new GeoPoint(trip.latitude, trip.longitude).distanceTo(point) / 1000 / hours;
        }
        if (speed != null) {
            trip.recentSpeedKmh = trip.recentSpeedKmh == null ? speed
                    : SPEED_SMOOTHING * speed + (1 - SPEED_SMOOTHING) * trip.recentSpeedKmh;
        }
    }

    /**
     * Remaining road distance over the bus's speed: the smoothed reported speed in its first minutes on the road,
     * then its average since departure. Announced when it first exists and when it moves by more than the threshold.
     */
    private Optional<BusMovementDetected> estimateArrival(TripState trip, GeoPoint point, long recordedAt) {
        if (!trip.departed || trip.arrived) {
            return Optional.empty();
        }
        Double speedKmh = trip.recentSpeedKmh;
        long onTheRoad = trip.departedAt == null ? 0 : recordedAt - trip.departedAt;
        double remainingMeters = geography.route().remainingMeters(point);
        if (onTheRoad >= TRIP_AVERAGE_AFTER_MILLIS) {
            double kilometres = (geography.route().lengthMeters() - remainingMeters - trip.departedProgressMeters) / 1000;
            speedKmh = kilometres / (onTheRoad / 3_600_000.0);
        }
        if (speedKmh == null || speedKmh < settings.minimumSpeedKmh()) {
            return Optional.empty();
        }
        double remainingKm = remainingMeters / 1000;
        long estimate = recordedAt + Math.round(remainingKm / speedKmh * 3_600_000);
        if (trip.estimatedArrival != null
                && Math.abs(estimate - trip.estimatedArrival) <= settings.etaChangeThreshold().toMillis()) {
            return Optional.empty();
        }
        trip.estimatedArrival = estimate;
        return Optional.of(movement(trip, Movement.ETA_CHANGED, recordedAt, point, null, estimate));
    }

    private double progressAlongRoute(GeoPoint point) {
        return geography.route().lengthMeters() - geography.route().remainingMeters(point);
    }

    private static BusMovementDetected movement(TripState trip, Movement movement, long occurredAt, GeoPoint point,
                                                String place, Long estimatedArrival) {
        return BusMovementDetected.newBuilder()
                .setBusId(trip.busId)
                .setRoundId(trip.roundId)
                .setMovement(movement)
                .setOccurredAt(Instant.ofEpochMilli(occurredAt))
                .setLatitude(point.latitude())
                .setLongitude(point.longitude())
                .setPlace(place)
                .setEstimatedArrival(estimatedArrival == null ? null : Instant.ofEpochMilli(estimatedArrival))
                .build();
    }
}

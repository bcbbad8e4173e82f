package org.homecoming.transport.movements;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    private final CrossingGeography geography;
    private final DetectionSettings settings;

    public MovementDetector(CrossingGeography geography, DetectionSettings settings) {
        this.geography = geography;
        this.settings = settings;
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
            return TripState.start(position.getBusId(), position.getRoundId());
        }
        return stored;
    }

    /**
     * Applies a reading to the trip and returns what it revealed. A reading not newer than the last one processed
     * (a duplicate, or one that arrived out of order) changes nothing.
     */
    List<BusMovementDetected> observe(TripState trip, BusPositionRecorded position, long wallClockMillis) {
        long recordedAt = position.getRecordedAt().toEpochMilli();
        if (trip.lastRecordedAt != null && recordedAt <= trip.lastRecordedAt) {
            return List.of();
        }
        GeoPoint point = new GeoPoint(position.getLatitude(), position.getLongitude());
        updateSpeed(trip, point, position, recordedAt);
        trip.lastRecordedAt = recordedAt;
        trip.latitude = point.latitude();
        trip.longitude = point.longitude();
        trip.speedKmh = position.getSpeedKmh();
        trip.lastSeenAt = wallClockMillis;
        trip.silent = false;

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
        if (!trip.arrived && geography.receptionPoint().contains(point)) {
            if (!trip.borderCrossed) {
                // The reception point lies far inside the receiving side: arriving there proves the crossing,
                // even if the tracker was silent while the bus crossed.
                movements.add(crossed(trip, recordedAt, point));
            }
            trip.arrived = true;
            trip.arrivedAt = recordedAt;
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

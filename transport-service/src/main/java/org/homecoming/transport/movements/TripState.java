package org.homecoming.transport.movements;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

/**
 * What movement detection remembers about one bus on one trip (one round). It lives in a persistent state
 * store with a changelog, so a restarted service resumes mid-trip without announcing anything twice.
 * Times are epoch milliseconds.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE, isGetterVisibility = Visibility.NONE)
final class TripState {

    String busId;
    String roundId;
    /** Recording time of the newest reading processed; older or equal readings are ignored. */
    Long lastRecordedAt;
    Double latitude;
    Double longitude;
    Double speedKmh;
    Double recentSpeedKmh;
    boolean departed;
    /** When and how far along the route the bus was when it left the origin: the base of its average speed. */
    Long departedAt;
    Double departedProgressMeters;
    List<String> checkpointsPassed = new ArrayList<>();
    /** Consecutive readings clearly on the receiving side, not yet enough to declare the crossing. */
    int crossingStreak;
    boolean borderCrossed;
    Long crossedAt;
    /** Consecutive readings inside the reception point, not yet enough to declare the arrival. */
    int receptionStreak;
    boolean arrived;
    Long arrivedAt;
    /** The last ETA announced. */
    Long estimatedArrival;
    /** Wall-clock time at which the newest reading was processed. */
    long lastSeenAt;
    boolean silent;
    /**
     * The bus ended its previous round's trip on the receiving side (it crossed, or arrived): this trip counts no
     * movement until a reading shows the bus back on the releasing side. Without it, a bus registered for its next
     * round while still parked at the reception point "crossed" and "arrived" again from its first readings there, and
     * the next round's families were told their people had crossed while they were still held.
     */
    boolean returning;
    /**
     * A returning bus was seen back on the releasing side, on its way to the assembly point: the new round departs only
     * from there. Before, its first reading on the releasing side was taken for the departure, and the console showed
     * the next round's bus on its way while it was still driving back empty.
     */
    boolean backOnReleasingSide;
    /**
     * Wall-clock time at which this service learnt of the arrival. {@link #arrivedAt} is the tracker's own time, which
     * lags by as long as the tracker buffered its readings offline: the overdue hand-overs are closed a while after
     * this, or a tracker that uploaded two hours late had everyone on the bus reported missing within the minute.
     */
    Long arrivalSeenAt;

    TripState() {
        // for TripStateSerde
    }

    static TripState start(String busId, String roundId) {
        TripState trip = new TripState();
        trip.busId = busId;
        trip.roundId = roundId;
        return trip;
    }

    /** A copy to change, so that this trip stays as the store holds it if the change fails half-way. */
    TripState copy() {
        TripState copy = new TripState();
        copy.busId = busId;
        copy.roundId = roundId;
        copy.lastRecordedAt = lastRecordedAt;
        copy.latitude = latitude;
        copy.longitude = longitude;
        copy.speedKmh = speedKmh;
        copy.recentSpeedKmh = recentSpeedKmh;
        copy.departed = departed;
        copy.departedAt = departedAt;
        copy.departedProgressMeters = departedProgressMeters;
        copy.checkpointsPassed = new ArrayList<>(checkpointsPassed);
        copy.crossingStreak = crossingStreak;
        copy.borderCrossed = borderCrossed;
        copy.crossedAt = crossedAt;
        copy.receptionStreak = receptionStreak;
        copy.arrived = arrived;
        copy.arrivedAt = arrivedAt;
        copy.estimatedArrival = estimatedArrival;
        copy.lastSeenAt = lastSeenAt;
        copy.silent = silent;
        copy.returning = returning;
        copy.backOnReleasingSide = backOnReleasingSide;
        copy.arrivalSeenAt = arrivalSeenAt;
        return copy;
    }

    TripSnapshot snapshot() {
        TripSnapshot.Phase phase = arrived ? TripSnapshot.Phase.ARRIVED
                : silent ? TripSnapshot.Phase.SILENT
                : borderCrossed ? TripSnapshot.Phase.CROSSED_BORDER
                : departed ? TripSnapshot.Phase.EN_ROUTE
                : TripSnapshot.Phase.REGISTERED;
        return new TripSnapshot(busId, roundId, phase, latitude, longitude, speedKmh, lastRecordedAt, estimatedArrival,
                crossedAt, arrivedAt, List.copyOf(checkpointsPassed), arrivalSeenAt);
    }
}

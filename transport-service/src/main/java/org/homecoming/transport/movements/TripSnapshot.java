package org.homecoming.transport.movements;

import java.util.List;

/**
 * A read-only view of a trip for queries. Times are epoch milliseconds: the tracker's, but {@code arrivalSeenAt}, the
 * wall-clock time at which this service learnt of the arrival (null for a trip stored before it was kept).
 */
public record TripSnapshot(String busId, String roundId, Phase phase, Double latitude, Double longitude, Double speedKmh,
                           Long lastRecordedAt, Long estimatedArrival, Long crossedAt, Long arrivedAt,
                           List<String> checkpointsPassed, Long arrivalSeenAt) {

    /** Where a bus is in its trip. SILENT wins over EN_ROUTE and CROSSED_BORDER until the tracker speaks again. */
    public enum Phase { REGISTERED, EN_ROUTE, CROSSED_BORDER, ARRIVED, SILENT }
}

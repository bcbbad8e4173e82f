package org.homecoming.synthetic.buses;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** One GPS reading as a tracker sends it to {@code POST /api/v1/buses/{busId}/positions}. */
public record TrackerReading(double latitude, double longitude, double speedKmh, Instant recordedAt) {

    /** The body of one {@code POST /api/v1/buses/{busId}/positions}: a JSON array of readings. */
    public static String jsonArray(List<TrackerReading> readings) {
        return readings.stream().map(TrackerReading::json).collect(Collectors.joining(",", "[", "]"));
    }

    private String json() {
        return "{\"latitude\":%s,\"longitude\":%s,\"speedKmh\":%s,\"recordedAt\":\"%s\"}"
                .formatted(latitude, longitude, speedKmh, recordedAt);
    }
}

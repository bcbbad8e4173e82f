package org.homecoming.synthetic.buses;

import java.time.Instant;

/** One GPS reading as a tracker sends it to {@code POST /api/v1/buses/{busId}/positions}. */
public record TrackerReading(double latitude, double longitude, double speedKmh, Instant recordedAt) {

    String json() {
        return "{\"latitude\":%s,\"longitude\":%s,\"speedKmh\":%s,\"recordedAt\":\"%s\"}"
                .formatted(latitude, longitude, speedKmh, recordedAt);
    }
}

package org.homecoming.transport.telemetry;

import java.time.Instant;

/** One GPS reading as a tracker or the REST API sends it; any field may be missing until validated. */
public record Reading(Double latitude, Double longitude, Double speedKmh, Instant recordedAt) {
}

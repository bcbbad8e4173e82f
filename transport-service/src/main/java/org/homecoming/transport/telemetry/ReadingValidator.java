package org.homecoming.transport.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.platform.web.PlausibleTime;

/**
 * The one set of rules a position must pass before it becomes a {@code BusPositionRecorded}, whether it came
 * over REST or from a partner tracker on the intake topic.
 */
public final class ReadingValidator {

    /** Tracker clocks drift; more than this ahead of our clock is a broken clock, not a reading. */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
    /** A tracker buffers readings while offline; older ones are a broken clock (1970, year 1) or a replay. */
    static final Duration PAST_TOLERANCE = Duration.ofDays(7);
    /** No bus on these roads goes faster; a higher value is a broken sensor. */
    static final double MAX_SPEED_KMH = 200;

    /** A problem with a reading: which field and why. */
    public record Problem(String field, String reason) {
        @Override
        public String toString() {
            return field + ": " + reason;
        }
    }

    /** Problems with the bus a batch or record names; a bus without a manifest is unknown. */
    public List<Problem> busProblems(String busId, boolean manifestRegistered) {
        if (busId == null || busId.isBlank()) {
            return List.of(new Problem("busId", "the bus id is missing"));
        }
        if (!manifestRegistered) {
            return List.of(new Problem("busId", "unknown bus " + busId + ": no manifest is registered for it"));
        }
        return List.of();
    }

    public List<Problem> readingProblems(Reading reading, Instant now) {
        List<Problem> problems = new ArrayList<>();
        checkCoordinate(problems, "latitude", reading.latitude(), 90);
        checkCoordinate(problems, "longitude", reading.longitude(), 180);
        Double speed = reading.speedKmh();
        if (speed != null && (!Double.isFinite(speed) || speed < 0 || speed > MAX_SPEED_KMH)) {
            problems.add(new Problem("speedKmh", "impossible speed " + speed + " km/h (must be 0 to " + MAX_SPEED_KMH + ")"));
        }
        if (reading.recordedAt() == null) {
            problems.add(new Problem("recordedAt", "the recording time is missing"));
        } else {
            String implausible = PlausibleTime.observedTimeProblem(reading.recordedAt(), now, PAST_TOLERANCE, FUTURE_TOLERANCE);
            if (implausible != null) {
                problems.add(new Problem("recordedAt", "the recording time " + implausible));
            }
        }
        return problems;
    }

    private static void checkCoordinate(List<Problem> problems, String field, Double value, double limit) {
        if (value == null) {
            problems.add(new Problem(field, "the " + field + " is missing"));
        } else if (!Double.isFinite(value) || Math.abs(value) > limit) {
            problems.add(new Problem(field, "impossible coordinates: " + field + " " + value + " is outside -" + limit + ".." + limit));
        }
    }
}

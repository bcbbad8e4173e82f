package org.homecoming.transport.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.PlausibleTime;

/**
 * The one set of rules a position must pass before it becomes a {@code BusPositionRecorded}, whether it came
 * over REST or from a partner tracker on the intake topic.
 */
public final class ReadingValidator {

    /**
     * How far ahead of our clock a reading may be stamped. A GPS tracker takes its time from the satellites (accurate to
     * well under a second), and our clock is NTP-synchronised, so this only covers a skewed server clock. It is also
     * how long one reading stamped in the future can hide the tracker's real readings: movement detection ignores
     * every reading not newer than the last one it applied (they are duplicates or late). It was 5 minutes; a forged
     * reading stamped 5 minutes ahead then masked a bus for 5 minutes, again and again. Tightening the tolerance keeps
     * the one ordering rule of movement detection, where every alternative (holding future readings back, or applying
     * them out of order) would add a second one.
     */
    static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(60);
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

    /**
     * Problems with the bus a batch or record names; a bus without a manifest is unknown. The id must follow the
     * platform's one entity-id rule (REST checks it on the path; a partner writes the intake topic directly), and a
     * broken id is never echoed: it may be megabytes long, and the reason goes into a dead letter's header.
     */
    public List<Problem> busProblems(String busId, boolean manifestRegistered) {
        if (busId == null || busId.isBlank()) {
            return List.of(new Problem("busId", "the bus id is missing"));
        }
        if (!EntityId.isValid(busId)) {
            return List.of(new Problem("busId", "the bus id (" + busId.length() + " characters) must be " + EntityId.RULE));
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

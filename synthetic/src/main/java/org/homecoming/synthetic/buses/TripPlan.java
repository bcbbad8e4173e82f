package org.homecoming.synthetic.buses;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A plausible trip of one bus along the configured road, as the readings its tracker would send: cruising
 * between stops, slowing down and waiting at each checkpoint and in the queue at the border line, with GPS
 * jitter of a few metres, readings that jump back and forth across the line while the bus waits next to it,
 * and the occasional duplicate or out-of-order reading. Deterministic for a given seed.
 */
public final class TripPlan {

    public static final Duration READING_INTERVAL = Duration.ofSeconds(15);
    static final double CRUISE_KMH = 70;
    static final double SLOW_KMH = 25;
    static final double SLOW_ZONE_METERS = 800;
    static final Duration CHECKPOINT_DWELL = Duration.ofMinutes(6);
    static final Duration BORDER_QUEUE_DWELL = Duration.ofMinutes(4);
    /** The bus waits this far before the line, close enough for jitter to throw readings across it. */
    static final double BORDER_QUEUE_BEFORE_LINE_METERS = 20;
    static final double JITTER_SIGMA_METERS = 4;
    static final double CROSS_LINE_JUMP_PROBABILITY = 0.3;
    static final double DUPLICATE_PROBABILITY = 0.02;
    static final double OUT_OF_ORDER_PROBABILITY = 0.02;
    static final int PARKED_READINGS = 3;

    /**
     * One reading to post: when to post it (simulated time since the start of the simulation, monotonic in
     * posting order), the reading itself, and whether the bus is already past the border line.
     */
    public record ScheduledReading(Duration postAt, TrackerReading reading, boolean pastBorder) {
    }

    private TripPlan() {
    }

    /**
     * Plans the trip of a bus that leaves the origin at {@code departure}; {@code postOffset} is how long after the
     * start of the simulation that is.
     */
    public static List<ScheduledReading> plan(CrossingRoad geography, Instant departure, Duration postOffset, long seed) {
        Random random = new Random(seed);
        Line route = geography.route();
        double length = route.lengthMeters();
        List<Stop> stops = stops(geography, length);
        List<ScheduledReading> readings = new ArrayList<>();
        double travelled = 0;
        Duration elapsed = Duration.ZERO;
        int nextStop = 0;
        Duration dwellLeft = Duration.ZERO;
        double borderAt = borderDistance(geography, length);
        while (true) {
            double speedKmh;
            if (!dwellLeft.isZero() && !dwellLeft.isNegative()) {
                speedKmh = 0;
                dwellLeft = dwellLeft.minus(READING_INTERVAL);
            } else {
                speedKmh = nearAStop(stops, travelled) ? SLOW_KMH : CRUISE_KMH;
                double step = speedKmh / 3.6 * READING_INTERVAL.toSeconds();
                if (nextStop < stops.size() && travelled + step >= stops.get(nextStop).at) {
                    travelled = stops.get(nextStop).at;
                    dwellLeft = stops.get(nextStop).dwell;
                    nextStop++;
                } else {
                    travelled = Math.min(length, travelled + step);
                }
            }
            elapsed = elapsed.plus(READING_INTERVAL);
            boolean arrived = travelled >= length;
            readings.add(reading(geography, route.pointAt(travelled), arrived ? 0 : speedKmh, departure.plus(elapsed),
                    postOffset.plus(elapsed), travelled > borderAt, random));
            maybeDisorder(readings, random);
            if (arrived) {
                break;
            }
        }
        for (int parked = 0; parked < PARKED_READINGS; parked++) {
            elapsed = elapsed.plus(READING_INTERVAL);
            readings.add(reading(geography, route.pointAt(length), 0, departure.plus(elapsed), postOffset.plus(elapsed), true, random));
        }
        return readings;
    }

    /** How long a planned trip takes from departure to the last parked reading. */
    public static Duration duration(List<ScheduledReading> plan) {
        return plan.get(plan.size() - 1).postAt().minus(plan.get(0).postAt()).plus(READING_INTERVAL);
    }

    private static ScheduledReading reading(CrossingRoad geography, Point onRoad, double speedKmh, Instant recordedAt,
                                            Duration postAt, boolean pastBorder, Random random) {
        Point jittered = onRoad.offsetMeters(random.nextGaussian() * JITTER_SIGMA_METERS, random.nextGaussian() * JITTER_SIGMA_METERS);
        double toLine = geography.border().distanceTo(jittered);
        if (toLine < 3 * BORDER_QUEUE_BEFORE_LINE_METERS && random.nextDouble() < CROSS_LINE_JUMP_PROBABILITY) {
            jittered = acrossTheLine(geography, jittered, toLine);
        }
        double reportedSpeed = speedKmh == 0 ? 0 : Math.max(0, speedKmh + random.nextGaussian());
        TrackerReading reading = new TrackerReading(round(jittered.latitude()), round(jittered.longitude()), Math.round(reportedSpeed * 10) / 10.0, recordedAt);
        return new ScheduledReading(postAt, reading, pastBorder);
    }

    /** A GPS multipath jump to just the other side of the line: the bus has not moved, the reading has. */
    private static Point acrossTheLine(CrossingRoad geography, Point point, double toLine) {
        int side = geography.border().sideOf(point);
        double jump = 2 * toLine + 10;
        for (double[] direction : new double[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
            Point candidate = point.offsetMeters(direction[0] * jump, direction[1] * jump);
            if (geography.border().sideOf(candidate) != side) {
                return candidate;
            }
        }
        return point;
    }

    private static void maybeDisorder(List<ScheduledReading> readings, Random random) {
        int last = readings.size() - 1;
        double draw = random.nextDouble();
        if (draw < DUPLICATE_PROBABILITY) {
            readings.add(readings.get(last));
        } else if (draw < DUPLICATE_PROBABILITY + OUT_OF_ORDER_PROBABILITY && last > 0) {
            // The readings swap places; the posting times stay where they were.
            ScheduledReading earlier = readings.get(last - 1);
            ScheduledReading later = readings.get(last);
            readings.set(last - 1, new ScheduledReading(earlier.postAt(), later.reading(), later.pastBorder()));
            readings.set(last, new ScheduledReading(later.postAt(), earlier.reading(), earlier.pastBorder()));
        }
    }

    private record Stop(double at, Duration dwell) {
    }

    private static List<Stop> stops(CrossingRoad geography, double length) {
        List<Stop> stops = new ArrayList<>();
        for (Point checkpoint : geography.checkpoints()) {
            stops.add(new Stop(length - geography.route().remainingMeters(checkpoint), CHECKPOINT_DWELL));
        }
        stops.add(new Stop(borderDistance(geography, length) - BORDER_QUEUE_BEFORE_LINE_METERS, BORDER_QUEUE_DWELL));
        stops.sort((a, b) -> Double.compare(a.at, b.at));
        return Collections.unmodifiableList(stops);
    }

    /** Distance along the route at which it crosses the border: where the side of the line changes. */
    private static double borderDistance(CrossingRoad geography, double length) {
        Line route = geography.route();
        int startSide = geography.border().sideOf(route.pointAt(0));
        double low = 0;
        double high = length;
        for (int i = 0; i < 60; i++) {
            double middle = (low + high) / 2;
            if (geography.border().sideOf(route.pointAt(middle)) == startSide) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return high;
    }

    private static boolean nearAStop(List<Stop> stops, double travelled) {
        return stops.stream().anyMatch(stop -> Math.abs(stop.at - travelled) < SLOW_ZONE_METERS);
    }

    private static double round(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }
}

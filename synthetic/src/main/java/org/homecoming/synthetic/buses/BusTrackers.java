package org.homecoming.synthetic.buses;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives buses along the road in accelerated time, the way a partner's GPS trackers would report them:
 * from outside transport-service, through a {@link PositionSink} (its public positions endpoint). Simulated
 * time is anchored in the past so that the last reading of the longest trip is recorded about when it is
 * sent: every reading passes transport's "not in the future" rule however large the speedup.
 */
public final class BusTrackers {

    /** Buses leave one after another, this far apart. */
    static final Duration CONVOY_SPACING = Duration.ofMinutes(2);
    /** Trackers send what has piled up at most this often in wall-clock time, so a large speedup sends batches. */
    static final Duration SHORTEST_TICK = Duration.ofMillis(200);

    private final CrossingRoad road;
    private final PositionSink sink;
    private final Clock clock;

    public BusTrackers(CrossingRoad road, PositionSink sink) {
        this(road, sink, Clock.systemUTC());
    }

    BusTrackers(CrossingRoad road, PositionSink sink, Clock clock) {
        this.road = road;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Starts driving the buses (their manifests must be registered) from the origin to the reception point,
     * {@code speedup} times faster than real time; {@code seed} makes the trips repeatable.
     *
     * @throws IllegalArgumentException without buses, or for a speedup that is not a finite number above 0
     */
    public Convoy drive(List<String> busIds, double speedup, long seed) {
        if (busIds.isEmpty()) {
            throw new IllegalArgumentException("No buses to drive");
        }
        if (!Double.isFinite(speedup) || speedup <= 0) {
            // a NaN or infinite speedup would make a convoy that never ends
            throw new IllegalArgumentException("The speedup must be a finite number above 0, was " + speedup);
        }
        Map<String, List<TripPlan.ScheduledReading>> plans = new LinkedHashMap<>();
        Duration longest = Duration.ZERO;
        for (int index = 0; index < busIds.size(); index++) {
            Duration offset = CONVOY_SPACING.multipliedBy(index);
            // plans are made relative to an anchor first, then shifted so that the longest ends now
            List<TripPlan.ScheduledReading> plan = TripPlan.plan(road, Instant.EPOCH.plus(offset), offset, seed + index);
            plans.put(busIds.get(index), plan);
            Duration end = plan.get(plan.size() - 1).postAt();
            longest = end.compareTo(longest) > 0 ? end : longest;
        }
        Convoy convoy = new Convoy(plans, speedup, clock.instant().minus(longest));
        long tickMillis = Math.max(SHORTEST_TICK.toMillis(), Math.round(TripPlan.READING_INTERVAL.toMillis() / speedup));
        convoy.ticker.scheduleAtFixedRate(convoy::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
        return convoy;
    }

    /** Buses on the road: what has been sent so far. Closing it stops the trackers. */
    public final class Convoy implements AutoCloseable {

        private final Map<String, List<TripPlan.ScheduledReading>> plans;
        private final double speedup;
        private final Instant anchor;
        private final Map<String, Integer> next = new LinkedHashMap<>();
        private final AtomicInteger sent = new AtomicInteger();
        private final List<String> failures = new ArrayList<>();
        private final long startedAtWallClock = clock.millis();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bus-trackers");
            thread.setDaemon(true);
            return thread;
        });
        private volatile boolean finished;

        private Convoy(Map<String, List<TripPlan.ScheduledReading>> plans, double speedup, Instant anchor) {
            this.plans = plans;
            this.speedup = speedup;
            this.anchor = anchor;
            plans.keySet().forEach(bus -> next.put(bus, 0));
        }

        public int readingsPlanned() {
            return plans.values().stream().mapToInt(List::size).sum();
        }

        public int readingsSent() {
            return sent.get();
        }

        /** Road time of the longest trip. */
        public Duration simulatedDuration() {
            return plans.values().stream().map(TripPlan::duration).max(Duration::compareTo).orElse(Duration.ZERO);
        }

        public boolean finished() {
            return finished;
        }

        /** Why the trackers stopped early, if they did. */
        public List<String> failures() {
            synchronized (failures) {
                return List.copyOf(failures);
            }
        }

        @Override
        public void close() {
            finished = true;
            ticker.shutdownNow();
        }

        /** Sends, per bus, every reading whose time has come in simulated time. Runs on the ticker thread only. */
        private void tick() {
            try {
                Duration simulatedNow = Duration.ofMillis(Math.round((clock.millis() - startedAtWallClock) * speedup));
                boolean allSent = true;
                for (Map.Entry<String, List<TripPlan.ScheduledReading>> entry : plans.entrySet()) {
                    List<TripPlan.ScheduledReading> plan = entry.getValue();
                    int from = next.get(entry.getKey());
                    int to = from;
                    while (to < plan.size() && plan.get(to).postAt().compareTo(simulatedNow) <= 0) {
                        to++;
                    }
                    allSent &= to == plan.size();
                    if (to > from) {
                        next.put(entry.getKey(), to);
                        sink.send(entry.getKey(), plan.subList(from, to).stream().map(due -> shifted(due.reading())).toList());
                        sent.addAndGet(to - from);
                    }
                }
                if (allSent) {
                    close();
                }
            } catch (RuntimeException e) {
                synchronized (failures) {
                    failures.add(e.getMessage());
                }
                close();
            }
        }

        private TrackerReading shifted(TrackerReading reading) {
            return new TrackerReading(reading.latitude(), reading.longitude(), reading.speedKmh(),
                    anchor.plus(Duration.between(Instant.EPOCH, reading.recordedAt())));
        }
    }
}

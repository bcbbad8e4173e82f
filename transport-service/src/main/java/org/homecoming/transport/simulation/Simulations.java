package org.homecoming.transport.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.simulation.TripScenario.ScheduledReading;
import org.homecoming.transport.telemetry.PositionIntake;
import org.homecoming.transport.telemetry.Reading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Drives buses along the configured road in accelerated time, posting their readings through
 * {@link PositionIntake}, the same validation path as REST. Simulated time is anchored in the past so that
 * the last reading of the longest trip is recorded about when it is posted: every reading passes the
 * "not in the future" rule however large the speedup.
 */
@Service
class Simulations {

    private static final Logger log = LoggerFactory.getLogger(Simulations.class);
    static final Duration CONVOY_SPACING = Duration.ofMinutes(2);

    private final CrossingGeography geography;
    private final PositionIntake intake;
    private final TransportLedger ledger;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "transport-simulation");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Simulation> simulations = new ConcurrentHashMap<>();

    Simulations(CrossingGeography geography, PositionIntake intake, TransportLedger ledger, Clock clock) {
        this.geography = geography;
        this.intake = intake;
        this.ledger = ledger;
        this.clock = clock;
    }

    Status start(List<String> busIds, double speedup, long seed, List<String> silentBusIds, Duration silence) {
        ledger.requireCaughtUp();
        List<Violation> violations = new ArrayList<>();
        if (speedup < 1 || speedup > 3600) {
            violations.add(Violation.of("speedup", "must be between 1 and 3600, was " + speedup));
        }
        for (int index = 0; index < busIds.size(); index++) {
            if (ledger.manifest(busIds.get(index)).isEmpty()) {
                violations.add(Violation.of("busIds[" + index + "]", "unknown bus " + busIds.get(index) + ": register its manifest first"));
            }
        }
        for (String silent : silentBusIds) {
            if (!busIds.contains(silent)) {
                violations.add(Violation.of("silentBusIds", "bus " + silent + " is not among busIds"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The simulation cannot start", violations);
        }
        Map<String, List<ScheduledReading>> plans = new LinkedHashMap<>();
        Duration longest = Duration.ZERO;
        for (int index = 0; index < busIds.size(); index++) {
            Duration offset = CONVOY_SPACING.multipliedBy(index);
            // Plans are made relative to an anchor first, then shifted so the longest ends now.
            List<ScheduledReading> plan = TripScenario.plan(geography, Instant.EPOCH.plus(offset), offset, seed + index);
            plans.put(busIds.get(index), plan);
            Duration end = plan.get(plan.size() - 1).postAt();
            longest = end.compareTo(longest) > 0 ? end : longest;
        }
        Instant anchor = clock.instant().minus(longest);
        Simulation simulation = new Simulation(UUID.randomUUID().toString(), speedup, anchor, plans, silentBusIds, silence);
        simulations.put(simulation.id, simulation);
        long tickMillis = Math.max(1, Math.round(TripScenario.READING_INTERVAL.toMillis() / speedup));
        simulation.future = ticker.scheduleAtFixedRate(simulation::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
        log.info("Simulation {} started: {} buses at {}x", simulation.id, busIds.size(), speedup);
        return simulation.status();
    }

    Optional<Status> status(String id) {
        return Optional.ofNullable(simulations.get(id)).map(Simulation::status);
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
    }

    /** What a simulation has done so far. */
    record Status(String simulationId, List<String> busIds, double speedup, int readingsPlanned, int readingsPosted,
                  boolean finished, Duration simulatedDuration, List<String> failures) {
    }

    private final class Simulation {
        private final String id;
        private final double speedup;
        private final Instant anchor;
        private final Map<String, List<ScheduledReading>> plans;
        private final Map<String, Integer> next = new ConcurrentHashMap<>();
        private final List<String> silentBusIds;
        private final Duration silence;
        private final Map<String, Long> silentUntilWallClock = new ConcurrentHashMap<>();
        private final AtomicInteger posted = new AtomicInteger();
        private final List<String> failures = new ArrayList<>();
        private final long startedAtWallClock = clock.millis();
        private volatile boolean finished;
        private volatile ScheduledFuture<?> future;

        Simulation(String id, double speedup, Instant anchor, Map<String, List<ScheduledReading>> plans,
                   List<String> silentBusIds, Duration silence) {
            this.id = id;
            this.speedup = speedup;
            this.anchor = anchor;
            this.plans = plans;
            this.silentBusIds = List.copyOf(silentBusIds);
            this.silence = silence;
            plans.keySet().forEach(bus -> next.put(bus, 0));
        }

        /** Posts, per bus, every reading whose posting time has come in simulated time. */
        void tick() {
            try {
                long wallNow = clock.millis();
                Duration simulatedNow = Duration.ofMillis(Math.round((wallNow - startedAtWallClock) * speedup));
                boolean allDone = true;
                for (Map.Entry<String, List<ScheduledReading>> entry : plans.entrySet()) {
                    String busId = entry.getKey();
                    List<ScheduledReading> plan = entry.getValue();
                    int from = next.get(busId);
                    int to = from;
                    while (to < plan.size() && plan.get(to).postAt().compareTo(simulatedNow) <= 0) {
                        to++;
                    }
                    if (to < plan.size()) {
                        allDone = false;
                    }
                    if (to == from) {
                        continue;
                    }
                    next.put(busId, to);
                    List<ScheduledReading> due = plan.subList(from, to);
                    if (goesSilent(busId, due, wallNow)) {
                        continue;
                    }
                    List<Reading> batch = due.stream().map(scheduled -> shifted(scheduled.reading())).toList();
                    posted.addAndGet(intake.accept(busId, batch));
                }
                if (allDone) {
                    finish();
                }
            } catch (RuntimeException e) {
                synchronized (failures) {
                    failures.add(e.getMessage());
                }
                log.warn("Simulation {} stopped: {}", id, e.getMessage());
                finish();
            }
        }

        /** A silent bus's tracker stops for a wall-clock while once it is past the border; its readings meanwhile are lost. */
        private boolean goesSilent(String busId, List<ScheduledReading> due, long wallNow) {
            if (!silentBusIds.contains(busId)) {
                return false;
            }
            Long until = silentUntilWallClock.get(busId);
            if (until == null && due.stream().anyMatch(ScheduledReading::pastBorder)) {
                silentUntilWallClock.put(busId, wallNow + silence.toMillis());
                return true;
            }
            return until != null && wallNow < until;
        }

        private Reading shifted(Reading reading) {
            Instant recordedAt = anchor.plus(Duration.between(Instant.EPOCH, reading.recordedAt()));
            return new Reading(reading.latitude(), reading.longitude(), reading.speedKmh(), recordedAt);
        }

        private void finish() {
            finished = true;
            if (future != null) {
                future.cancel(false);
            }
        }

        Status status() {
            int planned = plans.values().stream().mapToInt(List::size).sum();
            Duration simulated = plans.values().stream().map(TripScenario::duration).max(Duration::compareTo).orElse(Duration.ZERO);
            synchronized (failures) {
                return new Status(id, List.copyOf(plans.keySet()), speedup, planned, posted.get(), finished, simulated, List.copyOf(failures));
            }
        }
    }
}

package org.homecoming.transport.movements;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.observability.RepeatedReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where operators see the readings that movement detection refused (see {@link MovementDetector}): a counter
 * ({@code homecoming.transport.readings.refused}) for alerting, and a warning naming the bus and the reason. A refused
 * reading stays on {@code transport.bus-positions} as it came; it is not dead-lettered, because it is valid on its own
 * and only impossible after the bus's other readings, and dead-lettering it from the stream processor would put the
 * record in a topic whose other letters mean "unreadable".
 *
 * <p>The log line carries the bus id (not personal data) and the reason, never a position: where a bus of freed
 * detainees is, is sensitive. A partner flooding forged readings must not flood the log either, so each bus gets at
 * most one line a minute, saying how many of its readings were refused since the last one.
 */
public final class RefusedReadings {

    private static final Logger log = LoggerFactory.getLogger(RefusedReadings.class);
    static final Duration LOG_EVERY = Duration.ofMinutes(1);
    /** Buses ever seen are few (each needs a manifest); the memory is emptied if that ever stops being true. */
    private static final int REMEMBERED_BUSES = 10_000;

    private final Counter counter;
    private final RepeatedReports logged = new RepeatedReports(LOG_EVERY, REMEMBERED_BUSES, Clock.systemUTC());

    /** @param meters where the counter is registered; null counts nowhere (unit tests), the log line stays */
    public RefusedReadings(MeterRegistry meters) {
        this.counter = meters == null ? null : Counter.builder(MetricNames.TRANSPORT_READINGS_REFUSED)
                .description("Bus readings refused; the reason tag says why")
                .tag("reason", "implausible-jump").register(meters);
    }

    void refused(String busId, String reason) {
        if (counter != null) {
            counter.increment();
        }
        logged.occurred(busId).ifPresent(refused -> log.warn(
                "Refused a reading of bus {}: {} ({} refused since the last such line; positions are not logged)",
                busId, reason, refused));
    }
}

package org.homecoming.transport.movements;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.platform.observability.MetricNames;
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
    static final long LOG_EVERY_MILLIS = 60_000;
    /** Buses ever seen are few (each needs a manifest); the map is emptied if that ever stops being true. */
    private static final int REMEMBERED_BUSES = 10_000;

    /** Readings refused since the bus's last log line, and when that line was written. */
    private record Logged(long atMillis, long refusedSince) {
    }

    private final Counter counter;
    private final Map<String, Logged> logged = new ConcurrentHashMap<>();

    /** @param meters where the counter is registered; null counts nowhere (unit tests), the log line stays */
    public RefusedReadings(MeterRegistry meters) {
        this.counter = meters == null ? null : Counter.builder(MetricNames.TRANSPORT_READINGS_REFUSED)
                .description("Bus readings refused because the bus could not have got there from its last accepted position")
                .tag("reason", "implausible-jump").register(meters);
    }

    void refused(String busId, String reason) {
        if (counter != null) {
            counter.increment();
        }
        if (logged.size() > REMEMBERED_BUSES) {
            logged.clear();
        }
        long now = System.currentTimeMillis();
        Logged last = logged.get(busId);
        if (last == null || now - last.atMillis() >= LOG_EVERY_MILLIS) {
            long refused = last == null ? 1 : last.refusedSince() + 1;
            log.warn("Refused a reading of bus {}: {} ({} refused since the last such line; positions are not logged)",
                    busId, reason, refused);
            logged.put(busId, new Logged(now, 0));
        } else {
            logged.put(busId, new Logged(last.atMillis(), last.refusedSince() + 1));
        }
    }
}

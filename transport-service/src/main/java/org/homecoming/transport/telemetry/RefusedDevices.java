package org.homecoming.transport.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.observability.RepeatedReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ops hear of a tracker device that sent the positions of a bus bound to another device: its credentials were
 * captured, or it was fitted to the wrong bus. Every refused reading is counted
 * ({@code homecoming.transport.readings.refused{reason=other-tracker-client}}, for alerting). The audit trail and the
 * log get one entry per bus and client a minute, with how many batches were refused since the last one: whoever holds
 * a captured credential can send refusals as fast as HTTP goes, and must not flood the trail or the log with them, as
 * {@code RefusedReadings} bounds the log for forged positions (both through {@link RepeatedReports}).
 *
 * <p>The refusal stands even when the trail cannot take its entry: a refusal has nothing to undo.
 */
final class RefusedDevices {

    private static final Logger log = LoggerFactory.getLogger(RefusedDevices.class);
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    /** Pairs of bus and client are few (each bus needs a manifest, each client an account); forgotten if not. */
    private static final int REMEMBERED = 10_000;

    private final AuditTrail audit;
    private final Counter readings;
    private final RepeatedReports reported;

    /** @param meters where the counter is registered; null counts nowhere (unit tests) */
    RefusedDevices(AuditTrail audit, Clock clock, MeterRegistry meters) {
        this.audit = audit;
        this.reported = new RepeatedReports(REPORT_EVERY, REMEMBERED, clock);
        this.readings = meters == null ? null : Counter.builder(MetricNames.TRANSPORT_READINGS_REFUSED)
                .description("Bus readings refused: by movement detection, or at the REST door because another tracker client sent them")
                .tag("reason", "other-tracker-client").register(meters);
    }

    void refused(String busId, Optional<String> client, int readingCount) {
        if (readings != null) {
            readings.increment(readingCount);
        }
        String from = client.map(name -> "client " + name).orElse("a token that names no client");
        reported.occurred(busId + "\n" + from).ifPresent(batches -> report(busId, from, batches));
    }

    private void report(String busId, String from, long batches) {
        String detail = "from " + from + ", whose token the manifest does not name; " + batches
                + (batches == 1 ? " batch" : " batches") + " refused since the last such entry";
        log.warn("Refused positions of bus {}: {}", busId, detail);
        try {
            audit.recorded(AuditAction.POSITIONS_REFUSED, AuditSubject.BUS, busId, AuditOutcome.REFUSED, detail);
        } catch (AuditTrail.AuditUnavailableException e) {
            log.warn("The audit trail did not take the refusal of bus {}'s positions: {}", busId, e.getMessage());
        }
    }
}

package org.homecoming.transport.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
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
 * Where ops hear of a tracker device whose positions transport's REST door refused: positions of a bus bound to
 * another device (its credentials were captured, or it was fitted to the wrong bus), of a bus whose manifest names no
 * device, or of a bus that has no manifest at all. Every refused reading is counted
 * ({@code homecoming.transport.readings.refused}, tagged with the {@link Refusal}'s reason, for alerting). The audit
 * trail and the log get one entry per bus and client a minute, with how many batches were refused since the last one:
 * whoever holds a captured credential can send refusals as fast as HTTP goes, and must not flood the trail or the log
 * with them, as {@code RefusedReadings} bounds the log for forged positions (both through {@link RepeatedReports}).
 * Refusals of unknown buses are reported once per client a minute, whatever the bus: their ids are the sender's to
 * make up, so one entry per id would let a device write the trail as fast as it likes.
 *
 * <p>The refusal stands even when the trail cannot take its entry: a refusal has nothing to undo.
 */
final class RefusedDevices {

    /** Why a batch was refused; the device is told the same for all three, so that it learns nothing of other buses. */
    enum Refusal {
        OTHER_TRACKER_CLIENT("other-tracker-client", "whose token the manifest does not name"),
        NO_TRACKER_CLIENT("no-tracker-client", "while the manifest names no tracker client, so no device may position the bus over REST"),
        UNKNOWN_BUS("unknown-bus", "while no manifest is registered for the bus");

        final String reason;
        final String because;

        Refusal(String reason, String because) {
            this.reason = reason;
            this.because = because;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RefusedDevices.class);
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    /** Pairs of bus and client are few (each bus needs a manifest, each client an account); forgotten if not. */
    private static final int REMEMBERED = 10_000;

    private final AuditTrail audit;
    private final Map<Refusal, Counter> readings = new EnumMap<>(Refusal.class);
    private final RepeatedReports reported;

    /** @param meters where the counters are registered; null counts nowhere (unit tests) */
    RefusedDevices(AuditTrail audit, Clock clock, MeterRegistry meters) {
        this.audit = audit;
        this.reported = new RepeatedReports(REPORT_EVERY, REMEMBERED, clock);
        if (meters != null) {
            for (Refusal refusal : Refusal.values()) {
                readings.put(refusal, Counter.builder(MetricNames.TRANSPORT_READINGS_REFUSED)
                        .description("Bus readings refused; the reason tag says why")
                        .tag("reason", refusal.reason).register(meters));
            }
        }
    }

    void refused(String busId, Optional<String> client, Refusal refusal, int readingCount) {
        Counter counter = readings.get(refusal);
        if (counter != null) {
            counter.increment(readingCount);
        }
        String from = client.map(name -> "client " + name).orElse("a token that names no client");
        String key = (refusal == Refusal.UNKNOWN_BUS ? "unknown buses" : busId) + "\n" + from;
        reported.occurred(key).ifPresent(batches -> report(busId, from, refusal, batches));
    }

    private void report(String busId, String from, Refusal refusal, long batches) {
        String detail = "from " + from + ", " + refusal.because + "; " + batches + (batches == 1 ? " batch" : " batches")
                + (refusal == Refusal.UNKNOWN_BUS ? " of buses with no manifest (this one the last)" : "")
                + " refused since the last such entry";
        log.warn("Refused positions of bus {}: {}", busId, detail);
        try {
            audit.recorded(AuditAction.POSITIONS_REFUSED, AuditSubject.BUS, busId, AuditOutcome.REFUSED, detail);
        } catch (AuditTrail.AuditUnavailableException e) {
            log.warn("The audit trail did not take the refusal of bus {}'s positions: {}", busId, e.getMessage());
        }
    }
}

package org.homecoming.transport.movements;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.platform.observability.MetricNames;

/**
 * Where operators see that a partner missed a movement (see {@link PartnerMovements}): a counter
 * ({@code homecoming.transport.partner.movements.missed}, tagged {@code reason}) they can alert on. A warning in the log
 * of one instance among several, at exchange day's log volume, is seen too late; a partner that misses a bus's
 * crossing may be the one meeting it at the reception point.
 */
public final class MissedPartnerMovements {

    /** Why a movement a partner may be tracking never reached its topic. */
    public enum Reason {
        /** Detected before its bus's manifest was read, while the hold of such movements was full. */
        HOLD_FULL("hold-full"),
        /** No manifest of its bus was read within the holding window. */
        NO_MANIFEST_IN_WINDOW("no-manifest-in-window");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }
    }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    /** @param meters where the counters are registered; null counts nowhere (the log line stays) */
    public MissedPartnerMovements(MeterRegistry meters) {
        if (meters != null) {
            for (Reason reason : Reason.values()) {
                counters.put(reason, Counter.builder(MetricNames.TRANSPORT_PARTNER_MOVEMENTS_MISSED)
                        .description("Movements a partner tracks that never reached its topic; the reason tag says why")
                        .tag("reason", reason.tag).register(meters));
            }
        }
    }

    void missed(Reason reason) {
        Counter counter = counters.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }
}

package org.homecoming.platform.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One report per key a period, saying how many times it happened since the last one. Whoever sends forged or refused
 * input can send it as fast as the network goes; a warning per occurrence would flood the log (and an audit entry per
 * occurrence the audit trail), while one per key a minute, with its count, tells ops the same.
 *
 * <p>Thread-safe. Keys are expected to be few (a bus, a bus and a client); past {@code remembered} of them the memory
 * is emptied, and the next occurrence of each is reported again.
 */
public final class RepeatedReports {

    /** Occurrences since the key's last report, and when that report was made. */
    private record Reported(Instant at, long since) {
    }

    private final Duration every;
    private final int remembered;
    private final Clock clock;
    private final Map<String, Reported> reported = new ConcurrentHashMap<>();

    public RepeatedReports(Duration every, int remembered, Clock clock) {
        this.every = every;
        this.remembered = remembered;
        this.clock = clock;
    }

    /**
     * Counts one occurrence of {@code key}.
     *
     * @return when a report is due (the key's first occurrence, or the period has passed since its last report): how
     *         many occurrences it covers, this one included; otherwise empty
     */
    public OptionalLong occurred(String key) {
        if (reported.size() > remembered) {
            reported.clear();
        }
        Instant now = clock.instant();
        // one atomic step per key: threads counting the same key at once (stream tasks sharing one log) neither lose a
        // count nor both report
        long[] due = {0};
        reported.compute(key, (same, last) -> {
            if (last != null && now.isBefore(last.at().plus(every))) {
                return new Reported(last.at(), last.since() + 1);
            }
            due[0] = last == null ? 1 : last.since() + 1;
            return new Reported(now, 0);
        });
        return due[0] == 0 ? OptionalLong.empty() : OptionalLong.of(due[0]);
    }
}

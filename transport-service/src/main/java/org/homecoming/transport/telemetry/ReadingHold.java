package org.homecoming.transport.telemetry;

import org.homecoming.platform.holding.HoldingSettings;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * How long readings of a bus without a manifest are held, how many and how many bytes at most, and where they go when
 * the time is up: a tracker may report before the transport officer's manifest is read (the manifest table is filled
 * by another thread, from another topic). Both bounds are split evenly among the partners ({@link #shares}).
 *
 * @param settings      the platform's holding window, capacity (a count, split among the partners) and check interval
 * @param deadLetters   the platform's dead-letter policy, for the readings whose bus never became known
 * @param capacityBytes what the held readings may take at most, keys and values as stored. Held readings live in a
 *                      changelogged store that is restored at every start, so a count alone did not bound them: a
 *                      partner's records of up to a megabyte each once filled 450 MB and broke every start of the
 *                      service. With valid bus ids a held reading takes about 100 bytes, so the count binds first and
 *                      this cap mostly states the bound; it binds when partners key their records with long keys.
 */
public record ReadingHold(HoldingSettings settings, ConsumerRecordRecoverer deadLetters, long capacityBytes) {

    /** 4 MiB: ten thousand held readings of about 100 bytes fit with room to spare. */
    public static final long DEFAULT_CAPACITY_BYTES = 4L << 20;

    public ReadingHold {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("The held readings need a capacity of at least one byte");
        }
    }

    public ReadingHold(HoldingSettings settings, ConsumerRecordRecoverer deadLetters) {
        this(settings, deadLetters, DEFAULT_CAPACITY_BYTES);
    }

    /**
     * The capacity and bytes split into one share for each of {@code partners}; with 10,000 readings and 4 MiB, each of
     * four partners may have 2,500 readings and 1 MiB held, far more than its trackers report in a window.
     *
     * @throws IllegalArgumentException when the capacity is smaller than the number of partners
     */
    public HoldShares shares(int partners) {
        return new HoldShares(settings.capacity(), capacityBytes, partners);
    }
}

package org.homecoming.platform.retry;

import java.time.Duration;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The one retry policy of Homecoming: a bounded number of attempts, the pause doubling after each failed one. Kafka
 * listeners get it as a Spring {@link BackOff}; code that retries by itself (sending an e-mail) asks it how long to
 * pause.
 *
 * @param attempts   how many times the work is tried in all, at least once
 * @param firstPause the pause after the first failed attempt
 */
public record RetryPolicy(int attempts, Duration firstPause) {

    /** Three attempts, half a second then one second apart: enough for a blip, short enough not to stall a partition. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500));

    public RetryPolicy {
        attempts = Math.max(1, attempts);
        if (firstPause == null || firstPause.isNegative()) {
            throw new IllegalArgumentException("The first pause must be zero or more");
        }
    }

    /** The same policy for a container's error handler or after-rollback processor: {@code attempts - 1} retries. */
    public BackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(firstPause.toMillis(), 2.0);
        backOff.setMaxAttempts(attempts - 1);
        return backOff;
    }

    /** The pause after failed attempt number {@code attempt} (1-based). */
    public Duration pauseAfter(int attempt) {
        return firstPause.multipliedBy(1L << Math.min(30, Math.max(0, attempt - 1)));
    }

    public boolean isLast(int attempt) {
        return attempt >= attempts;
    }
}

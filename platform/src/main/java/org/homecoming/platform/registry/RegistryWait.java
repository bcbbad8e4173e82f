package org.homecoming.platform.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads values through the registry for a reader that must not fail while the registry is away: a Kafka Streams global
 * store's thread. Kafka Streams replaces a failed stream thread, but not the global thread: its failure stops the whole
 * client for good (seen with transport's manifests: "The global thread cannot be replaced. Reverting to shutting down
 * the client", then ERROR), so a registry restart would stop transport until someone restarted it. Here a value that
 * could not be read because the registry could not be asked ({@link RegistryOutage#isCause}) is read again after a
 * pause of 1 s doubling to 30 s, until the registry answers; meanwhile the store keeps what it had, the wait is counted
 * ({@code homecoming.registry.unavailable{topic}}), logged and told ({@link #waiting()}, for health). A value that is
 * bad (the record's fault) fails at once, as before, for the deserialization handler to dead-letter.
 *
 * <p>The global thread keeps no group membership, so waiting in it costs no rebalance. It must not outlast its client,
 * though: {@link #release()} (the client is closing) ends a wait with the outage's failure, and {@link #resume()} (the
 * client started again) waits again.
 */
public final class RegistryWait {

    private static final Logger log = LoggerFactory.getLogger(RegistryWait.class);

    /** What is waiting: the topic, since when, how many attempts failed so far. */
    public record Waiting(String topic, Instant since, int failedAttempts) {
    }

    private final Clock clock;
    private final Object pauses = new Object();
    private volatile Waiting waiting;
    private volatile boolean released;

    public RegistryWait() {
        this(Clock.systemUTC());
    }

    RegistryWait(Clock clock) {
        this.clock = clock;
    }

    /** A deserializer that reads through {@code registry} and waits out its outages. */
    public <T> Deserializer<T> patient(Deserializer<T> registry) {
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                registry.configure(configs, isKey);
            }

            @Override
            public T deserialize(String topic, byte[] data) {
                return read(topic, () -> registry.deserialize(topic, data));
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return read(topic, () -> registry.deserialize(topic, headers, data));
            }

            @Override
            public void close() {
                registry.close();
            }
        };
    }

    /** The wait going on, if any. */
    public Optional<Waiting> waiting() {
        return Optional.ofNullable(waiting);
    }

    /** The reader's client is closing: a wait ends now, with the outage's failure, and no new one starts. */
    public void release() {
        released = true;
        synchronized (pauses) {
            pauses.notifyAll();
        }
    }

    /** The reader's client started again: outages are waited out again. */
    public void resume() {
        released = false;
    }

    private <T> T read(String topic, Supplier<T> reading) {
        Instant since = null;
        for (int failures = 1; ; failures++) {
            try {
                T value = reading.get();
                if (since != null) {
                    log.info("{} is read again: the schema registry answers after {}", topic, Duration.between(since, clock.instant()));
                    waiting = null;
                }
                return value;
            } catch (RuntimeException e) {
                if (!RegistryOutage.isCause(e) || released) {
                    waiting = null;
                    throw e;
                }
                since = since == null ? clock.instant() : since;
                waiting = new Waiting(topic, since, failures);
                RegistryOutage.count(topic, e);
                if (!pause(RegistryOutage.pauseAfter(failures))) {
                    waiting = null;
                    throw e;
                }
            }
        }
    }

    /** Whether the pause ran to its end (not released, not interrupted). */
    private boolean pause(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        synchronized (pauses) {
            for (long left = pause.toNanos(); left > 0 && !released; left = until - System.nanoTime()) {
                try {
                    pauses.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !released;
    }
}

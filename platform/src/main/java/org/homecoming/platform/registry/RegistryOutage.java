package org.homecoming.platform.registry;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import com.microsoft.kiota.ApiException;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.homecoming.platform.kafka.TopicReplay;
import org.homecoming.platform.observability.MetricNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Whether a record could not be read because of the record itself or because the schema registry could not be asked,
 * the one place that decides it; and what a reader does about the second.
 *
 * <p>A record whose value cannot be read is poison: retried a bounded number of times, then dead-lettered by its
 * topic's owner and skipped by every other reader. But the registry's Avro deserializer also fails when it meets a
 * schema id it has not cached yet while the registry, or the identity provider that issues its token, is down, as
 * after a service restarts during a registry restart. Such a record is fine. Dead-lettering it loses it for
 * processing (an arrival nobody is alerted about), and a rebuild that skips it forgets a fact (an alert delivered, so
 * the relative gets it twice). So an outage is never poison: a rebuild fails ({@link RegistryUnavailableException}) and
 * its caller's failure path runs, and a live reader reads the record again after a pause ({@link #backOff}) until the
 * registry answers. Those retries are not bounded: bounded retries are for a record that will never read, and an
 * outage ends; a partition that waits is visible ({@link MetricNames#REGISTRY_UNAVAILABLE} and the log) and loses
 * nothing.
 *
 * <p>What Apicurio's serde 3.1.7 throws, seen against a closed port, an unknown host, a server answering 404, 401,
 * 403, 500 and 503, and a token endpoint that refused the client or was down (Vert.x HTTP adapter, the one on our
 * class path):
 * <ul>
 *   <li>a bad magic byte: {@code IllegalStateException: artifact reference cannot be null}, no network involved;</li>
 *   <li>a registry that answered: {@code RuntimeException} around Kiota's {@link ApiException} (a
 *       {@code ProblemDetails} for the statuses the API declares, a plain {@code ApiException} for 503), which carries
 *       the status; only 404 (no schema with this id) is a verdict on the record;</li>
 *   <li>no answer at all (connection refused, unknown host, the token not issued): {@code RuntimeException} around
 *       {@code RuntimeException} around an {@link ExecutionException} of the HTTP call, around the cause
 *       ({@code ConnectException}, {@code UnknownHostException}, Vert.x's {@code NoStackTraceThrowable:
 *       unauthorized_client}).</li>
 * </ul>
 * The serde does not retry a failed look-up by default and caches nothing of it, so the next attempt asks again.
 */
public final class RegistryOutage {

    private static final Logger log = LoggerFactory.getLogger(RegistryOutage.class);

    /** The first pause before a record is read again while the registry is away, doubled up to {@link #LONGEST_PAUSE}. */
    public static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    public static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private static final int DEEPEST_CAUSE = 32;

    private RegistryOutage() {
    }

    /**
     * Whether a failure to read a record (the deserializer's exception) means the registry could not be asked (true),
     * or the record is bad (false). For a failure that may not be a deserialization failure, see {@link #isBehind}.
     *
     * <p>A failure with no sign of the registry call (an Avro decode error, a wrong type, a bad magic byte, a class
     * Avro does not trust) is the record's: decoding is local and gives the same result every time, so reading it again
     * would stop its partition for good. Every failure of the look-up itself counts as an outage, also one this list
     * does not name: an HTTP call that ended without an answer comes wrapped in an {@link ExecutionException}, and an
     * answer other than 404 (5xx, 401, 403, 429, even a 400) says nothing about the record. A record wrongly held back
     * is read again when the registry is fixed; a record wrongly dead-lettered is lost for processing.
     */
    public static boolean isCause(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < DEEPEST_CAUSE; cause = next(cause)) {
            if (cause instanceof RegistryUnavailableException) {
                return true;
            }
            if (cause instanceof ApiException answered) {
                return answered.getResponseStatusCode() != 404;
            }
        }
        depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < DEEPEST_CAUSE; cause = next(cause)) {
            if (unanswered(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any failure (a listener's, a rebuild's, a stream thread's) comes from a record that could not be read
     * because the registry was unavailable: a {@link RegistryUnavailableException}, or a deserialization failure that
     * {@link #isCause} says so of. A failure of anything else that merely has a network error in it (a mail server
     * refusing, a send timing out) is not: its bounded retries stay as they were.
     */
    public static boolean isBehind(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < DEEPEST_CAUSE; cause = next(cause)) {
            if (cause instanceof RegistryUnavailableException) {
                return true;
            }
            if (cause instanceof DeserializationException || cause instanceof RecordDeserializationException) {
                return isCause(cause);
            }
        }
        return false;
    }

    /** The failure for a record that could not be read because of an outage; it names where the record is, nothing of it. */
    public static RegistryUnavailableException at(ConsumerRecord<?, ?> record, Throwable cause) {
        return new RegistryUnavailableException("Cannot read " + record.topic() + "-" + record.partition() + "@"
                + record.offset() + ": schema registry unavailable (" + describe(cause) + ")", cause);
    }

    /** Counts a record held back by an outage, per topic, and logs where it is. */
    public static void count(ConsumerRecord<?, ?> record, Throwable cause) {
        log.warn("{}-{}@{} cannot be read while the schema registry is unavailable; it is read again, not dead-lettered ({})",
                record.topic(), record.partition(), record.offset(), describe(cause));
        Metrics.counter(MetricNames.REGISTRY_UNAVAILABLE, "topic", record.topic()).increment();
    }

    /** Counts a value of {@code topic} held back by an outage, where no record position is at hand (a deserializer). */
    public static void count(String topic, Throwable cause) {
        log.warn("A value of {} cannot be read while the schema registry is unavailable; it is read again, not dead-lettered ({})",
                topic, describe(cause));
        Metrics.counter(MetricNames.REGISTRY_UNAVAILABLE, "topic", topic).increment();
    }

    /**
     * After a record of a poll turned out unreadable because of an outage: seeks each partition of the records from
     * {@code from} on back to its first of them, so the next poll starts with that record and nothing after it is skipped.
     */
    public static void seekBack(Consumer<?, ?> consumer, List<? extends ConsumerRecord<?, ?>> polled, int from) {
        TopicReplay.seekBack(consumer, polled, from);
    }

    /** The pauses between attempts at a record while the registry is away: 1 s doubling to 30 s, without end. */
    public static BackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(FIRST_PAUSE.toMillis(), 2.0);
        backOff.setMaxInterval(LONGEST_PAUSE.toMillis());
        return backOff;
    }

    /** The pause after the {@code failures}th failed attempt in a row (1-based). */
    public static Duration pauseAfter(int failures) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(5, Math.max(0, failures - 1)));
        return pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    /**
     * Runs work that reads topics (a rebuild at start-up or on an assignment) until it gets through: while the registry
     * is away it is run again after a growing pause, instead of the service starting, or going on, with part of its
     * state. Any other failure is thrown as before.
     */
    public static <T> T untilAvailable(String work, Supplier<T> reading) {
        for (int failures = 1; ; failures++) {
            try {
                return reading.get();
            } catch (RuntimeException e) {
                if (!isBehind(e)) {
                    throw e;
                }
                Duration pause = pauseAfter(failures);
                log.warn("{} waits for the schema registry (attempt {}); trying again in {}: {}", work, failures, pause,
                        describe(e));
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** {@link #untilAvailable(String, Supplier)} for work without a result. */
    public static void untilAvailable(String work, Runnable reading) {
        untilAvailable(work, () -> {
            reading.run();
            return null;
        });
    }

    /** The classes and messages of a failure's chain: hosts, ports, statuses; the serde puts no record content there. */
    public static String describe(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < DEEPEST_CAUSE; cause = next(cause)) {
            if (!chain.isEmpty()) {
                chain.append(" <- ");
            }
            chain.append(cause.getClass().getName());
            if (cause instanceof ApiException answered) {
                chain.append(" (HTTP ").append(answered.getResponseStatusCode()).append(')');
            } else if (cause.getMessage() != null && cause.getCause() == null) {
                chain.append(": ").append(cause.getMessage());
            }
        }
        return chain.toString();
    }

    private static boolean unanswered(Throwable cause) {
        String name = cause.getClass().getName();
        return cause instanceof ExecutionException || cause instanceof CompletionException
                || cause instanceof SocketException || cause instanceof SocketTimeoutException
                || cause instanceof UnknownHostException || cause instanceof HttpTimeoutException
                || cause instanceof SSLException || cause instanceof TimeoutException
                || name.startsWith("io.netty.channel.") || name.equals("io.vertx.core.http.HttpClosedException")
                || name.equals("io.vertx.core.http.ConnectionPoolTooBusyException");
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }
}

package org.homecoming.transport.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.homecoming.platform.registry.RegistryOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka Streams does when an exception escapes a stream thread (the dead-letter handlers took what they could:
 * this is a broker that stayed away longer than {@code task.timeout.ms}, a producer fenced, a bug). Kafka's default
 * stops the whole client for good: positions are no longer validated, no crossing or arrival is detected, and the
 * service kept saying it was fine. Instead the thread is replaced (exactly-once: its open transaction is aborted and
 * the new thread starts from the last commit), which rides out an outage. An error that comes back at once is not an
 * outage: more than {@code maxReplacements} within {@code window} stop the client, and the health component
 * ({@link StreamsHealthIndicator}) then says DOWN, so an operator or the orchestrator restarts it. A schema registry
 * outage is not such an error: it is ridden out by replacing the thread for as long as it lasts (see
 * {@code DeadLetterPolicy}). The global thread (the manifests' store) cannot be replaced: its failure stops the client.
 */
final class ThreadReplacement implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ThreadReplacement.class);

    /** How Kafka Streams names its global thread: {@code <client id>-GlobalStreamThread}; the handler runs on it. */
    static final String GLOBAL_THREAD = "-GlobalStreamThread";

    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    ThreadReplacement(int maxReplacements, Duration window, Clock clock) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = clock.instant();
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(window))) {
            recent.removeFirst();
        }
        if (Thread.currentThread().getName().endsWith(GLOBAL_THREAD)) {
            // Kafka Streams 4.1 cannot replace its global thread (the manifests' store): asked to, it logs so, shuts the
            // client down all the same, and throws a ClassCastException from the dying thread. A registry outage does
            // not get here (the manifests wait for the registry, see RegistryWait), unless the client was closing.
            log.error("The global stream thread (the manifests' store) failed, which Kafka Streams cannot replace: stopping"
                    + " the stream processor; its health is DOWN until the service is restarted. Cause: {}", describe(exception));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (RegistryOutage.isBehind(exception)) {
            // a record the registry's absence made unreadable: the dead-letter policy paused before failing the thread,
            // and an outage ends, so it does not count towards stopping the client (which would need a restart)
            log.error("A stream thread failed because the schema registry is unavailable; replacing it (it resumes from"
                    + " the last commit and reads the record again). Cause: {}", describe(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        // the exception's class and message: Kafka's name the task, topic and offset, never a record's content
        if (recent.size() >= maxReplacements) {
            log.error("A stream thread failed for the {}th time within {}: stopping the stream processor; its health is"
                    + " DOWN until the service is restarted. Cause: {}", recent.size() + 1, window, describe(exception));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        log.error("A stream thread failed; replacing it (it resumes from the last commit). Cause: {}", describe(exception));
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static String describe(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return exception.getClass().getName() + ": " + exception.getMessage()
                + (root == exception ? "" : " (root cause " + root.getClass().getName() + ")");
    }
}

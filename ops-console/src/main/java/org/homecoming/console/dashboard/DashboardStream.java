package org.homecoming.console.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pushes the dashboard to every open page as server-sent events: at once when a page connects, then
 * whenever something changed, checked every {@code homecoming.console.push-interval}. A quiet operation
 * still gets a heartbeat now and then, so a proxy does not close an idle connection.
 *
 * <p>Each stream holds a connection for up to half an hour, so their number is bounded: at most
 * {@code homecoming.console.streams.max-open} in all and {@code max-per-viewer} for one signed-in viewer. A script
 * with one viewer's session cannot take the console from the other operators; a refused page polls instead.
 *
 * <p>A push never waits for a viewer. Each stream's events are written on a thread of their own, one at a time: a page
 * whose network stopped reading (a laptop lid closed, a phone out of signal, no reset sent) fills its socket and the
 * next write blocks until the server's write timeout. Written from the scheduler, as before, that one write froze every
 * other operator's dashboard for as long. A stream still writing when the next push comes skips it and gets the figures
 * of a later one; one stuck past {@code homecoming.console.streams.stall-limit} is closed, and its slot freed.
 */
@Component
class DashboardStream {

    static final String EVENT = "dashboard";
    private static final Logger log = LoggerFactory.getLogger(DashboardStream.class);
    /** The browser's EventSource reconnects by itself when a stream times out. */
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);
    private static final int HEARTBEAT_EVERY_PUSHES = 15;

    private final DashboardService dashboards;
    private final int maxOpen;
    private final int maxPerViewer;
    /** Each open stream, and the viewer it was opened for. */
    private final Map<SseEmitter, String> emitters = new ConcurrentHashMap<>();
    /** The streams with a write under way, and since when ({@link System#nanoTime()}). */
    private final Map<SseEmitter, Long> writing = new ConcurrentHashMap<>();
    /**
     * At most one write per stream at a time: the threads of open streams' writes, and of streams closed while stuck in a
     * write, each with the write's thread and the one waiting to complete it, until the server's write timeout ends the
     * write. Idle threads end after a minute.
     */
    private final ThreadPoolExecutor writers;
    private final Duration stallLimit;
    private long lastVersion = -1;
    private int quietPushes;

    DashboardStream(DashboardService dashboards,
                    @Value("${homecoming.console.streams.max-open:200}") int maxOpen,
                    @Value("${homecoming.console.streams.max-per-viewer:8}") int maxPerViewer,
                    @Value("${homecoming.console.streams.stall-limit:30s}") Duration stallLimit) {
        this.dashboards = dashboards;
        this.maxOpen = maxOpen;
        this.maxPerViewer = maxPerViewer;
        this.stallLimit = stallLimit;
        AtomicInteger threads = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(0, 3 * maxOpen, 1, TimeUnit.MINUTES, new SynchronousQueue<>(), work -> {
            Thread thread = new Thread(work, "dashboard-stream-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A stream for {@code viewer}, or {@link TooManyStreamsException} when the console or this viewer has its fill. */
    SseEmitter subscribe(String viewer) {
        return subscribe(viewer, new SseEmitter(STREAM_TIMEOUT.toMillis()));
    }

    /** Opens {@code emitter} as {@code viewer}'s stream (a test passes its own emitter). */
    SseEmitter subscribe(String viewer, SseEmitter emitter) {
        // Counted and added as one step, so a burst of requests cannot all pass the count before any is added.
        synchronized (emitters) {
            if (emitters.size() >= maxOpen) {
                throw new TooManyStreamsException("The console serves at most " + maxOpen
                        + " live dashboards at once; this page asks for the figures every two seconds instead");
            }
            if (emitters.values().stream().filter(viewer::equals).count() >= maxPerViewer) {
                throw new TooManyStreamsException("You have " + maxPerViewer
                        + " live dashboards open; close one, or this page asks for the figures every two seconds instead");
            }
            emitters.put(emitter, viewer);
        }
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(error -> emitters.remove(emitter));
        // the page's first figures, on the request's own thread: the socket is new, so this write does not block
        send(emitter, dashboards.dashboard());
        return emitter;
    }

    /** How many streams are open now. */
    int open() {
        return emitters.size();
    }

    @Scheduled(fixedDelayString = "${homecoming.console.push-interval:1s}")
    void push() {
        if (emitters.isEmpty()) {
            return;
        }
        long version = dashboards.version();
        if (version == lastVersion && ++quietPushes < HEARTBEAT_EVERY_PUSHES) {
            return;
        }
        lastVersion = version;
        quietPushes = 0;
        Dashboard dashboard = dashboards.dashboard();
        emitters.keySet().forEach(emitter -> pushTo(emitter, dashboard));
    }

    /** Completes a stream closed while stuck in a write, on a thread of its own (see {@link #pushTo}). */
    private void close(SseEmitter emitter) {
        try {
            writers.execute(() -> {
                try {
                    emitter.complete();
                } catch (RuntimeException alreadyGone) {
                    log.debug("A stuck dashboard stream could not be completed: {}", alreadyGone.toString());
                } finally {
                    writing.remove(emitter);
                }
            });
        } catch (RejectedExecutionException full) {
            // every thread is stuck: the stuck write's own failure ends this stream
            writing.remove(emitter);
        }
    }

    /** Hands the write to a thread of its own; skips a stream still writing, and closes one stuck past the limit. */
    private void pushTo(SseEmitter emitter, Dashboard dashboard) {
        long now = System.nanoTime();
        Long since = writing.putIfAbsent(emitter, now);
        if (since != null) {
            if (now - since > stallLimit.toNanos() && emitters.remove(emitter) != null) {
                log.info("Closed a dashboard stream: one event has been writing for over {}", stallLimit);
                // Completing waits for the emitter's write lock, which the stuck write holds until the server's write
                // timeout: never on this thread. Once the write ends the stream is completed, so a page that reads again
                // reconnects for a stream that gets pushes, instead of keeping one nobody pushes to.
                close(emitter);
            }
            return;
        }
        try {
            writers.execute(() -> {
                try {
                    send(emitter, dashboard);
                } finally {
                    writing.remove(emitter, now);
                }
            });
        } catch (RejectedExecutionException full) {
            // every thread is stuck in a write: this stream gets a later push
            writing.remove(emitter, now);
        }
    }

    /**
     * Ends every open stream before the web server shuts down gracefully: an event stream never finishes
     * by itself, so the server would otherwise wait out its whole grace period. Browsers reconnect.
     */
    @EventListener(ContextClosedEvent.class)
    void closeStreams() {
        emitters.keySet().forEach(SseEmitter::complete);
        emitters.clear();
    }

    private void send(SseEmitter emitter, Dashboard dashboard) {
        try {
            emitter.send(SseEmitter.event().name(EVENT).data(dashboard, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException gone) {
            // The page went away; the container completes the emitter and onCompletion drops it.
            emitters.remove(emitter);
            log.debug("A dashboard stream closed: {}", gone.toString());
        }
    }

    /** Answered 429: the console or the viewer has as many live dashboards open as it serves. */
    static final class TooManyStreamsException extends RuntimeException {

        TooManyStreamsException(String message) {
            super(message);
        }
    }
}

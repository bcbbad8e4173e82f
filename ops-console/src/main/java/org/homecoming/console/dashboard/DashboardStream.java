package org.homecoming.console.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private long lastVersion = -1;
    private int quietPushes;

    DashboardStream(DashboardService dashboards,
                    @Value("${homecoming.console.streams.max-open:200}") int maxOpen,
                    @Value("${homecoming.console.streams.max-per-viewer:8}") int maxPerViewer) {
        this.dashboards = dashboards;
        this.maxOpen = maxOpen;
        this.maxPerViewer = maxPerViewer;
    }

    /** A stream for {@code viewer}, or {@link TooManyStreamsException} when the console or this viewer has its fill. */
    SseEmitter subscribe(String viewer) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
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
        emitters.keySet().forEach(emitter -> send(emitter, dashboard));
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

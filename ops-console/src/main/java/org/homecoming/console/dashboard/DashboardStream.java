package org.homecoming.console.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 */
@Component
class DashboardStream {

    static final String EVENT = "dashboard";
    private static final Logger log = LoggerFactory.getLogger(DashboardStream.class);
    /** The browser's EventSource reconnects by itself when a stream times out. */
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);
    private static final int HEARTBEAT_EVERY_PUSHES = 15;

    private final DashboardService dashboards;
    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private long lastVersion = -1;
    private int quietPushes;

    DashboardStream(DashboardService dashboards) {
        this.dashboards = dashboards;
    }

    SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(error -> emitters.remove(emitter));
        emitters.add(emitter);
        send(emitter, dashboards.dashboard());
        return emitter;
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
        emitters.forEach(emitter -> send(emitter, dashboard));
    }

    /**
     * Ends every open stream before the web server shuts down gracefully: an event stream never finishes
     * by itself, so the server would otherwise wait out its whole grace period. Browsers reconnect.
     */
    @EventListener(ContextClosedEvent.class)
    void closeStreams() {
        emitters.forEach(SseEmitter::complete);
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
}

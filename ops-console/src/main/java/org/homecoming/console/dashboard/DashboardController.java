package org.homecoming.console.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.homecoming.console.operation.BusTimeline;
import org.homecoming.platform.web.EntityId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1/dashboard")
@Tag(name = "Dashboard", description = "The operation and the topics as the ops console shows them")
class DashboardController {

    private final DashboardService dashboards;
    private final DashboardStream stream;

    DashboardController(DashboardService dashboards, DashboardStream stream) {
        this.dashboards = dashboards;
        this.stream = stream;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The dashboard now",
            description = "Each round's funnel (listed, on a bus, crossed the border, arrived, identity verified, "
                    + "matched, alerted: distinct persons), each bus with its state and position on the route "
                    + "map, alert and review-queue figures, records per dead-letter topic, records/s per topic "
                    + "and lag per consumer group. Ids and counts only; no personal data.")
    Dashboard dashboard() {
        return dashboards.dashboard();
    }

    @GetMapping(path = "/buses/{busId}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One bus's timeline",
            description = "Departed, checkpoints, border, ETA changes, silences, arrival, each hand-over (person id) and "
                    + "each hand-over discrepancy, with times, in time order. 404 for a bus the console has not seen.")
    ResponseEntity<BusTimeline> timeline(@PathVariable String busId) {
        EntityId.require("busId", busId);
        return ResponseEntity.of(dashboards.timeline(busId));
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The dashboard, live",
            description = "Server-sent events named 'dashboard', each carrying the same JSON as GET /api/v1/dashboard: "
                    + "one at once, then one whenever something changed. 429 when the console already serves "
                    + "homecoming.console.streams.max-open streams, or this viewer max-per-viewer.")
    SseEmitter stream() {
        // From the security context, not the servlet's principal: that is null for a caller signed in anonymously.
        Authentication viewer = SecurityContextHolder.getContext().getAuthentication();
        return stream.subscribe(viewer == null ? "" : viewer.getName());
    }

    @ExceptionHandler(DashboardStream.TooManyStreamsException.class)
    ResponseEntity<ProblemDetail> onTooManyStreams(DashboardStream.TooManyStreamsException refused) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, refused.getMessage());
        problem.setTitle("Too many live dashboards");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "60")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

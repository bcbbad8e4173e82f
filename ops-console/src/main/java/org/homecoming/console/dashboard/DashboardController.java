package org.homecoming.console.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.homecoming.console.operation.BusTimeline;
import org.homecoming.platform.web.EntityId;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.GetMapping;
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
                    + "one at once, then one whenever something changed.")
    SseEmitter stream() {
        return stream.subscribe();
    }
}

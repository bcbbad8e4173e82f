package org.homecoming.transport.simulation;

import java.time.Duration;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Scenario simulation for demos and the local stack: buses driven along the road in accelerated time. */
@RestController
class SimulationController {

    private final Simulations simulations;

    SimulationController(Simulations simulations) {
        this.simulations = simulations;
    }

    @Operation(summary = "Drive registered buses from the origin across the border to the reception point",
            description = "Body: {busIds[], speedup (1-3600, default 60), seed (default 42), silentBusIds[] (optional: their tracker "
                    + "goes quiet for silenceSeconds of wall-clock time right after the border), silenceSeconds (default 150)}. "
                    + "Every bus needs a registered manifest. Readings are posted through the same validation as "
                    + "POST /api/v1/buses/{id}/positions. Answers 202 with the simulation's id and progress.")
    @PostMapping(path = "/api/v1/simulations", consumes = "application/json")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Simulations.Status start(@Valid @RequestBody SimulationRequest request) {
        return simulations.start(request.busIds(), request.speedup() == null ? 60 : request.speedup(),
                request.seed() == null ? 42 : request.seed(),
                request.silentBusIds() == null ? List.of() : request.silentBusIds(),
                Duration.ofSeconds(request.silenceSeconds() == null ? 150 : request.silenceSeconds()));
    }

    @Operation(summary = "Progress of a simulation")
    @GetMapping("/api/v1/simulations/{simulationId}")
    Simulations.Status status(@PathVariable String simulationId) {
        return simulations.status(simulationId).orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No simulation " + simulationId), null));
    }

    record SimulationRequest(@NotEmpty List<String> busIds, Double speedup, Long seed, List<String> silentBusIds,
                             Integer silenceSeconds) {
    }
}

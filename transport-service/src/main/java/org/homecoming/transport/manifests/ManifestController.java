package org.homecoming.transport.manifests;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Bus manifests, registered by ops before the buses leave. */
@RestController
class ManifestController {

    private final ManifestRegistration registration;

    ManifestController(ManifestRegistration registration) {
        this.registration = registration;
    }

    @Operation(summary = "Register or replace the manifest of a bus",
            description = "Body: {busId, roundId, personIds[], origin, receptionPoint, trackedBy?, trackerClient?}. trackedBy names "
                    + "the partner principal whose trackers report the bus on Kafka (its own topic intake.bus-positions.<trackedBy>), "
                    + "one of the partners this service reads (homecoming.partners); without it no partner may report the bus over "
                    + "Kafka. trackerClient names the OAuth2 client (the bus's tracker device) whose token alone may send the bus's "
                    + "positions over REST; without it no device may. A manifest registered again must name a tracker (trackedBy or "
                    + "trackerClient) if the registered one does: a tracker is replaced by naming another, never dropped. Each person must be listed by roster for the round, not "
                    + "withdrawn, and not on another bus of the round; origin and receptionPoint are ids of the configured geography "
                    + "(gomel-assembly-point, chernihiv-reception-point). Answers 201 when published, 200 when the same manifest is "
                    + "already registered (nothing published), 400 problem+json listing every bad person otherwise.")
    @PostMapping(path = "/api/v1/buses", consumes = "application/json")
    ResponseEntity<Manifest> register(@Valid @RequestBody ManifestRequest request) {
        ManifestRegistration.Registered registered = registration.register(request);
        var manifest = registered.manifest();
        return ResponseEntity.status(registered.published() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Manifest(manifest.getBusId(), manifest.getRoundId(), manifest.getPersonIds(), manifest.getOrigin(),
                        manifest.getReceptionPoint(), manifest.getTrackedBy(), manifest.getTrackerClient(), registered.published()));
    }

    record Manifest(String busId, String roundId, List<String> personIds, String origin, String receptionPoint, String trackedBy,
                    String trackerClient, boolean published) {
    }
}

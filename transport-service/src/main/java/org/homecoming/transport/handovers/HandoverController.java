package org.homecoming.transport.handovers;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.web.EntityId;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hand-overs at the reception point, admissions at facilities, closing a bus's hand-overs, and the arrival of a bus no
 * tracker reports, confirmed by the staff who see it.
 */
@RestController
class HandoverController {

    private final HandoverDesk desk;
    private final ArrivalConfirmation arrivals;

    HandoverController(HandoverDesk desk, ArrivalConfirmation arrivals) {
        this.desk = desk;
        this.arrivals = arrivals;
    }

    @Operation(summary = "Confirm that a bus stands at the reception point, when no tracker reports it",
            description = "Body: {personIds: [ids of people the staff see on the bus]}, at least one, each on the bus's manifest "
                    + "(a mistyped bus id names another bus's people and is refused with 400, naming each; nothing is published). "
                    + "For a bus whose tracker died on the road or whose manifest names none: without it the trip never arrives "
                    + "and its people cannot be handed over. Published as a sighting at the reception point, from which the "
                    + "movement detection takes the departure and border crossing not seen yet, then the arrival, each once "
                    + "(BusMovementDetected, and the families' alerts that follow). 202 when published: the arrival shows on "
                    + "GET /api/v1/buses within seconds. 200 with published=false when the bus had arrived already. 400 for a "
                    + "bus without a manifest. Audited (ARRIVAL_CONFIRMED).")
    @PostMapping(path = "/api/v1/buses/{busId}/arrival", consumes = "application/json")
    ResponseEntity<ArrivalConfirmation.Confirmed> confirmArrival(@PathVariable String busId, @RequestBody ArrivalRequest request) {
        ArrivalConfirmation.Confirmed confirmed = arrivals.confirm(busId, request == null ? null : request.personIds());
        return ResponseEntity.status(confirmed.published() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(confirmed);
    }

    @Operation(summary = "Record that a person was handed over from a bus at the reception point",
            description = "Body: {personId, busId, identityVerified, triageLevel (IMMEDIATE|URGENT|DELAYED|MINOR), destinationFacility "
                    + "(the id of a configured facility, e.g. chernihiv-regional-hospital)}. Only from a bus that has arrived at the "
                    + "reception point (400 otherwise). 201 when published; 200 with the earlier record when the person was already "
                    + "handed over (nothing published). A person not on the bus's manifest is recorded with onManifest=false and "
                    + "reported as a NOT_ON_MANIFEST discrepancy for review; no alert follows it.")
    @PostMapping(path = "/api/v1/handovers", consumes = "application/json")
    ResponseEntity<Handover> handOver(@Valid @RequestBody HandoverRequest request) {
        HandoverDesk.Outcome<PersonHandedOver> outcome = desk.handOver(request.personId(), request.busId(),
                request.identityVerified(), request.triageLevel(), request.destinationFacility());
        PersonHandedOver event = outcome.event();
        return ResponseEntity.status(outcome.published() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Handover(event.getPersonId(), event.getBusId(), event.getRoundId(), event.getHandedOverAt(),
                        event.getIdentityVerified(), event.getTriageLevel(), event.getDestinationFacility(), event.getOnManifest(),
                        outcome.published()));
    }

    @Operation(summary = "Record that a handed-over person was admitted at a facility (e.g. the hospital)",
            description = "Body: {personId, facility (the id of a configured facility)}. 201 when published; 200 when already "
                    + "admitted (nothing published); "
                    + "400 when the person was never handed over.")
    @PostMapping(path = "/api/v1/admissions", consumes = "application/json")
    ResponseEntity<Admission> admit(@Valid @RequestBody AdmissionRequest request) {
        HandoverDesk.Outcome<PersonAdmitted> outcome = desk.admit(request.personId(), request.facility());
        PersonAdmitted event = outcome.event();
        return ResponseEntity.status(outcome.published() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Admission(event.getPersonId(), event.getRoundId(), event.getFacility(), event.getAdmittedAt(), outcome.published()));
    }

    @Operation(summary = "Close the hand-overs of an arrived bus and report discrepancies with its manifest",
            description = "No body. Publishes NOT_HANDED_OVER for every manifest person never handed over and NOT_ON_MANIFEST for every "
                    + "person handed over from the bus who was not on its manifest, each once. Answers every discrepancy of the bus. "
                    + "400 when the bus has not arrived.")
    @PostMapping("/api/v1/buses/{busId}/handovers-complete")
    List<Found> close(@PathVariable String busId) {
        EntityId.require("busId", busId);
        return desk.close(busId).stream()
                .map(found -> new Found(found.getPersonId(), found.getDiscrepancy().name()))
                .toList();
    }

    record HandoverRequest(@NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String personId,
                           @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String busId,
                           @NotNull Boolean identityVerified, @NotNull TriageLevel triageLevel,
                           @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be the id of a configured facility")
                           String destinationFacility) {
    }

    record AdmissionRequest(@NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String personId,
                            @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be the id of a configured facility")
                            String facility) {
    }

    record Handover(String personId, String busId, String roundId, Instant handedOverAt, boolean identityVerified,
                    TriageLevel triageLevel, String destinationFacility, boolean onManifest, boolean published) {
    }

    record Admission(String personId, String roundId, String facility, Instant admittedAt, boolean published) {
    }

    record Found(String personId, String discrepancy) {
    }

    /** Who the reception staff see on the bus whose arrival they confirm. */
    record ArrivalRequest(List<String> personIds) {
    }
}

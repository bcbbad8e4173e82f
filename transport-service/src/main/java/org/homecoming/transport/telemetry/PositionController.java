package org.homecoming.transport.telemetry;

import java.util.List;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.homecoming.platform.security.TokenClaims;
import org.homecoming.platform.web.EntityId;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * GPS readings of a bus over REST, for the operation's own trackers (the {@code tracker} role). Partners have no REST
 * door: each produces to its own {@code intake.bus-positions.<partner>}, where a reading counts only for the buses whose
 * manifest names that partner. This door is not bound to a manifest's {@code trackedBy}: its callers are OAuth2 clients
 * with the tracker role, not partner principals, and a bus bound to no partner is positioned here only. It is bound to the
 * manifest's {@code trackerClient}: a bus takes positions from the tokens of the tracker device's client its manifest
 * names, and from no other (a manifest that names none: from no device), so the credentials of one device, captured on
 * the road, cannot walk the other buses to the border.
 */
@RestController
class PositionController {

    private final PositionIntake intake;
    private final TokenClaims claims;

    PositionController(PositionIntake intake, TokenClaims claims) {
        this.intake = intake;
        this.claims = claims;
    }

    @Operation(summary = "Record a batch of GPS readings of a bus",
            description = "Body: a JSON array of {latitude, longitude, speedKmh (optional), recordedAt (ISO-8601 instant)}. "
                    + "The bus needs a registered manifest that names the token's client as its trackerClient; otherwise the "
                    + "answer is 403 problem+json, the same whether the manifest names another client, names none, or does not "
                    + "exist. If any reading is bad (impossible coordinates or speed, recorded more than 60 seconds in the future "
                    + "or more than 7 days in the past, missing fields) the answer is 400 problem+json listing each bad reading by "
                    + "its index in `row`, and nothing of the batch is published. Readings already recorded are not published again.")
    @PostMapping(path = "/api/v1/buses/{busId}/positions", consumes = "application/json")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted record(@Parameter(description = "the bus id of the manifest") @PathVariable String busId,
                    @RequestBody List<Reading> readings, @AuthenticationPrincipal Jwt token) {
        EntityId.require("busId", busId);
        Optional<String> client = token == null ? Optional.empty() : claims.client(token.getClaims());
        return new Accepted(busId, readings.size(), intake.accept(busId, client, readings));
    }

    record Accepted(String busId, int received, int published) {
    }
}

package org.homecoming.roster.rounds;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.roster.rounds.ExchangeRounds.Recorded;
import org.homecoming.roster.rounds.ExchangeRounds.RoundTerms;
import org.homecoming.roster.rounds.ExchangeRounds.UnknownRoundException;
import org.homecoming.roster.RosterFeed;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Exchange rounds: one direction of one stage of an agreement, and its life cycle. */
@RestController
@RequestMapping("/api/v1/rounds")
@Tag(name = "Exchange rounds")
class RoundController {

    private final ExchangeRounds rounds;

    RoundController(ExchangeRounds rounds) {
        this.rounds = rounds;
    }

    @PostMapping(consumes = "application/json")
    @Operation(summary = "Record an exchange round as PLANNED",
            description = "Publishes ExchangeRoundRecorded to roster.exchange-rounds. Give a roundId to make the call "
                    + "idempotent: the same id with the same terms answers 200 and publishes nothing; the same id with "
                    + "other terms answers 409. Without a roundId the service generates one (201).")
    ResponseEntity<ExchangeRound> record(@RequestBody RoundTerms terms) {
        Recorded recorded = rounds.record(terms);
        if (!recorded.created()) {
            return ResponseEntity.ok(recorded.round());
        }
        return ResponseEntity.created(URI.create("/api/v1/rounds/" + recorded.round().roundId())).body(recorded.round());
    }

    @GetMapping
    @Operation(summary = "All exchange rounds, by exchange date", description = "200 with every round this instance has"
            + " read, which is everything committed before the request." + RosterFeed.READ_NOT_CAUGHT_UP)
    List<ExchangeRound> all() {
        return rounds.all();
    }

    @GetMapping("/{roundId}")
    @Operation(summary = "One exchange round", description = "404 problem+json when no round has this id."
            + RosterFeed.READ_NOT_CAUGHT_UP)
    ExchangeRound one(@PathVariable String roundId) {
        EntityId.require("roundId", roundId);
        return rounds.find(roundId).orElseThrow(() -> new UnknownRoundException(roundId));
    }

    @PostMapping(path = "/{roundId}/status", consumes = "application/json")
    @Operation(summary = "Move a round along its life cycle",
            description = "PLANNED → IN_PROGRESS → COMPLETED, or CANCELLED from PLANNED only. Any other "
                    + "change answers 409 with the reason; asking for the current status publishes nothing. "
                    + "CANCELLED also takes every person off the round's lists (a version of each without entries), "
                    + "in the same transaction.")
    ExchangeRound changeStatus(@PathVariable String roundId, @RequestBody StatusChange change) {
        EntityId.require("roundId", roundId);
        if (change.status() == null) {
            throw new InvalidRequestException("status", "is required: one of " + List.of(RoundStatus.values()));
        }
        return rounds.changeStatus(roundId, change.status()).round();
    }

    @Schema(description = "The status the round moves to")
    record StatusChange(RoundStatus status) {
    }
}

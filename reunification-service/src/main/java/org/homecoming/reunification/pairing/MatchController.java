package org.homecoming.reunification.pairing;

import java.security.Principal;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.reunification.pairing.CaseworkerDecisions.Decision;
import org.homecoming.reunification.pairing.CaseworkerDecisions.MatchConflictException;
import org.homecoming.reunification.pairing.CaseworkerDecisions.MatchNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caseworkers' review queue and their decisions. */
@RestController
class MatchController {

    private final CaseworkerDecisions decisions;

    MatchController(CaseworkerDecisions decisions) {
        this.decisions = decisions;
    }

    @Operation(summary = "List matches by status", description = "status=REVIEW is the review queue: each match with its score, the "
            + "per-field evidence and why it needs a caseworker. Other values: AUTO_MATCHED, CONFIRMED, REJECTED, RETRACTED.")
    @GetMapping("/api/v1/matches")
    List<MatchView> list(@Parameter(example = "REVIEW") @RequestParam(required = false) String status) {
        return decisions.queue(status == null ? null : status(status));
    }

    @Operation(summary = "Confirm a match", description = "JSON body {reason}. The caseworker who decided (decidedBy) is the caller "
            + "named by the access token; a caseworker field in the body is ignored. The alerts of milestones already reached go out.")
    @PostMapping(path = "/api/v1/matches/{matchId}/confirm", consumes = "application/json")
    ResponseEntity<MatchView> confirm(@PathVariable String matchId, @RequestBody DecisionRequest body, Principal caller) {
        EntityId.require("matchId", matchId);
        return ResponseEntity.accepted().body(decisions.decide(matchId, MatchStatus.CONFIRMED, body.by(caller)));
    }

    @Operation(summary = "Reject a match", description = "JSON body {reason}; the reason is required. decidedBy is the caller named "
            + "by the access token. The pair is not proposed again unless the inquiry or the listed person is corrected.")
    @PostMapping(path = "/api/v1/matches/{matchId}/reject", consumes = "application/json")
    ResponseEntity<MatchView> reject(@PathVariable String matchId, @RequestBody DecisionRequest body, Principal caller) {
        EntityId.require("matchId", matchId);
        return ResponseEntity.accepted().body(decisions.decide(matchId, MatchStatus.REJECTED, body.by(caller)));
    }

    /**
     * What a caseworker sends. Who decided is never taken from the body: it comes from the access token. Bodies
     * written before the token named the caseworker still carry a caseworker field; it is ignored by name, while
     * any other unknown field is refused like everywhere else.
     */
    @JsonIgnoreProperties("caseworker")
    record DecisionRequest(String reason) {
        Decision by(Principal caller) {
            return new Decision(caller.getName(), reason);
        }
    }

    @ExceptionHandler(MatchNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(MatchNotFoundException exception) {
        return problem(HttpStatus.NOT_FOUND, exception.getMessage());
    }

    @ExceptionHandler(MatchConflictException.class)
    ResponseEntity<ProblemDetail> conflict(MatchConflictException exception) {
        return problem(HttpStatus.CONFLICT, exception.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    private static MatchStatus status(String value) {
        String normalized = value.trim().toUpperCase(Locale.ROOT);
        if (normalized.equals("REVIEW")) {
            return MatchStatus.REVIEW_REQUESTED;
        }
        if (normalized.equals("AUTO")) {
            return MatchStatus.AUTO_MATCHED;
        }
        try {
            return MatchStatus.valueOf(normalized);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("status", "must be one of REVIEW, AUTO_MATCHED, CONFIRMED, REJECTED, RETRACTED");
        }
    }
}

package org.homecoming.reunification.pairing;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.reunification.inquiries.InquiryService;
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

    /** A queue page's default and largest size: a caseworker works the oldest first, decides, and asks again. */
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1_000;

    @Operation(summary = "List matches by status", description = "status=REVIEW is the review queue: each match with its score, the "
            + "per-field evidence and why it needs a caseworker. Other values: AUTO_MATCHED, CONFIRMED, REJECTED, RETRACTED. "
            + "The oldest decisions first, at most `limit` of them (default 200, at most 1000): decided matches leave the "
            + "review queue, so asking again gives the next ones.")
    @GetMapping("/api/v1/matches")
    List<MatchView> list(@Parameter(example = "REVIEW") @RequestParam(required = false) String status,
                         @Parameter(example = "200") @RequestParam(required = false) String limit) {
        // each parameter's problem is gathered, so one answer names them all
        List<Violation> problems = new ArrayList<>();
        MatchStatus wanted = status == null ? null : status(status, problems);
        int size = limit(limit, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The query has " + problems.size() + " problem(s)", problems);
        }
        return decisions.queue(wanted, size);
    }

    @Operation(summary = "Confirm a match", description = "JSON body {reason, version}. version is the match's version as "
            + "the caseworker read it (the `version` of the match in GET /api/v1/matches): the decision is refused 409 (not "
            + "retryable: read the match again and decide on what it is now) when the match changed since, for instance "
            + "when another caseworker decided it. Without a version, a decision on a match in review or auto-matched is "
            + "checked against the match as the request finds it, so a decision another caseworker took before the request "
            + "arrived is not noticed if it agrees; taking a decision back requires the version (400 without it). "
            + "The caseworker who decided (decidedBy) is the caller named by the access token; a caseworker field in the "
            + "body is ignored. The alerts of milestones already reached go out. A rejected match may be confirmed too (a "
            + "caseworker takes her rejection back), with a reason, which is then required, and the rejection's version. "
            + "503 with Retry-After (nothing recorded; send the same decision again) while this instance has not read the "
            + "inquiry's latest changes, or while the matcher's change of the match is not yet committed.")
    @PostMapping(path = "/api/v1/matches/{matchId}/confirm", consumes = "application/json")
    ResponseEntity<MatchView> confirm(@PathVariable String matchId, @RequestBody DecisionRequest body, Principal caller) {
        EntityId.require("matchId", matchId);
        return ResponseEntity.accepted().body(decisions.decide(matchId, MatchStatus.CONFIRMED, body.by(caller)));
    }

    @Operation(summary = "Reject a match", description = "JSON body {reason, version}; the reason is required, the version as "
            + "for a confirmation (required to reject a confirmed match; 409, not retryable, when the match changed since "
            + "it was read). decidedBy is the caller named by the access token. The pair is not proposed again unless the "
            + "inquiry or the listed person is corrected. 503 with Retry-After as for a confirmation.")
    @PostMapping(path = "/api/v1/matches/{matchId}/reject", consumes = "application/json")
    ResponseEntity<MatchView> reject(@PathVariable String matchId, @RequestBody DecisionRequest body, Principal caller) {
        EntityId.require("matchId", matchId);
        return ResponseEntity.accepted().body(decisions.decide(matchId, MatchStatus.REJECTED, body.by(caller)));
    }

    /**
     * What a caseworker sends: why, and the version of the match she decided on. Who decided is never taken from the
     * body: it comes from the access token. Bodies written before the token named the caseworker still carry a
     * caseworker field; it is ignored by name, while any other unknown field is refused like everywhere else.
     */
    @JsonIgnoreProperties("caseworker")
    record DecisionRequest(String reason, String version) {
        Decision by(Principal caller) {
            return new Decision(caller.getName(), reason, version);
        }
    }

    @ExceptionHandler(MatchNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(MatchNotFoundException exception) {
        return problem(HttpStatus.NOT_FOUND, exception.getMessage());
    }

    @ExceptionHandler(MatchConflictException.class)
    ResponseEntity<ProblemDetail> conflict(MatchConflictException exception) {
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.CONFLICT, exception.getMessage());
        if (exception.retryable()) {
            answer.getBody().setProperty("retryable", true);
        }
        return answer;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    private static int limit(String value, List<Violation> problems) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, like a number out of range
        }
        problems.add(Violation.of("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    private static MatchStatus status(String value, List<Violation> problems) {
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
            problems.add(Violation.of("status", "must be one of REVIEW, AUTO_MATCHED, CONFIRMED, REJECTED, RETRACTED"));
            return null;
        }
    }
}

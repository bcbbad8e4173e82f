package org.homecoming.reunification.alerts;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.platform.web.EntityId;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Alerts whose delivery outcome is unknown, held for an operator; see {@link AlertDelivery} for why. */
@RestController
class HeldAlertsController {

    private final HeldAlerts held;

    HeldAlertsController(HeldAlerts held) {
        this.held = held;
    }

    @Operation(summary = "List the alerts held for an operator",
            description = "Alerts whose delivery was interrupted between sending and recording the outcome: the relative may "
                    + "or may not have the message. Ids, channel and since when; no contact data.")
    @GetMapping("/api/v1/alerts/held")
    List<HeldView> list() {
        return held.held().stream().map(HeldView::of).toList();
    }

    @Operation(summary = "Resend a held or failed alert", description = "Sends it again now with the same Message-ID (SMS: the "
            + "same Idempotency-Key while the number is unchanged; a corrected number gets a new one), and records who asked (audit.events and the delivery record). A held alert: ask the "
            + "family first, they may have it already. A failed one (every attempt failed, it is on reunification.alerts-dlt): "
            + "resend it once the cause is over (the mail or SMS provider is back, the address is corrected). One withheld "
            + "because the family heard the news through another inquiry: once that inquiry's alert failed or the inquiry "
            + "was withdrawn.",
            responses = {@ApiResponse(responseCode = "200", description = "the delivery's outcome (DELIVERED, FAILED and why, or "
                    + "UNKNOWN: held again)"),
                    @ApiResponse(responseCode = "404", description = "no delivery of the alert is recorded"),
                    @ApiResponse(responseCode = "503", description = "a write to the delivery ledger is still open (an "
                            + "instance stopped mid-write): nothing was decided or sent; try again after Retry-After"),
                    @ApiResponse(responseCode = "409", description = "the alert is neither held nor failed: delivered, being "
                            + "delivered, withdrawn, erased, or its match fell; or a later milestone of the same inquiry and "
                            + "person was already delivered (or may have been), and the alert is recorded withheld, not sent; "
                            + "or the family's other inquiry's alert with the same news still delivered it or may have (held "
                            + "unknown), or was claimed for sending before this resend's claim")})
    @PostMapping("/api/v1/alerts/{alertId}/resend")
    HeldView resend(@PathVariable String alertId, Authentication caller) {
        EntityId.require("alertId", alertId);
        return HeldView.of(held.resend(alertId, caller.getName()));
    }

    @Operation(summary = "Mark a held alert delivered", description = "The family confirmed they received it: recorded as "
            + "DELIVERED without sending, with who decided (audit.events and the delivery record).",
            responses = {@ApiResponse(responseCode = "200", description = "recorded"),
                    @ApiResponse(responseCode = "404", description = "no delivery of the alert is recorded"),
                    @ApiResponse(responseCode = "503", description = "a write to the delivery ledger is still open: nothing "
                            + "was decided; try again after Retry-After"),
                    @ApiResponse(responseCode = "409", description = "the alert is not held")})
    @PostMapping("/api/v1/alerts/{alertId}/delivered")
    HeldView markDelivered(@PathVariable String alertId, Authentication caller) {
        EntityId.require("alertId", alertId);
        return HeldView.of(held.markDelivered(alertId, caller.getName()));
    }

    @ExceptionHandler(HeldAlerts.UnknownAlertException.class)
    ResponseEntity<ProblemDetail> unknown(HeldAlerts.UnknownAlertException exception) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage()));
    }

    /** Nothing was decided: a write to the ledger's topic is still open; the operator tries again. */
    @ExceptionHandler(DeliveryLedger.LedgerInDoubtException.class)
    ResponseEntity<ProblemDetail> inDoubt(DeliveryLedger.LedgerInDoubtException exception) {
        // Retry-After is when a retry can first succeed: a settlement open now is older than abandoned-after by then, and
        // that retry's wait fences it (DeliveryLedger.awaitStableEnd). The 60 s before was the broker's transaction
        // timeout, a minute of the family waiting for a retry that goes through in seconds. A delivery lane's write a
        // killed instance left open ends only at the takeover or that timeout: a retry before then gets this 503 again.
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("Retry-After", String.valueOf(exception.retryAfterSeconds()))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, exception.getMessage()));
    }

    /** The settlement lost its write before its commit and the alert is still held: the same request again. */
    @ExceptionHandler(HeldAlerts.SettlementLostException.class)
    ResponseEntity<ProblemDetail> lost(HeldAlerts.SettlementLostException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, exception.getMessage());
        problem.setProperty("retryable", true);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("Retry-After", "5").body(problem);
    }

    @ExceptionHandler(HeldAlerts.NotHeldException.class)
    ResponseEntity<ProblemDetail> notHeld(HeldAlerts.NotHeldException exception) {
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, exception.getMessage()));
    }

    record HeldView(String alertId, String inquiryId, String channel, String outcome, String reason, Instant at) {
        static HeldView of(AlertDeliveryAttempted attempt) {
            return new HeldView(attempt.getAlertId(), attempt.getInquiryId(), attempt.getChannel().name(),
                    attempt.getOutcome().name(), attempt.getFailureReason(), attempt.getAttemptedAt());
        }
    }
}

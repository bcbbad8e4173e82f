package org.homecoming.console.attention;

import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/attention")
@Tag(name = "Attention", description = "What needs a person's attention now")
class AttentionController {

    private final AttentionWatch attention;

    AttentionController(AttentionWatch attention) {
        this.attention = attention;
    }

    @PostMapping("/acknowledgements")
    @Operation(summary = "Acknowledge an item of 'needs attention now'",
            description = "Takes the item off the list while its condition lasts; if the condition clears and comes "
                    + "back, the item shows again. 204, or 404 when no such item is open.")
    ResponseEntity<?> acknowledge(@RequestBody Acknowledgement acknowledgement) {
        if (acknowledgement.itemId() == null || !attention.acknowledge(acknowledgement.itemId(), operator())) {
            return problem(HttpStatus.NOT_FOUND, "No such item is open: it may have been resolved a moment ago");
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/acknowledgement-withdrawals")
    @Operation(summary = "Put an acknowledged item back on 'needs attention now'",
            description = "Withdraws the acknowledgement of an open item (one listed under 'acknowledged'), on every "
                    + "console, with an audit entry naming the operator. acknowledgedAt, as listed, names the "
                    + "acknowledgement the operator saw: 409 when the item was acknowledged again since, so a page "
                    + "that showed an older one never removes a colleague's newer one. 204; 404 when no such item "
                    + "is open and acknowledged.")
    ResponseEntity<?> withdraw(@RequestBody Withdrawal withdrawal) {
        if (withdrawal.itemId() == null) {
            return problem(HttpStatus.NOT_FOUND, "No such item is open and acknowledged");
        }
        return switch (attention.withdrawAcknowledgement(withdrawal.itemId(), withdrawal.acknowledgedAt(), operator())) {
            case WITHDRAWN -> ResponseEntity.noContent().build();
            case NOT_ACKNOWLEDGED -> problem(HttpStatus.NOT_FOUND, "No such item is open and acknowledged: it may have been "
                    + "resolved or put back a moment ago");
            case ACKNOWLEDGED_AGAIN -> problem(HttpStatus.CONFLICT, "The item was acknowledged again since this page "
                    + "showed it; look at who acknowledged it now before putting it back");
        };
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    /** Who acts is the signed-in operator (session or token), never something the request says. */
    private static String operator() {
        Authentication operator = SecurityContextHolder.getContext().getAuthentication();
        return operator == null ? "unknown" : operator.getName();
    }

    record Acknowledgement(String itemId) {
    }

    /** @param acknowledgedAt when the acknowledgement the operator saw was made, as listed (null: whichever holds) */
    record Withdrawal(String itemId, Instant acknowledgedAt) {
    }
}

package org.homecoming.console.attention;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
    ResponseEntity<Void> acknowledge(@RequestBody Acknowledgement acknowledgement) {
        if (acknowledgement.itemId() == null || !attention.acknowledge(acknowledgement.itemId(), operator())) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/acknowledgement-withdrawals")
    @Operation(summary = "Put an acknowledged item back on 'needs attention now'",
            description = "Withdraws the acknowledgement of an open item (one listed under 'acknowledged'), on every "
                    + "console, with an audit entry naming the operator. 204, or 404 when no such item is open and "
                    + "acknowledged.")
    ResponseEntity<Void> withdraw(@RequestBody Acknowledgement acknowledgement) {
        if (acknowledgement.itemId() == null || !attention.withdrawAcknowledgement(acknowledgement.itemId(), operator())) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.noContent().build();
    }

    /** Who acts is the signed-in operator (session or token), never something the request says. */
    private static String operator() {
        Authentication operator = SecurityContextHolder.getContext().getAuthentication();
        return operator == null ? "unknown" : operator.getName();
    }

    record Acknowledgement(String itemId) {
    }
}

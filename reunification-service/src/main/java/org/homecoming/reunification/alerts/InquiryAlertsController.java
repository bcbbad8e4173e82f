package org.homecoming.reunification.alerts;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.platform.web.EntityId;
import org.homecoming.reunification.inquiries.InquiryLookup;
import org.homecoming.reunification.pairing.AlertBook;
import org.homecoming.reunification.pairing.DecisionsElsewhere;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The alerts issued for an inquiry and how their delivery went. */
@RestController
class InquiryAlertsController {

    private final AlertBook alerts;
    private final DeliveryLedger ledger;
    private final InquiryLookup inquiries;

    private final ObjectProvider<DecisionsElsewhere> elsewhere;

    InquiryAlertsController(AlertBook alerts, DeliveryLedger ledger, InquiryLookup inquiries, ObjectProvider<DecisionsElsewhere> elsewhere) {
        this.alerts = alerts;
        this.elsewhere = elsewhere;
        this.ledger = ledger;
        this.inquiries = inquiries;
    }

    @Operation(summary = "List an inquiry's alerts", description = "Each alert: milestone, channel, language, facility, when it was "
            + "issued, the outcome of its latest delivery attempt (DELIVERED, RETRYING, FAILED, or null if not tried yet) and, "
            + "for one not delivered, why: a hotline operator must tell an alert withheld on purpose (attempts 0: the inquiry "
            + "withdrawn, the match fell, the same news already went to this address through the family's other inquiry) "
            + "from one that failed and can be resent once its cause is fixed. Reasons never quote contact data.")
    @GetMapping("/api/v1/inquiries/{inquiryId}/alerts")
    ResponseEntity<?> alerts(@PathVariable String inquiryId) {
        EntityId.require("inquiryId", inquiryId);
        if (inquiries.find(inquiryId).isEmpty() && !inquiries.isWithdrawn(inquiryId)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No inquiry " + inquiryId));
        }
        // any instance answers about any inquiry, also one that another instance owns
        DecisionsElsewhere all = elsewhere.getIfAvailable();
        List<AlertView> issued = (all == null ? alerts.alertsOf(inquiryId) : all.alertsOf(inquiryId)).stream().map(alert -> {
            AlertDeliveryAttempted latest = ledger.latest(alert.getAlertId()).orElse(null);
            return new AlertView(alert.getAlertId(), alert.getPersonId(), alert.getMilestone().name(), alert.getChannel().name(),
                    alert.getLanguage().name().toLowerCase(), alert.getFacility(), alert.getIssuedAt(),
                    latest == null ? null : latest.getOutcome().name(), latest == null ? null : latest.getAttempt(),
                    latest == null ? null : latest.getFailureReason());
        }).toList();
        return ResponseEntity.ok(issued);
    }

    record AlertView(String alertId, String personId, String milestone, String channel, String language, String facility,
                     Instant issuedAt, String delivery, Integer attempts, String reason) {
    }
}

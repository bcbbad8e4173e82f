package org.homecoming.reunification.alerts;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.reunification.pairing.AlertBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The alerts whose delivery outcome is unknown, and what an operator does with each: resend it (the same Message-ID,
 * so a mail system that did get the first copy shows one message) or mark it delivered (the family confirmed it). Both
 * are audited before they take effect: an action the audit trail cannot record is not taken. One alert is settled once:
 * a second resend or mark finds it no longer held.
 */
@Component
public class HeldAlerts {

    private static final Logger log = LoggerFactory.getLogger(HeldAlerts.class);
    static final String CONFIRMED = "marked delivered by an operator";

    private final DeliveryLedger ledger;
    private final AlertBook alerts;
    private final AlertDelivery delivery;
    private final AuditTrail audit;
    private final Clock clock;

    HeldAlerts(DeliveryLedger ledger, AlertBook alerts, AlertDelivery delivery, AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.alerts = alerts;
        this.delivery = delivery;
        this.audit = audit;
        this.clock = clock;
    }

    /** The alerts held, as every instance knows them: the ledger is read again first (another instance may have settled one). */
    public List<AlertDeliveryAttempted> held() {
        ledger.rebuild();
        return ledger.held();
    }

    /**
     * Sends a held alert again, now, with bounded retries.
     *
     * @return the delivery's last record (DELIVERED, or FAILED and why)
     * @throws NotHeldException when the alert is not held (unknown, delivered, or never interrupted)
     */
    public synchronized AlertDeliveryAttempted resend(String alertId, String operator) {
        AlertDeliveryAttempted held = requireHeld(alertId);
        AlertIssued alert = alerts.alertsOf(held.getInquiryId()).stream().filter(issued -> issued.getAlertId().equals(alertId))
                .findFirst().orElseThrow(() -> new NotHeldException(alertId));
        audit.recorded(AuditAction.ALERT_RESENT, AuditSubject.ALERT, alertId, AuditOutcome.SUCCEEDED);
        AlertDeliveryAttempted last = delivery.deliver(alert, operator).last();
        log.info("Alert {} of inquiry {} resent by an operator: {}", alertId, held.getInquiryId(), last.getOutcome());
        return last;
    }

    /** Records a held alert as delivered without sending it: the family confirmed they received it. */
    public synchronized AlertDeliveryAttempted markDelivered(String alertId, String operator) {
        AlertDeliveryAttempted held = requireHeld(alertId);
        audit.recorded(AuditAction.ALERT_MARKED_DELIVERED, AuditSubject.ALERT, alertId, AuditOutcome.SUCCEEDED);
        AlertDeliveryAttempted delivered = AlertDeliveryAttempted.newBuilder(held)
                .setOutcome(DeliveryOutcome.DELIVERED)
                .setFailureReason(CONFIRMED)
                .setAttemptedAt(clock.instant())
                .setDecidedBy(operator)
                .build();
        ledger.record(delivered);
        log.info("Alert {} of inquiry {} marked delivered by an operator", alertId, held.getInquiryId());
        return delivered;
    }

    private AlertDeliveryAttempted requireHeld(String alertId) {
        ledger.rebuild();
        Optional<AlertDeliveryAttempted> latest = ledger.latest(alertId);
        if (latest.isEmpty() || !ledger.isHeld(alertId)) {
            throw new NotHeldException(alertId);
        }
        return latest.get();
    }

    /** The alert is not held for an operator: nothing to resend or mark. */
    public static class NotHeldException extends RuntimeException {
        NotHeldException(String alertId) {
            super("Alert " + alertId + " is not held for an operator (its delivery outcome is known, or it does not exist)");
        }
    }
}

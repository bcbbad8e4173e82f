package org.homecoming.reunification.inquiries;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts every erasure on the audit trail. A requested erasure is recorded under the hotline operator who asked for it
 * (the trail's signed-in principal); a retention sweep runs without a caller, so the trail records its own principal
 * and the detail names the retention as the cause. The entry holds the inquiry id only: the data is gone.
 */
@Component
class AuditedErasures implements ContactDataErasures {

    private final AuditTrail audit;

    AuditedErasures(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void contactDataErased(String inquiryId, String erasedBy, Reason reason) {
        recorded(audit, inquiryId, reason);
    }

    @Override
    public void contactDataErased(String inquiryId, String erasedBy, Reason reason, KafkaTemplate<String, Object> template) {
        recorded(audit.writingWith(template), inquiryId, reason);
    }

    private static void recorded(AuditTrail trail, String inquiryId, Reason reason) {
        trail.recorded(AuditAction.ERASED, AuditSubject.INQUIRY, inquiryId, AuditOutcome.SUCCEEDED, switch (reason) {
            case REQUESTED -> "requested by the relative";
            case RETENTION_ENDED -> "retention period ended";
            case COMPLETED -> "an earlier erasure completed with its tombstone";
        });
    }
}

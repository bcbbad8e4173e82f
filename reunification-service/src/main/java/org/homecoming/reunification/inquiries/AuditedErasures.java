package org.homecoming.reunification.inquiries;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts every erasure on the audit trail, under who asked for it: the hotline operator whose request destroyed the key
 * (kept, from the token, on the key's erasure marker), or {@link AuditTrail#SYSTEM} for a retention sweep's own
 * erasure, whose detail names the retention as the cause. Named explicitly, not taken from the thread writing it: an
 * entry owed is written later, by the retention sweep (no caller) or by another operator's request, and was then
 * recorded under the sweep's principal or that other operator. The entry holds the inquiry id only: the data is gone.
 */
@Component
class AuditedErasures implements ContactDataErasures {

    private final AuditTrail audit;

    AuditedErasures(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void contactDataErased(String inquiryId, String erasedBy, Reason reason) {
        recorded(audit, inquiryId, erasedBy, reason);
    }

    @Override
    public void contactDataErased(String inquiryId, String erasedBy, Reason reason, KafkaTemplate<String, Object> template) {
        recorded(audit.writingWith(template), inquiryId, erasedBy, reason);
    }

    private static void recorded(AuditTrail trail, String inquiryId, String erasedBy, Reason reason) {
        String principal = erasedBy == null || RETENTION.equals(erasedBy) ? AuditTrail.SYSTEM : erasedBy;
        trail.recordedAs(principal, AuditAction.ERASED, AuditSubject.INQUIRY, inquiryId, AuditOutcome.SUCCEEDED, switch (reason) {
            case REQUESTED -> "requested by the relative";
            case RETENTION_ENDED -> "retention period ended";
            case COMPLETED -> "an earlier erasure completed with its tombstone";
        });
    }
}

package org.homecoming.reunification.inquiries;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
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
        audit.recorded(AuditAction.ERASED, AuditSubject.INQUIRY, inquiryId, AuditOutcome.SUCCEEDED,
                reason == Reason.REQUESTED ? "requested by the relative" : "retention period ended");
    }
}

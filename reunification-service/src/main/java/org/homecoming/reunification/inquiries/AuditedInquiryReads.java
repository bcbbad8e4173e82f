package org.homecoming.reunification.inquiries;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.springframework.stereotype.Component;

/**
 * Puts every read of an inquiry on the audit trail, before the inquiry is handed out: if the entry cannot be written,
 * the read fails (503) and nothing leaves. Who read it is the trail's signed-in principal, the same name the
 * controller passes; the entry holds the inquiry id only.
 */
@Component
class AuditedInquiryReads implements ContactDataAudit {

    private final AuditTrail audit;

    AuditedInquiryReads(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public void contactDataRead(String inquiryId, String readBy) {
        audit.recorded(AuditAction.CONTACT_DATA_READ, AuditSubject.INQUIRY, inquiryId, AuditOutcome.SUCCEEDED);
    }

    @Override
    public void inquiryRead(String inquiryId, String readBy) {
        audit.recorded(AuditAction.PERSONAL_DATA_READ, AuditSubject.INQUIRY, inquiryId, AuditOutcome.SUCCEEDED,
                "without contact data");
    }
}

package org.homecoming.reunification.inquiries;

/**
 * Told each time a relative's contact data (e-mail, phone) leaves the service over REST, with who read it. The audit
 * trail of personal-data reads (an append-only {@code audit.events} topic) implements it; a service without one records
 * nothing. Implementations must not log the data or the inquiry: logs hold no personal data.
 */
@FunctionalInterface
public interface ContactDataAudit {

    /** No audit trail yet: nothing is recorded, and nothing is logged. */
    ContactDataAudit NOT_RECORDED = (inquiryId, readBy) -> {
    };

    void contactDataRead(String inquiryId, String readBy);
}

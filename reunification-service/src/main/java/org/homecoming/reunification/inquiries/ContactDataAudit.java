package org.homecoming.reunification.inquiries;

/**
 * Told each time an inquiry leaves the service over REST, with who read it: with the relative's contact data (e-mail,
 * phone) for the hotline, without it for everyone else; either way it names the person sought. {@link AuditedInquiryReads}
 * records each read on the audit trail ({@code audit.events}). Implementations must not log the data or the inquiry:
 * logs hold no personal data.
 */
@FunctionalInterface
public interface ContactDataAudit {

    /** Nothing is recorded, and nothing is logged (a test's or a tool's context without an audit trail). */
    ContactDataAudit NOT_RECORDED = (inquiryId, readBy) -> {
    };

    void contactDataRead(String inquiryId, String readBy);

    /** The inquiry was read without the relative's contact data; it still names the person sought. */
    default void inquiryRead(String inquiryId, String readBy) {
    }
}

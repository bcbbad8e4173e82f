package org.homecoming.reunification.inquiries;

/**
 * Told each time an inquiry's contact data is erased (its data key destroyed), with who or what erased it. The audit
 * trail ({@code audit.events}) implements it; a service without one records nothing. Implementations must not log the
 * inquiry's data: there is none left to log, and logs hold no personal data anyway.
 */
@FunctionalInterface
public interface ContactDataErasures {

    /** Why an inquiry's contact data was erased. */
    enum Reason {
        /** the relative asked to be forgotten (through the hotline) */
        REQUESTED,
        /** its retention period ended */
        RETENTION_ENDED
    }

    /** The principal recorded for erasures the service makes itself, when a retention period ends. */
    String RETENTION = "reunification-retention";

    /** No audit trail yet: nothing is recorded, and nothing is logged. */
    ContactDataErasures NOT_RECORDED = (inquiryId, erasedBy, reason) -> {
    };

    void contactDataErased(String inquiryId, String erasedBy, Reason reason);
}

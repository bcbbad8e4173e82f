package org.homecoming.reunification.inquiries;

import org.springframework.kafka.core.KafkaTemplate;

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
        RETENTION_ENDED,
        /** an earlier erasure destroyed its key and could not write its tombstone; the sweep wrote it */
        COMPLETED
    }

    /**
     * Who erased, for erasures the service makes itself (a retention period ended, or a sweep finished an erasure); the
     * audit trail records these under its own principal ({@code AuditTrail.SYSTEM}).
     */
    String RETENTION = "reunification-retention";

    /** No audit trail yet: nothing is recorded, and nothing is logged. */
    ContactDataErasures NOT_RECORDED = (inquiryId, erasedBy, reason) -> {
    };

    void contactDataErased(String inquiryId, String erasedBy, Reason reason);

    /**
     * As {@link #contactDataErased(String, String, Reason)}, written through {@code template}: inside its transaction
     * when called in one, so the entry commits with the inquiry's tombstone or not at all.
     */
    default void contactDataErased(String inquiryId, String erasedBy, Reason reason, KafkaTemplate<String, Object> template) {
        contactDataErased(inquiryId, erasedBy, reason);
    }
}

package org.homecoming.reunification.inquiries;

import java.util.Optional;

import org.homecoming.events.reunification.InquiryRegistered;

/** Reads an inquiry's current record. */
public interface InquiryLookup {

    /** The open inquiry's latest revision; empty if unknown or withdrawn. */
    Optional<InquiryRegistered> find(String inquiryId);

    boolean isWithdrawn(String inquiryId);

    /** Whether its contact data was erased (its data key destroyed): closed, even before its tombstone is read. */
    default boolean isErased(String inquiryId) {
        return false;
    }
}

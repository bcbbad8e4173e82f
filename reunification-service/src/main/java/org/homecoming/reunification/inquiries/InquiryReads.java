package org.homecoming.reunification.inquiries;

/**
 * Read-your-writes across instances: an inquiry written through one instance is read through another only once that
 * one has read it back from the topic. A read waits, bounded, until this instance's view of the inquiry's partition
 * has caught up with the topic as it was when the read came in.
 */
public interface InquiryReads {

    /** Views that need no waiting: one instance, or a test without Kafka. */
    InquiryReads CAUGHT_UP = inquiryId -> {
    };

    void awaitCaughtUp(String inquiryId);
}

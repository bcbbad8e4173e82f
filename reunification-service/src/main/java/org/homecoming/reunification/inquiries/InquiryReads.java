package org.homecoming.reunification.inquiries;

/**
 * Read-your-writes across instances: an inquiry written through one instance is read through another only once that
 * one has read it back from the topic. A read waits, bounded, until this instance's view of the inquiry's partition
 * has caught up with the topic as it was when the read came in; a write refuses to act on a view that has not.
 */
public interface InquiryReads {

    /** Views that need no waiting: one instance, or a test without Kafka. */
    InquiryReads CAUGHT_UP = inquiryId -> true;

    /**
     * Waits, bounded, until this instance has read every committed record of the inquiry's partition that was on the
     * topic when it was asked.
     *
     * @return whether it has; false when the time ran out or how far the topic goes could not be learnt
     */
    boolean awaitCaughtUp(String inquiryId);
}

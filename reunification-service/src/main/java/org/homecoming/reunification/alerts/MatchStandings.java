package org.homecoming.reunification.alerts;

import java.util.Set;

/**
 * Whether an alert's match still stands when the alert is about to go out. Between its issue and its delivery (a queue
 * behind a mail outage, a failed alert an operator resends hours later) a caseworker may reject the match, a correction
 * may send it back to review, a withdrawal may retract it: a family must not be told that someone who is no longer
 * thought to be their person has arrived.
 */
public interface MatchStandings {

    /** Every match stands: a test without pairing. */
    MatchStandings ALL_STAND = (inquiryId, personId) -> Standing.STANDS;

    enum Standing {
        /** Auto-matched or confirmed. */
        STANDS,
        /** Back in review, rejected or retracted. */
        FELL,
        /** Not read by this instance yet, even after waiting for the topic as it is now. */
        UNKNOWN
    }

    /** The match of the inquiry and the person, as committed on reunification.matches up to the moment of asking. */
    Standing of(String inquiryId, String personId);

    /**
     * Every inquiry ever paired with the person, whichever instance owns it, as read so far: where else the same news
     * about them may have gone ({@link AlertDelivery}). None where pairing is not known (a test without it).
     */
    default Set<String> inquiriesPairedWith(String personId) {
        return Set.of();
    }
}

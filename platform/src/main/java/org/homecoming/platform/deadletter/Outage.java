package org.homecoming.platform.deadletter;

/**
 * Marks a failure that is not the record's fault: something every record needs is away for now (a mail server, an SMS
 * gateway). A listener's record that failed with one is never dead-lettered or skipped: it is read again after a pause
 * of 1 s growing to 30 s, for as long as the outage lasts, as a record the schema registry's absence made unreadable is
 * (see {@link DeadLetterPolicy}). Bounded retries are for a record that will never work; an outage ends, and a
 * partition that waits for it loses nothing.
 */
public interface Outage {

    /** Whether the failure, or one of its causes, is an outage. */
    static boolean isBehind(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 16; cause = cause.getCause()) {
            if (cause instanceof Outage) {
                return true;
            }
        }
        return false;
    }
}

package org.homecoming.platform.holding;

/**
 * The cause a held record is dead-lettered with: it named something (a person, a bus, a match) that never became
 * known while it was held. Its message is the dead letter's reason header.
 */
public class UnresolvedRecordException extends RuntimeException {

    public UnresolvedRecordException(String message) {
        super(message);
    }
}

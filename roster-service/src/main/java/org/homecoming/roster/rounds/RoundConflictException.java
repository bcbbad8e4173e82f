package org.homecoming.roster.rounds;

/** A request that the current state of a round forbids, for example COMPLETED → IN_PROGRESS. Answered 409. */
public class RoundConflictException extends RuntimeException {

    public RoundConflictException(String reason) {
        super(reason);
    }
}

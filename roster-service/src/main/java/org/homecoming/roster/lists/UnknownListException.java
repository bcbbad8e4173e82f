package org.homecoming.roster.lists;

/** No list of this id in this round. Answered 404. */
public class UnknownListException extends RuntimeException {

    UnknownListException(String roundId, String listId) {
        super("Round " + roundId + " has no release list " + listId);
    }
}

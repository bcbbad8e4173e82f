package org.homecoming.roster.lists;

/** No list ever held this person id. Answered 404. */
public class UnknownPersonException extends RuntimeException {

    UnknownPersonException(String personId) {
        super("No release list has ever held person " + personId);
    }
}

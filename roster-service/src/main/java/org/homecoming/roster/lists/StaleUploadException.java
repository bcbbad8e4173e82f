package org.homecoming.roster.lists;

import java.util.Set;

/**
 * An upload made from a version of the list (its If-Match) that is no longer current: publishing it would undo the changes
 * made since. Answered 412 (RosterProblems); nothing was published. See {@link ListVersionCondition}.
 */
public class StaleUploadException extends RuntimeException {

    StaleUploadException(String listId, Integer now, Set<Integer> madeFrom) {
        super(now == null
                ? "List " + listId + " has not been published, so no version of it can match If-Match; nothing was published"
                : "List " + listId + " is at version " + now + ", not " + (madeFrom.size() == 1
                        ? "version " + madeFrom.iterator().next() : "any of versions " + madeFrom.stream().sorted().toList())
                        + " that this upload was made from: it changed meanwhile. Read it again, make the change on version "
                        + now + ", and send it with If-Match: " + ListVersionCondition.etag(now) + "; nothing was published");
    }
}

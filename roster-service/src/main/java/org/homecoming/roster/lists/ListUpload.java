package org.homecoming.roster.lists;

import java.util.List;

import org.homecoming.events.common.Side;
import org.homecoming.platform.web.Violation;

/**
 * A release list as uploaded, CSV or JSON, before validation.
 *
 * @param listId           the list's id; uploading the same id again is a new version (full replacement)
 * @param releasingSide    the side that frees these persons, or null to take the round's
 * @param rows             the rows as text
 * @param formatViolations what was already wrong with the shape of the upload (CSV header, field counts)
 */
record ListUpload(String listId, Side releasingSide, List<ListRow> rows, List<Violation> formatViolations) {

    /**
     * The most persons one upload may list: ten times the largest exchange so far. An upload is checked as a whole and
     * every problem is answered, so without a bound one request of millions of empty rows or header cells (a few bytes
     * each, within the body limit) held hundreds of bytes of rows and problems per byte sent, and ran the service out
     * of memory. Past it, the upload is refused unread.
     */
    static final int MAX_ROWS = 10_000;

    /** The answer to an upload with more than {@link #MAX_ROWS} persons. */
    static Violation tooManyRows(String field) {
        return Violation.of(field, "lists more than " + MAX_ROWS + " persons; split it into several lists of the round");
    }

    ListUpload {
        rows = List.copyOf(rows);
        formatViolations = List.copyOf(formatViolations);
    }
}

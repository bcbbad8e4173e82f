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

    ListUpload {
        rows = List.copyOf(rows);
        formatViolations = List.copyOf(formatViolations);
    }
}

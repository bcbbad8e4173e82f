package org.homecoming.roster.lists;

import java.util.HashSet;
import java.util.Set;

import org.homecoming.platform.web.InvalidRequestException;

/**
 * The version of a list an upload was made from, as its {@code If-Match} header names it: the list's ETag, which is
 * its version number in quotes ({@code "3"}), or {@code *} for "whatever version it has, as long as it exists".
 *
 * <p>Each upload replaces the whole list, so an upload made from an old copy undoes every change made since: an
 * officer adds a person as version 2 while another officer, or the agency's nightly export, sends version 1 with a
 * typo fixed, and the person added is withdrawn as version 3, with a "withdrawn" reaching reunification. With the
 * header, roster publishes only if the list is still at that version when it holds the round's lock, and otherwise
 * answers 412 and publishes nothing. Without it, an upload replaces whatever is there, as before, so list systems that
 * send the whole list on their own schedule keep working.
 */
record ListVersionCondition(boolean anyVersion, Set<Integer> versions) {

    /** Null when the upload names no version. */
    static ListVersionCondition of(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        if (ifMatch.trim().equals("*")) {
            return new ListVersionCondition(true, Set.of());
        }
        Set<Integer> versions = new HashSet<>();
        for (String tag : ifMatch.split(",", -1)) {
            String trimmed = tag.trim();
            // only strong tags of our own form: a weak tag never matches for If-Match (RFC 9110, 13.1.1)
            if (!trimmed.matches("\"[1-9][0-9]{0,8}\"")) {
                throw new InvalidRequestException("If-Match", "must be the list's ETag, its version in quotes such as \"3\" "
                        + "(as GET /api/v1/rounds/{roundId}/lists/{listId} gives it), or *; it was " + shown(trimmed));
            }
            versions.add(Integer.parseInt(trimmed.substring(1, trimmed.length() - 1)));
        }
        return new ListVersionCondition(false, Set.copyOf(versions));
    }

    /** Refuses the upload unless the list is at a version the upload was made from; {@code current} null: no list yet. */
    void check(String listId, ReleaseList current) {
        Integer now = current == null ? null : current.latest().version();
        if (now != null && (anyVersion || versions.contains(now))) {
            return;
        }
        throw new StaleUploadException(listId, now, versions);
    }

    /** The ETag of a list at this version. */
    static String etag(int version) {
        return "\"" + version + "\"";
    }

    private static String shown(String tag) {
        String printable = tag.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}

package org.homecoming.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing wrong with a request: where (a row of an uploaded list, if any, and a field) and why.
 * A 400 answer lists every violation at once, so a partner can fix a whole list in one go.
 *
 * <p>The field and the reason may quote what the caller sent (an unknown CSV column, say); both are cut short,
 * so an answer never grows with the size of a hostile request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(Integer row, String field, String reason) {

    static final int MAX_FIELD = 100;
    static final int MAX_REASON = 300;

    public Violation {
        field = shortened(field, MAX_FIELD);
        reason = shortened(reason, MAX_REASON);
    }

    public static Violation of(String field, String reason) {
        return new Violation(null, field, reason);
    }

    public static Violation atRow(int row, String field, String reason) {
        return new Violation(row, field, reason);
    }

    private static String shortened(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…";
    }
}

package org.homecoming.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing wrong with a request: where (a row of an uploaded list, if any, and a field) and why.
 * A 400 answer lists every violation at once, so a partner can fix a whole list in one go.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(Integer row, String field, String reason) {

    public static Violation of(String field, String reason) {
        return new Violation(null, field, reason);
    }

    public static Violation atRow(int row, String field, String reason) {
        return new Violation(row, field, reason);
    }
}

package org.homecoming.platform.web;

import java.util.List;

/** A request that breaks domain rules. It is answered with 400 problem+json listing every violation. */
public class InvalidRequestException extends RuntimeException {

    private final List<Violation> violations;
    private final int count;

    public InvalidRequestException(String summary, List<Violation> violations) {
        this(summary, violations, violations.size());
    }

    /**
     * @param violations the violations kept to be answered (the first ones found)
     * @param count      how many were found in all, those not kept included
     */
    public InvalidRequestException(String summary, List<Violation> violations, int count) {
        super(summary);
        this.violations = List.copyOf(violations);
        this.count = Math.max(count, this.violations.size());
    }

    public InvalidRequestException(String field, String reason) {
        this(reason, List.of(Violation.of(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }

    /** How many violations were found, at least as many as {@link #violations()} holds. */
    public int count() {
        return count;
    }
}

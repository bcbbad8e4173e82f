package org.homecoming.platform.web;

import java.util.List;

/** A request that breaks domain rules. It is answered with 400 problem+json listing every violation. */
public class InvalidRequestException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidRequestException(String summary, List<Violation> violations) {
        super(summary);
        this.violations = List.copyOf(violations);
    }

    public InvalidRequestException(String field, String reason) {
        this(reason, List.of(Violation.of(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }
}

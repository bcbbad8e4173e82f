package org.homecoming.platform.web;

import java.io.IOException;

/**
 * A request body went beyond its endpoint's limit while being read. An {@link IOException}, so that every
 * reader (Jackson, a byte array) gives up at once; {@link ProblemResponses} answers 413.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}

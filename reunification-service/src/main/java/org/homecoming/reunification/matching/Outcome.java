package org.homecoming.reunification.matching;

/** The three outcomes of scoring a pair. */
public enum Outcome {
    /** Strong enough that an alert may go out without a caseworker. */
    AUTO_MATCH,
    /** Plausible: a caseworker confirms or rejects it, and no alert goes out before that. */
    REVIEW,
    NON_MATCH
}

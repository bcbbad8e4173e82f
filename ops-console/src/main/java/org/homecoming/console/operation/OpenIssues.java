package org.homecoming.console.operation;

import java.time.Instant;
import java.util.List;

/**
 * What is not settled yet: hand-over discrepancies not resolved since, matches waiting for a caseworker, and
 * alerts whose delivery failed with no delivery since, and alerts whose delivery outcome is unknown (held by
 * reunification for an operator). Ids and times only.
 *
 * @param reviewsWaiting    match ids, since the review was requested
 * @param failedDeliveries  alert ids, since the last failed attempt
 * @param unknownDeliveries alert ids, since the outcome was recorded unknown
 */
public record OpenIssues(List<OpenDiscrepancy> discrepancies, List<Waiting> reviewsWaiting,
                         List<Waiting> failedDeliveries, List<Waiting> unknownDeliveries) {

    public static final OpenIssues NONE = new OpenIssues(List.of(), List.of(), List.of(), List.of());

    public OpenIssues(List<OpenDiscrepancy> discrepancies, List<Waiting> reviewsWaiting, List<Waiting> failedDeliveries) {
        this(discrepancies, reviewsWaiting, failedDeliveries, List.of());
    }

    /** @param discrepancy NOT_HANDED_OVER or NOT_ON_MANIFEST */
    public record OpenDiscrepancy(String busId, String personId, String discrepancy, Instant foundAt) {
    }

    public record Waiting(String id, Instant since) {
    }
}

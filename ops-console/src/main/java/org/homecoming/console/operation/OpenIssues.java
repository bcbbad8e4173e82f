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
 * @param correctionsDue    alerts that told a family about a match that fell since
 * @param retryingDeliveries alerts whose delivery is being retried, since the first retry of the run of retries
 */
public record OpenIssues(List<OpenDiscrepancy> discrepancies, List<Waiting> reviewsWaiting,
                         List<Waiting> failedDeliveries, List<Waiting> unknownDeliveries, List<CorrectionDue> correctionsDue,
                         List<Retrying> retryingDeliveries) {

    public static final OpenIssues NONE = new OpenIssues(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public OpenIssues(List<OpenDiscrepancy> discrepancies, List<Waiting> reviewsWaiting, List<Waiting> failedDeliveries,
                      List<Waiting> unknownDeliveries, List<CorrectionDue> correctionsDue) {
        this(discrepancies, reviewsWaiting, failedDeliveries, unknownDeliveries, correctionsDue, List.of());
    }

    public OpenIssues(List<OpenDiscrepancy> discrepancies, List<Waiting> reviewsWaiting, List<Waiting> failedDeliveries) {
        this(discrepancies, reviewsWaiting, failedDeliveries, List.of(), List.of());
    }

    public OpenIssues(List<OpenDiscrepancy> discrepancies, List<Waiting> reviewsWaiting, List<Waiting> failedDeliveries,
                      List<Waiting> unknownDeliveries) {
        this(discrepancies, reviewsWaiting, failedDeliveries, unknownDeliveries, List.of());
    }

    /**
     * An alert that told a family (or may have: its outcome is unknown) about a person whose match fell since: a
     * caseworker rejected it, the matcher retracted it (not for a withdrawn inquiry), or the person was withdrawn from
     * the release list. Reunification sends
     * no correction on its own; a hotline operator tells the family.
     *
     * @param alertIds    the pair's alerts that reached the family or may have, in id order
     * @param delivered   true when one of them was delivered, false when every one has an unknown outcome
     * @param matchStatus the match's status now
     * @param withdrawnFromList the match is back in review because the person was withdrawn from the release list: the
     *                    family was told the person is listed, and that is no longer true
     * @param since       when the match fell
     */
    public record CorrectionDue(String inquiryId, String personId, List<String> alertIds, boolean delivered, String matchStatus,
                                boolean withdrawnFromList, Instant since) {
    }

    /** @param discrepancy NOT_HANDED_OVER or NOT_ON_MANIFEST */
    public record OpenDiscrepancy(String busId, String personId, String discrepancy, Instant foundAt) {
    }

    public record Waiting(String id, Instant since) {
    }

    /**
     * @param channel EMAIL or SMS, the channel the alert is retried on
     * @param reason  why its latest attempt failed, as reunification recorded it (exception classes, never an address), or
     *                null
     * @param at      when that attempt was made
     */
    public record Retrying(String alertId, String channel, Instant since, String reason, Instant at) {

        public Retrying(String alertId, String channel, Instant since) {
            this(alertId, channel, since, null, since);
        }
    }
}

package org.homecoming.console.operation;

/**
 * Alerts to relatives and the caseworkers' review queue.
 *
 * @param issued           distinct alerts issued
 * @param delivered        alerts with a delivered attempt
 * @param failed           alerts whose delivery failed for good and that were never delivered
 * @param awaitingDelivery issued alerts neither delivered nor failed yet (including those being retried)
 * @param reviewQueue      matches sent to review that no caseworker has confirmed or rejected yet
 */
public record AlertFigures(int issued, int delivered, int failed, int awaitingDelivery, int reviewQueue) {
}

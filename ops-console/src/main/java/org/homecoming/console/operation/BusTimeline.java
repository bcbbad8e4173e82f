package org.homecoming.console.operation;

import java.time.Instant;
import java.util.List;

/**
 * One bus's day in time order: departed, checkpoints, border, ETA changes, silences, arrival, each hand-over
 * and each discrepancy found at the hand-over. Ids only: a hand-over names the person's id, never a name.
 */
public record BusTimeline(BusView bus, List<Entry> entries) {

    /**
     * @param what     a movement (DEPARTED, CHECKPOINT_PASSED, BORDER_CROSSED, ARRIVED, ETA_CHANGED, TRACKER_SILENT),
     *                 HANDED_OVER or DISCREPANCY
     * @param place    the place of a movement, if known
     * @param personId the person of a hand-over or a discrepancy
     * @param detail   what else there is to say, or null
     */
    public record Entry(Instant at, String what, String place, String personId, String detail) {
    }
}

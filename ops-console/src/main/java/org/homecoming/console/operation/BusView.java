package org.homecoming.console.operation;

import java.time.Instant;

/**
 * One bus: where it is and how far it has come. Carries counts, never who is on board.
 *
 * @param state           the furthest movement seen: REGISTERED, DEPARTED, CHECKPOINT_PASSED, BORDER_CROSSED or ARRIVED
 * @param persons         persons on its current manifest
 * @param trackerSilent   its tracker went silent and has not been heard from since
 * @param lastPlace       the last named place it passed (checkpoint, crossing point, reception point)
 * @param lastSeenAt      time of its latest position or movement
 * @param latitude        latest known position, or null
 * @param longitude       latest known position, or null
 * @param untrackedSince when the manifest in force was registered, if it names no tracker: no partner on Kafka
 *                       ({@code trackedBy}) and no device over REST ({@code trackerClient}), so transport takes none of
 *                       its positions; null while it names one
 */
public record BusView(String busId, String roundId, BusState state, int persons, boolean trackerSilent,
                      String lastPlace, Instant lastSeenAt, Instant estimatedArrival, Double latitude,
                      Double longitude, Instant untrackedSince) {
}

package org.homecoming.console.operation;

/**
 * How far the persons of one round have come, stage by stage. Every figure counts distinct persons.
 *
 * @param listed           on the release list now (listed or corrected, not withdrawn)
 * @param onBus            on the current manifest of a bus of the round
 * @param crossedBorder    on the manifest of a bus that crossed the border
 * @param arrived          handed over at the reception point
 * @param identityVerified handed over with their identity verified
 * @param matched          matched to a relative's inquiry (automatically or confirmed by a caseworker)
 * @param alerted          about whom at least one alert was issued to a relative
 */
public record Funnel(int listed, int onBus, int crossedBorder, int arrived, int identityVerified, int matched,
                     int alerted) {
}

package org.homecoming.transport.movements;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How cautious movement detection is.
 *
 * @param crossingConfirmations consecutive readings beyond the margin on the receiving side that declare a crossing;
 *                              GPS jitter near the line then cannot declare it, nor declare it twice
 * @param crossingMarginMeters  how far beyond the border line a reading must be to count towards a crossing
 * @param etaChangeThreshold    an ETA is announced again only when it moves by more than this
 * @param minimumSpeedKmh       below this recent speed (queueing at customs) no ETA is estimated
 * @param silenceAfter          wall-clock time without readings after which a bus's tracker is reported silent
 * @param silenceCheckInterval  how often the wall-clock check for silent trackers runs
 */
@ConfigurationProperties("homecoming.transport.detection")
public record DetectionSettings(@DefaultValue("3") int crossingConfirmations,
                                @DefaultValue("150") double crossingMarginMeters,
                                @DefaultValue("5m") Duration etaChangeThreshold,
                                @DefaultValue("5") double minimumSpeedKmh,
                                @DefaultValue("2m") Duration silenceAfter,
                                @DefaultValue("10s") Duration silenceCheckInterval) {

    public static DetectionSettings defaults() {
        return new DetectionSettings(3, 150, Duration.ofMinutes(5), 5, Duration.ofMinutes(2), Duration.ofSeconds(10));
    }
}

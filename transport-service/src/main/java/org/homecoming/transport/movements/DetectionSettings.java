package org.homecoming.transport.movements;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How cautious movement detection is.
 *
 * @param crossingConfirmations consecutive readings beyond the margin on the receiving side that declare a crossing, and
 *                              consecutive readings inside the reception point that declare the arrival; GPS jitter
 *                              near the line then cannot declare it, nor declare it twice, and one reading (a glitch
 *                              or a forged record) never declares either
 * @param crossingMarginMeters  how far beyond the border line a reading must be to count towards a crossing
 * @param etaChangeThreshold    an ETA is announced again only when it moves by more than this
 * @param minimumSpeedKmh       below this recent speed (queueing at customs) no ETA is estimated
 * @param silenceAfter          wall-clock time without readings after which a bus's tracker is reported silent
 * @param silenceCheckInterval  how often the wall-clock check for silent trackers runs
 * @param plausibleSpeedKmh     no bus covers ground faster than this between two readings: a reading farther from the
 *                              bus's last accepted position than this speed allows is refused (a forged record or a
 *                              broken tracker); the validator's 200 km/h bounds the speed a tracker reports, this one
 *                              the distance it implies
 * @param gpsNoiseMeters        how far apart two readings of a bus may be on top of that speed, for GPS noise; the full
 *                              allowance applies from {@link MovementDetector#NOISE_ALLOWANCE_AFTER_MILLIS} between the
 *                              readings, a share of it below
 */
@ConfigurationProperties("homecoming.transport.detection")
public record DetectionSettings(@DefaultValue("3") int crossingConfirmations,
                                @DefaultValue("150") double crossingMarginMeters,
                                @DefaultValue("5m") Duration etaChangeThreshold,
                                @DefaultValue("5") double minimumSpeedKmh,
                                @DefaultValue("2m") Duration silenceAfter,
                                @DefaultValue("10s") Duration silenceCheckInterval,
                                @DefaultValue("150") double plausibleSpeedKmh,
                                @DefaultValue("50") double gpsNoiseMeters) {

    public DetectionSettings {
        if (crossingConfirmations < 1 || !(plausibleSpeedKmh > 0) || !(gpsNoiseMeters >= 0)) {
            throw new IllegalArgumentException("homecoming.transport.detection needs crossing-confirmations >= 1, "
                    + "plausible-speed-kmh > 0 and gps-noise-meters >= 0");
        }
    }

    public static DetectionSettings defaults() {
        return new DetectionSettings(3, 150, Duration.ofMinutes(5), 5, Duration.ofMinutes(2), Duration.ofSeconds(10), 150, 50);
    }
}

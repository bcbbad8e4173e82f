package org.homecoming.platform.holding;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long and how many records that make no sense yet are held ({@code homecoming.holding.*}).
 *
 * @param window     how long a record is held before it goes to its dead-letter topic; records of different topics
 *                   arrive out of order by seconds, not minutes
 * @param capacity   how many records are held at most; beyond it the oldest goes to its dead-letter topic at once, so
 *                   a flood of nonsense cannot exhaust the heap
 * @param checkEvery how often a timer dead-letters the records whose time is up, also while nothing new is read
 * @param watched    how many dead-lettered records are still watched at most, to be processed if what explains them is
 *                   read later (see {@link HeldRecords}); beyond it the oldest is no longer watched
 */
@ConfigurationProperties("homecoming.holding")
public record HoldingSettings(@DefaultValue("2m") Duration window, @DefaultValue("10000") int capacity,
                              @DefaultValue("5s") Duration checkEvery, @DefaultValue("10000") int watched) {

    public HoldingSettings {
        if (window == null || window.isNegative() || capacity < 1 || checkEvery == null || checkEvery.isNegative()
                || checkEvery.isZero() || watched < 0) {
            throw new IllegalArgumentException(
                    "homecoming.holding needs a window >= 0, a capacity >= 1, check-every > 0 and watched >= 0");
        }
    }
}

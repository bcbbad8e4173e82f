package org.homecoming.console.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Records per second of each topic, from how fast the records written to it grow. The rate is the growth between
 * the newest sample and the oldest one still inside the window, so one slow poll does not make it jump.
 *
 * <p>Fed with the records written to each topic (not its end offsets, which also number commit markers).
 */
public final class TopicTraffic {

    private final Duration window;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public TopicTraffic(Duration window) {
        this.window = window;
    }

    public Duration window() {
        return window;
    }

    /** One reading of the records written so far to each topic. Readings must come in time order. */
    public synchronized void record(Instant at, Map<String, Long> endOffsetByTopic) {
        samples.addLast(new Sample(at, Map.copyOf(endOffsetByTopic)));
        Instant windowStart = at.minus(window);
        // Keep the last sample at or before the window's start, as the base of the rate.
        while (samples.size() > 2 && !secondOldest().at.isAfter(windowStart)) {
            samples.removeFirst();
        }
    }

    /**
     * Records per second of each topic of the newest sample; null for a topic seen in one sample only,
     * since a rate needs two.
     */
    public synchronized Map<String, Double> recordsPerSecond() {
        Map<String, Double> rates = new HashMap<>();
        if (samples.isEmpty()) {
            return rates;
        }
        Sample newest = samples.getLast();
        for (Map.Entry<String, Long> topic : newest.endOffsets.entrySet()) {
            rates.put(topic.getKey(), rate(topic.getKey(), topic.getValue(), newest.at));
        }
        return rates;
    }

    private Double rate(String topic, long newestOffset, Instant newestAt) {
        for (Sample sample : samples) {
            Long base = sample.endOffsets.get(topic);
            if (base == null || !sample.at.isBefore(newestAt)) {
                continue;
            }
            double seconds = Duration.between(sample.at, newestAt).toMillis() / 1000.0;
            // Offsets going back mean the topic was deleted and created again: its history is gone.
            return newestOffset < base ? null : (newestOffset - base) / seconds;
        }
        return null;
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }

    private record Sample(Instant at, Map<String, Long> endOffsets) {
    }
}

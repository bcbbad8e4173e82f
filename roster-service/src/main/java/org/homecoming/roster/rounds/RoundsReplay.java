package org.homecoming.roster.rounds;

import java.util.LinkedHashMap;
import java.util.Map;

import org.homecoming.catalogue.Topics;
import org.homecoming.roster.OwnTopics;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the rounds from the compacted rounds topic when the service starts, before the web server
 * takes requests and before readiness turns UP (both come after every lifecycle bean has started).
 */
@Component
class RoundsReplay implements SmartLifecycle {

    private final OwnTopics topics;
    private final ExchangeRounds rounds;
    private volatile boolean running;

    RoundsReplay(OwnTopics topics, ExchangeRounds rounds) {
        this.topics = topics;
        this.rounds = rounds;
    }

    @Override
    public void start() {
        Map<String, ExchangeRound> latest = new LinkedHashMap<>();
        topics.readToEnd(Topics.EXCHANGE_ROUNDS, record ->
                latest.put(record.key(), ExchangeRound.from(record.value())));
        rounds.restore(latest.values());
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // early: long before the web server (and any listener) starts
        return Integer.MIN_VALUE + 1000;
    }
}

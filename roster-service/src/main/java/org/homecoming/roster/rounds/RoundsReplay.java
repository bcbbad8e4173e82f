package org.homecoming.roster.rounds;

import java.util.LinkedHashMap;
import java.util.Map;

import org.homecoming.catalogue.Topics;
import org.homecoming.platform.lifecycle.StartupStep;
import org.homecoming.roster.OwnTopics;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the rounds from the compacted rounds topic when the service starts, before the web server
 * takes requests and before readiness turns UP (both come after every lifecycle bean has started).
 */
@Component
class RoundsReplay extends StartupStep {

    private final OwnTopics topics;
    private final ExchangeRounds rounds;

    RoundsReplay(OwnTopics topics, ExchangeRounds rounds) {
        // early: long before the web server (and any listener) starts
        super(Integer.MIN_VALUE + 1000);
        this.topics = topics;
        this.rounds = rounds;
    }

    @Override
    protected void run() {
        Map<String, ExchangeRound> latest = new LinkedHashMap<>();
        topics.readToEnd(Topics.EXCHANGE_ROUNDS, record ->
                latest.put(record.key(), ExchangeRound.from(record.value())));
        rounds.restore(latest.values());
    }
}

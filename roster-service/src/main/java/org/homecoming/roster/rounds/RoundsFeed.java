package org.homecoming.roster.rounds;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.roster.RosterFeed;
import org.springframework.stereotype.Component;

/** The rounds as the compacted rounds topic tells them, whichever instance published them. */
@Component
class RoundsFeed implements RosterFeed.Reader {

    private final ExchangeRounds rounds;

    RoundsFeed(ExchangeRounds rounds) {
        this.rounds = rounds;
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(Topics.EXCHANGE_ROUNDS);
    }

    @Override
    public void read(ConsumerRecord<String, Object> record) {
        rounds.read(ExchangeRound.from(Topics.EXCHANGE_ROUNDS.value(record.value())));
    }
}

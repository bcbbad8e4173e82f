package org.homecoming.roster;

import java.time.Duration;

import org.apache.kafka.clients.producer.Producer;
import org.homecoming.platform.kafka.AbandonedTransactions;
import org.homecoming.platform.lifecycle.StartupStep;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes the roster's transactional id before anything else starts. If this instance died inside a list's
 * transaction (a crash, a {@code kill -9}), that transaction is still open and read_committed consumers of the
 * roster's topics are stuck behind it. Initialising a producer with the same transactional id (stable per
 * instance, see roster.yml) fences the dead one and makes the coordinator abort its transaction now instead of
 * after {@code transaction.timeout.ms}; the rebuild of the lists that follows then reads past it.
 *
 * <p>A list's own transaction runs under its round's id ({@code roster-round-<roundId>}), which names no instance, so
 * the restart above does not end it. At start the round transactions open longer than
 * {@code homecoming.roster.abandoned-after} (5 s) are fenced too: roster changes commit in milliseconds, so one open
 * that long was left by a dead instance, or stalled that long (this fence ends both, anywhere in the cluster, unlike
 * {@link RosterFeed}'s, which ends only what holds a partition its read is held back on). A younger
 * one is left alone: it may be another live instance's upload in flight during a rolling restart or a failover, and
 * fencing it answered that list officer 409 with nothing published. A younger one that a dead instance did leave open
 * holds the rebuild that follows only until {@link RosterFeed}'s start-up read has found the end held back by it for
 * abandoned-after, when the same fence ends it (about 5-8 s later on a healthy broker).
 */
@Component
class TransactionFencing extends StartupStep {

    /** Every round's changes run under a transactional id of this prefix (see ExchangeRounds). */
    private static final String ROUND_TRANSACTIONS = "roster-round-";

    private final ProducerFactory<String, Object> producers;
    private final KafkaProperties kafka;
    private final Duration abandonedAfter;

    TransactionFencing(ProducerFactory<String, Object> producers, KafkaProperties kafka,
                       @Value("${homecoming.roster.abandoned-after:5s}") Duration abandonedAfter) {
        // before the rounds and lists are rebuilt from the topics (Integer.MIN_VALUE + 1000)
        super(Integer.MIN_VALUE + 500);
        this.producers = producers;
        this.kafka = kafka;
        this.abandonedAfter = abandonedAfter;
    }

    @Override
    protected void run() {
        // A transactional producer calls initTransactions() when it is created; closing returns it to the cache.
        try (Producer<String, Object> fencing = producers.createProducer()) {
            // nothing to send: creating it was the point
        }
        abortAbandonedRoundChanges();
    }

    /**
     * Fences the round transactions open longer than abandoned-after, by how long the broker has seen each one open
     * (its own clock, so this instance's clock cannot make a live one look old). A failure to ask is logged and the
     * start goes on: the rebuild's own fence ends such a transaction once it holds the read back that long.
     */
    private void abortAbandonedRoundChanges() {
        try (AbandonedTransactions rounds = new AbandonedTransactions(kafka.buildAdminProperties(), abandonedAfter,
                id -> id.startsWith(ROUND_TRANSACTIONS))) {
            rounds.fence();
        }
    }
}

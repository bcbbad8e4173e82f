package org.homecoming.roster;

import org.apache.kafka.clients.producer.Producer;
import org.homecoming.platform.lifecycle.StartupStep;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes the roster's transactional id before anything else starts. If this instance died inside a list's
 * transaction (a crash, a {@code kill -9}), that transaction is still open and read_committed consumers of the
 * roster's topics are stuck behind it. Initialising a producer with the same transactional id (stable per
 * instance, see roster.yml) fences the dead one and makes the coordinator abort its transaction now instead of
 * after {@code transaction.timeout.ms}; the rebuild of the lists that follows then reads past it.
 */
@Component
class TransactionFencing extends StartupStep {

    private final ProducerFactory<String, Object> producers;

    TransactionFencing(ProducerFactory<String, Object> producers) {
        // before the rounds and lists are rebuilt from the topics (Integer.MIN_VALUE + 1000)
        super(Integer.MIN_VALUE + 500);
        this.producers = producers;
    }

    @Override
    protected void run() {
        // A transactional producer calls initTransactions() when it is created; closing returns it to the cache.
        try (Producer<String, Object> fencing = producers.createProducer()) {
            // nothing to send: creating it was the point
        }
    }
}

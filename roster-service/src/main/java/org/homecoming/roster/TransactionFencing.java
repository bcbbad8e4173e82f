package org.homecoming.roster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
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

    private static final Logger log = LoggerFactory.getLogger(TransactionFencing.class);
    /** Every round's changes run under a transactional id of this prefix (see ExchangeRounds). */
    private static final String ROUND_TRANSACTIONS = "roster-round-";

    private final ProducerFactory<String, Object> producers;
    private final KafkaProperties kafka;

    TransactionFencing(ProducerFactory<String, Object> producers, KafkaProperties kafka) {
        // before the rounds and lists are rebuilt from the topics (Integer.MIN_VALUE + 1000)
        super(Integer.MIN_VALUE + 500);
        this.producers = producers;
        this.kafka = kafka;
    }

    @Override
    protected void run() {
        // A transactional producer calls initTransactions() when it is created; closing returns it to the cache.
        try (Producer<String, Object> fencing = producers.createProducer()) {
            // nothing to send: creating it was the point
        }
        abortOpenRoundChanges();
    }

    /**
     * A list's transaction runs under its round's transactional id, which no instance holds for long: the id of a
     * dead instance's open change is found among the cluster's ongoing transactions and taken here, which aborts it.
     * A change another live instance has in flight at this moment is aborted too: its caller gets 409 and retries.
     */
    private void abortOpenRoundChanges() {
        try (Admin admin = Admin.create(kafka.buildAdminProperties())) {
            List<String> open = admin.listTransactions(new ListTransactionsOptions()
                            .filterStates(List.of(TransactionState.ONGOING)))
                    .all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(ROUND_TRANSACTIONS))
                    .toList();
            for (String transactionalId : open) {
                Map<String, Object> config = new HashMap<>(producers.getConfigurationProperties());
                config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                try (KafkaProducer<byte[], byte[]> fence = new KafkaProducer<>(config, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    fence.initTransactions();
                }
            }
            if (!open.isEmpty()) {
                log.info("Aborted {} round change(s) left open in the cluster", open.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while looking for open round changes", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not list the cluster's open transactions", e);
        }
    }
}

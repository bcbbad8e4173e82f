package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ListTransactionsResult;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Fencing, on a real broker, a transaction left open longer than abandoned-after. */
class AbandonedTransactionsOnABrokerTest {

    private static final TopicPartition LEDGER = new TopicPartition(Topics.ALERT_DELIVERIES.name(), 0);
    private static final Duration AFTER = Duration.ofSeconds(1);

    private static EmbeddedKafkaKraftBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KraftBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
        admin.createTopics(List.of(TopicProvisioning.declare(Topics.ALERT_DELIVERIES))).all().get();
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.destroy();
    }

    @Test
    void shouldFenceWithinAShortWaitWhenTheFirstListingIsSlowToAnswer() throws Exception {
        // given: a settlement left open on the ledger longer than abandoned-after
        try (KafkaProducer<String, String> left = producer("settlement-left-open");
             // and a service whose admin client takes 1.2 s to send its first listing (its first call connects to every
             // broker, over SASL_SSL in production), fencing within a 3 s wait
             AbandonedTransactions abandoned = new AbandonedTransactions(Map.of(
                     AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), AFTER, id -> true,
                     config -> new SlowToList(config, Duration.ofMillis(1200)))) {
            left.initTransactions();
            left.beginTransaction();
            left.send(new ProducerRecord<>(LEDGER.topic(), LEDGER.partition(), "alert-1", "a settlement")).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> openLongerThanAfter().contains("settlement-left-open"));

            // when it fences what holds the ledger
            List<String> fenced = abandoned.fenceHolding(List.of(LEDGER), Duration.ofSeconds(3));

            // then the one left open is fenced (a third of the wait for the listing, 1 s, gave up before the answer came)
            assertThat(fenced).containsExactly("settlement-left-open");
            assertThatThrownBy(left::commitTransaction).isInstanceOf(KafkaException.class);
        }
    }

    private static List<String> openLongerThanAfter() throws Exception {
        return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING))
                .filterOnDuration(AFTER.toMillis())).all().get(10, TimeUnit.SECONDS).stream()
                .map(TransactionListing::transactionalId).toList();
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new StringSerializer(), new StringSerializer());
    }

    /** An admin client whose transaction listings are sent only after {@code delay}. */
    private static final class SlowToList extends ForwardingAdmin {
        private final Duration delay;

        SlowToList(Map<String, Object> config, Duration delay) {
            super(config);
            this.delay = delay;
        }

        @Override
        public ListTransactionsResult listTransactions(ListTransactionsOptions options) {
            try {
                TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.listTransactions(options);
        }
    }
}

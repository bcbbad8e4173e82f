package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FenceProducersOptions;
import org.apache.kafka.clients.admin.FenceProducersResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ListTransactionsResult;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.KafkaFutureImpl;
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
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

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
            leaveOpen(left, "alert-1");
            await().atMost(Duration.ofSeconds(30)).until(() -> openLongerThanAfter().contains("settlement-left-open"));

            // when it fences what holds the ledger
            List<String> fenced = abandoned.fenceHolding(List.of(LEDGER), Duration.ofSeconds(3));

            // then the one left open is fenced (a third of the wait for the listing, 1 s, gave up before the answer came)
            assertThat(fenced).containsExactly("settlement-left-open");
            assertThatThrownBy(left::commitTransaction).isInstanceOf(KafkaException.class);
        }
    }

    @Test
    void shouldFenceWhatASecondBrokerListsAMomentAfterAFirstAnswerThatCameLate() throws Exception {
        // given two settlements left open, and brokers that answer the listing late: the first 5.6 s into a 9 s wait
        // (before the 6 s the first answer is waited for), the other 0.7 s after it
        try (KafkaProducer<String, String> first = producer("settlement-listed-first");
             KafkaProducer<String, String> second = producer("settlement-listed-second");
             AbandonedTransactions abandoned = new AbandonedTransactions(Map.of(
                     AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), AFTER, id -> true,
                     config -> new TwoBrokersAnsweringLate(config, Duration.ofMillis(5600), Duration.ofMillis(700)))) {
            leaveOpen(first, "alert-2");
            leaveOpen(second, "alert-3");
            await().atMost(Duration.ofSeconds(30)).until(() -> openLongerThanAfter()
                    .containsAll(List.of("settlement-listed-first", "settlement-listed-second")));

            // when it fences what holds the ledger
            List<String> fenced = abandoned.fenceHolding(List.of(LEDGER), Duration.ofSeconds(9));

            // then both are fenced: the second broker was heard although it answered after the first answer's limit
            assertThat(fenced).containsExactlyInAnyOrder("settlement-listed-first", "settlement-listed-second");
        }
    }

    @Test
    void shouldGiveTheFenceCallATimeoutOfItsOwn() throws Exception {
        // given a settlement left open, and an admin that notes the options of its fence calls
        List<FenceProducersOptions> fenceCalls = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, String> left = producer("settlement-left-open-too");
             AbandonedTransactions abandoned = new AbandonedTransactions(Map.of(
                     AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), AFTER, id -> true,
                     config -> new ForwardingAdmin(config) {
                         @Override
                         public FenceProducersResult fenceProducers(Collection<String> ids, FenceProducersOptions options) {
                             fenceCalls.add(options);
                             return super.fenceProducers(ids, options);
                         }
                     })) {
            leaveOpen(left, "alert-4");
            await().atMost(Duration.ofSeconds(30)).until(() -> openLongerThanAfter().contains("settlement-left-open-too"));

            // when it fences within a short wait
            assertThat(abandoned.fenceHolding(List.of(LEDGER), Duration.ofSeconds(1))).contains("settlement-left-open-too");

            // then the fence call was bounded (2 to 10 s), not left to the admin's default of 60 s: a fence landing long
            // after its caller gave up could end a transaction a live holder began since
            assertThat(fenceCalls).singleElement().satisfies(options ->
                    assertThat(options.timeoutMs()).isNotNull().isBetween(2_000, 10_000));
        }
    }

    private static void leaveOpen(KafkaProducer<String, String> producer, String alertId) throws Exception {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(LEDGER.topic(), LEDGER.partition(), alertId, "a settlement")).get();
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

    /**
     * An admin client of a cluster of two brokers (as the listing shows them) that answer late: the first listing
     * {@code first} after the call, the other {@code then} after that, each with part of the transactions.
     */
    private static final class TwoBrokersAnsweringLate extends ForwardingAdmin {
        private final Duration first;
        private final Duration then;
        private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();

        TwoBrokersAnsweringLate(Map<String, Object> config, Duration first, Duration then) {
            super(config);
            this.first = first;
            this.then = then;
        }

        @Override
        public ListTransactionsResult listTransactions(ListTransactionsOptions options) {
            KafkaFutureImpl<Collection<TransactionListing>> one = new KafkaFutureImpl<>();
            KafkaFutureImpl<Collection<TransactionListing>> other = new KafkaFutureImpl<>();
            List<TransactionListing> listed;
            try {
                listed = List.copyOf(super.listTransactions(options).all().get(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            List<TransactionListing> firstPart = listed.stream().filter(t -> t.transactionalId().endsWith("first")).toList();
            List<TransactionListing> otherPart = listed.stream().filter(t -> !t.transactionalId().endsWith("first")).toList();
            answers.schedule(() -> one.complete(firstPart), first.toMillis(), TimeUnit.MILLISECONDS);
            answers.schedule(() -> other.complete(otherPart), first.plus(then).toMillis(), TimeUnit.MILLISECONDS);
            ListTransactionsResult result = mock(ListTransactionsResult.class);
            when(result.byBrokerId()).thenReturn(KafkaFuture.completedFuture(Map.of(1, one, 2, other)));
            return result;
        }

        @Override
        public void close(Duration timeout) {
            answers.shutdownNow();
            super.close(timeout);
        }
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

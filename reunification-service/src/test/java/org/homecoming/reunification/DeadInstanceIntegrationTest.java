package org.homecoming.reunification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.reunification.pairing.PairingListener;
import org.homecoming.reunification.pairing.PairingTransactionHook;
import org.homecoming.reunification.pairing.StateRebuild;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.testkit.TransactionPause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the service on one broker, and the one that matched an inquiry dies inside the transaction that
 * holds the relative's alert (its records in the log, not committed), as a {@code kill -9} leaves it. Its transaction
 * stays open: every read_committed reader of those partitions, alert delivery among them, stops there until the
 * broker aborts it after the producers' transaction timeout (60 s, plus up to its 10 s check interval). The instance
 * the group gives the inquiry to must end that transaction and alert the relative long before. The same holds for a
 * transaction that committed only the pairing group's offsets (a batch that decided nothing): the new owner's look-up
 * of where to start waits for it.
 *
 * <p>It starts its own contexts, so it runs alone: the other integration tests close theirs after their class.
 */
@ExtendWith(KafkaAndRegistry.class)
class DeadInstanceIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /**
     * From the death to the relative's e-mail: the group notices the death (15 s, as the session timeout notices a
     * killed process), the survivor takes over, ends the transaction and rebuilds (about 20 s in all here). Clearly
     * below the 60 s after which the broker would abort the transaction on its own, with room for a loaded machine.
     */
    static final Duration ALERTED_WITHIN = Duration.ofSeconds(40);
    /** reunification.yml's {@code reunification.pairing.abandoned-after}. */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(5);
    static final String[][] PEOPLE = {
            {"Стасюк", "Арсеній", "1985-10-03"}, {"Федорчук", "Ярема", "1978-06-21"}, {"Скрипник", "Северин", "1992-01-15"},
            {"Ковалишин", "Зоряна", "1989-09-30"}, {"Стасюк", "Таїсія", "1994-04-08"}, {"Федорчук", "Лукія", "1981-12-12"},
            {"Скрипник", "Арсеній", "1976-02-27"}, {"Ковалишин", "Ярема", "1990-07-19"}};

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @Test
    void shouldEmailTheRelativeLongBeforeTheTransactionTimeoutWhenTheInstanceThatMatchedDiesInsideItsTransaction() throws Exception {
        // given two instances; the group gives the first one up 15 s after its listener stopped polling, as it gives up
        // a killed process once its session (15 s) expires (a paused thread keeps the heartbeats going)
        ConfigurableApplicationContext first = start("--spring.kafka.consumer.properties.max.poll.interval.ms=15000");
        ConfigurableApplicationContext second = start();
        TransactionPause pause = first.getBean(TransactionPause.class);
        try {
            await().atMost(TIMEOUT).alias("the pairing group split the inquiries between the instances").until(() -> {
                Set<Integer> all = new HashSet<>(first.getBean(StateRebuild.class).owned());
                all.addAll(second.getBean(StateRebuild.class).owned());
                return all.size() == Topics.MATCHES.partitions() && !first.getBean(StateRebuild.class).owned().isEmpty()
                        && !second.getBean(StateRebuild.class).owned().isEmpty();
            });
            // and an inquiry that the first instance owns, registered through the second and read on both
            int sought = -1;
            String inquiryId = null;
            for (int i = 0; i < PEOPLE.length && sought < 0; i++) {
                String registered = TwoInstancesIntegrationTest.register(TwoInstancesIntegrationTest.mvc(second), PEOPLE[i], email(i));
                for (ConfigurableApplicationContext instance : List.of(first, second)) {
                    await().atMost(TIMEOUT).until(() -> TwoInstancesIntegrationTest.status(TwoInstancesIntegrationTest.mvc(instance),
                            registered) == 200);
                }
                if (first.getBean(StateRebuild.class).owned().contains(partition(registered))) {
                    sought = i;
                    inquiryId = registered;
                }
            }
            assertThat(sought).as("one of the inquiries is the first instance's (it owns %s)", first.getBean(StateRebuild.class).owned())
                    .isNotNegative();

            // when the sought person is listed, the first instance matches them and dies inside the transaction that
            // holds the relative's alert
            pause.armAsDead();
            TopicProbe.produce(Topics.LISTED_PERSONS, person(sought), ReunificationIntegrationTest.listed(person(sought),
                    PEOPLE[sought][0], PEOPLE[sought][1], LocalDate.parse(PEOPLE[sought][2])));
            assertThat(pause.awaitPaused()).as("the first instance's alert reached its transaction").isTrue();
            long died = System.nanoTime();
            // the context's close waits for its listener thread, held inside the transaction: it stops aside
            CompletableFuture<Void> closing = CompletableFuture.runAsync(first::close);

            // then the second instance takes the inquiry over and the relative is e-mailed, long before the broker
            // would have aborted the dead instance's transaction
            String relative = email(sought);
            Duration left = ALERTED_WITHIN.minus(Duration.ofNanos(System.nanoTime() - died));
            await().atMost(left).pollInterval(Duration.ofMillis(500))
                    .alias("the relative e-mailed within " + ALERTED_WITHIN + " of the death").until(() -> !messagesTo(relative).isEmpty());
            String alerted = inquiryId;
            List<AlertIssued> alerts = TopicProbe.readAll(Topics.ALERTS).stream().filter(record -> record.key().equals(alerted))
                    .map(ConsumerRecord::value).toList();
            assertThat(alerts).as("the relative's alert, committed once").singleElement()
                    .satisfies(alert -> assertThat(alert.getMilestone()).isEqualTo(Milestone.LISTED_FOR_RELEASE));

            // and when the dead instance's thread goes on to its commit, nothing of its transaction becomes visible
            pause.release();
            closing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(TopicProbe.readAll(Topics.ALERTS).stream().filter(record -> record.key().equals(alerted)))
                    .as("the relative's alert, still committed once").hasSize(1);
            assertThat(messagesTo(relative)).as("the relative e-mailed once").hasSize(1);
        } finally {
            pause.release();
            second.close();
            first.close();
        }
    }

    @Test
    void shouldTakeTheInquiriesOverWhileADeadInstancesTransactionHoldsTheGroupsOffsets() throws Exception {
        // given an instance killed after its transaction committed the pairing group's offsets, and before it ended:
        // a batch that decided nothing writes its offsets only (the broker would end it at its timeout, 15 min here)
        String deadId = "reunification-" + UUID.randomUUID() + "-0";
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, deadId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(15).toMillis());
        // the topics and the group as an earlier run of the service left them
        start().close();
        TopicPartition firstInquiries = new TopicPartition(Topics.MATCHES.name(), 0);
        KafkaProducer<String, String> dead = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        try {
            dead.initTransactions();
            dead.beginTransaction();
            dead.sendOffsetsToTransaction(Map.of(firstInquiries, new OffsetAndMetadata(0)),
                    new ConsumerGroupMetadata(PairingListener.GROUP));
            // and gone from the group before this one joins: the group notices a death after the session timeout (15 s)
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
                ListTransactionsOptions olderThanAbandonedAfter = new ListTransactionsOptions()
                        .filterStates(List.of(TransactionState.ONGOING)).filterOnDuration(ABANDONED_AFTER.toMillis());
                await().atMost(TIMEOUT).until(() -> admin.listTransactions(olderThanAbandonedAfter).all().get().stream()
                        .anyMatch(transaction -> transaction.transactionalId().equals(deadId)));
            }

            // when an instance starts and the group gives it every inquiry partition; its consumer's look-ups would wait
            // 10 min before giving up (60 s by default, after which the next rebalance takes over: slow, but no failure)
            CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(() -> start(
                    "--spring.kafka.consumer.properties.default.api.timeout.ms=" + Duration.ofMinutes(10).toMillis()));
            try {
                // then it reads where to start on them and takes them over, without waiting the transaction out
                await().atMost(TIMEOUT).alias("the instance took every inquiry partition over").until(starting::isDone);
                assertThat(starting.get().getBean(StateRebuild.class).owned()).hasSize(Topics.MATCHES.partitions());
                // and the dead instance's transaction was ended: nothing of it can commit now
                assertThatThrownBy(dead::commitTransaction).isInstanceOf(ProducerFencedException.class);
            } finally {
                if (!starting.isDone()) {
                    dead.abortTransaction();
                }
                starting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).close();
            }
        } finally {
            // bounded: a producer whose transaction was fenced may not close on its own
            dead.close(Duration.ofSeconds(5));
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0", "--spring.jmx.enabled=false",
                "--spring.mail.port=" + greenMail.getSmtp().getPort(), "--reunification.delivery.back-off=50ms",
                "--reunification.retention.first-sweep-after=PT1H"));
        arguments.addAll(Arrays.asList(extra));
        return new SpringApplicationBuilder(ReunificationApplication.class, PauseInsideThePairing.class)
                .properties(ReunificationApplication.CONFIG_NAME).run(arguments.toArray(String[]::new));
    }

    /** The inquiry's partition, as the producers' default partitioner chose it: its owner's. */
    private static int partition(String inquiryId) {
        return Utils.toPositive(Utils.murmur2(inquiryId.getBytes(StandardCharsets.UTF_8))) % Topics.MATCHES.partitions();
    }

    private static List<MimeMessage> messagesTo(String relative) {
        return Arrays.stream(greenMail.getReceivedMessages())
                .filter(message -> AlertDeliveryRestartIntegrationTest.recipient(message).equals(relative)).toList();
    }

    private static String person(int i) {
        return "p-dead-" + i;
    }

    private static String email(int i) {
        return "relative-dead-" + i + "@example.org";
    }

    /** Registered as a source of these contexts only: the next pairing batch that alerts, once armed, waits inside its transaction. */
    static class PauseInsideThePairing {
        @Bean
        TransactionPause transactionPause() {
            return new TransactionPause();
        }

        @Bean
        PairingTransactionHook pauseInsideThePairing(TransactionPause pause) {
            return pause::pauseIfArmed;
        }
    }
}

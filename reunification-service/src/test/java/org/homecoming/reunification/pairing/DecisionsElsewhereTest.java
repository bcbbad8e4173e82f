package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.KraftBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.alerts.MatchStandings.Standing;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/** What an instance says of a match another instance decides, when it cannot tell whether it has read the latest. */
class DecisionsElsewhereTest {

    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void shouldNotSayAMatchStandsWhileItCannotTellWhetherItHasReadTheMatchesTopicToItsEnd() {
        // given an instance that followed another instance's auto-match, and a broker it cannot reach to learn whether a
        // caseworker rejected the pair since
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("127.0.0.1:1"));
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Facts facts = new Facts(new MatchScorer(), new InquiryBook(), inquiryId -> false);
        MatchBook own = new MatchBook(0.0, clock, facts);
        DecisionsElsewhere elsewhere = new DecisionsElsewhere(kafka, mock(StateRebuild.class), own,
                new AlertBook(facts, new InquiryBook(), own, clock, AlertBook.Counter.NONE), clock, () -> null);
        try {
            elsewhere.take(MatchBookTest.matcherDecision("inq-1", "p-1", MatchStatus.AUTO_MATCHED, T0));

            // then delivery is told it is not known yet (and holds the alert), never that the match stands
            assertThat(elsewhere.of("inq-1", "p-1")).isEqualTo(Standing.UNKNOWN);
        } finally {
            elsewhere.stop();
        }
    }

    @Test
    void shouldNotSayAMatchStandsWhileAnOpenTransactionOnItsPartitionHidesADecisionCommittedAfterIt() throws Exception {
        // given another instance's auto-match followed here, on a broker where the follower reads its partition
        EmbeddedKafkaKraftBroker broker = KraftBroker.start();
        String bootstrap = broker.getBrokersAsString();
        String inquiryId = "inq-followed";
        int partition = InquiryPartitions.of(inquiryId);
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(bootstrap));
        kafka.getConsumer().getProperties().putAll(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Facts facts = new Facts(new MatchScorer(), new InquiryBook(), id -> false);
        MatchBook own = new MatchBook(0.0, clock, facts);
        InquiriesCaughtUp caughtUp = new InquiriesCaughtUp(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), unused -> 0L);
        DecisionsElsewhere elsewhere = new DecisionsElsewhere(kafka, mock(StateRebuild.class), own,
                new AlertBook(facts, new InquiryBook(), own, clock, AlertBook.Counter.NONE), clock, () -> caughtUp);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<String, String> pairing = producer(bootstrap, "elsewhere-test-pairing");
             KafkaProducer<String, String> caseworker = producer(bootstrap, "elsewhere-test-caseworker")) {
            admin.createTopics(List.of(new NewTopic(Topics.MATCHES.name(), Topics.MATCHES.partitions(), (short) 1),
                    new NewTopic(Topics.ALERTS.name(), Topics.ALERTS.partitions(), (short) 1))).all().get();
            elsewhere.take(MatchBookTest.matcherDecision(inquiryId, "p-1", MatchStatus.AUTO_MATCHED, T0));
            elsewhere.start();

            // when a pairing transaction of another inquiry on the partition is open (at offset 0), and a caseworker's
            // rejection is committed after it began (the records stand in for the decisions: what is asserted is when
            // the follower's book is trusted), and the follower has read up to the last stable offset
            pairing.initTransactions();
            pairing.beginTransaction();
            long open = pairing.send(new ProducerRecord<>(Topics.MATCHES.name(), partition, "inq-other", "pairing's decision")).get().offset();
            caseworker.initTransactions();
            caseworker.beginTransaction();
            caseworker.send(new ProducerRecord<>(Topics.MATCHES.name(), partition, inquiryId, "a caseworker's rejection")).get();
            caseworker.commitTransaction();
            await().atMost(Duration.ofSeconds(30)).until(() -> elsewhere.matchesReadTo(partition, unused -> -1L) == open);

            // then delivery is told the match is not known yet, never that it stands: the rejection may lie beyond
            assertThat(elsewhere.of(inquiryId, "p-1")).isEqualTo(Standing.UNKNOWN);

            // and once the transaction has ended and the follower read past the rejection, it answers from its book
            pairing.commitTransaction();
            await().atMost(Duration.ofSeconds(30)).until(() -> elsewhere.matchesReadTo(partition, unused -> -1L) > open + 2);
            assertThat(elsewhere.of(inquiryId, "p-1")).isEqualTo(Standing.STANDS);
        } finally {
            elsewhere.stop();
            caughtUp.destroy();
            broker.destroy();
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new StringSerializer(), new StringSerializer());
    }
}

package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting, on a real broker, until the transactions open on a partition have ended, and where its stable end is then. */
class StableEndTest {

    private static final TopicPartition PARTITION = new TopicPartition(Topics.ALERT_DELIVERIES.name(), 0);

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
    void shouldNotTakeTheEndAsStableWhileATransactionOpenOnThePartitionHidesACommitAfterIt() throws Exception {
        try (KafkaProducer<String, String> open = producer("stable-end-test-open");
             KafkaProducer<String, String> other = producer("stable-end-test-other")) {
            // given a transaction open on the partition, and another instance's write committed after it began
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(PARTITION.topic(), PARTITION.partition(), "k", "held open")).get();
            other.initTransactions();
            other.beginTransaction();
            long committedAfter = other.send(new ProducerRecord<>(PARTITION.topic(), PARTITION.partition(), "k", "committed")).get().offset();
            other.commitTransaction();

            // then a wait for the stable end gives up: a read_committed read to the end now would miss that commit
            assertThat(StableEnd.await(admin, List.of(PARTITION), Duration.ofMillis(500))).as("stable while open").isFalse();
            assertThat(StableEnd.awaitEnds(admin, List.of(PARTITION), Duration.ofMillis(500))).as("ends while open").isEmpty();

            // and once the open transaction has ended, the wait says where the stable end is: past the commit made meanwhile
            open.commitTransaction();
            Optional<Map<TopicPartition, Long>> ends = StableEnd.awaitEnds(admin, List.of(PARTITION), Duration.ofSeconds(10));
            assertThat(ends).as("ends once the transaction ended").isPresent();
            assertThat(ends.get().get(PARTITION)).as("the stable end").isGreaterThan(committedAfter)
                    .isEqualTo(highWatermark());
            assertThat(StableEnd.await(admin, List.of(PARTITION), Duration.ofSeconds(10))).isTrue();
        }
    }

    private static long highWatermark() throws Exception {
        return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                .partitionResult(PARTITION).get().offset();
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new StringSerializer(), new StringSerializer());
    }
}

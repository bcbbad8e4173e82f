package org.homecoming.console.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/** The records a group has to read, counted by the console's counting consumer. */
class RecordCounterTest {

    private static final TopicPartition POSITIONS = new TopicPartition("transport.bus-positions-counted", 0);

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KraftBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void shouldCountWhatIsStillKeptForAGroupWhoseOffsetIsOlderThanThePartitionsStart() throws Exception {
        // given 100 positions, of which retention deleted the first 50, and a group that committed offset 10
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(POSITIONS.topic(), 1, (short) 1))).all().get();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(POSITIONS.topic(), "bus-1", "position-" + i)).get();
            }
            admin.deleteRecords(Map.of(POSITIONS, RecordsToDelete.beforeOffset(50))).all().get();
        }
        KafkaAdmin kafka = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));

        // when the console counts what lies between the group's offset and the end
        try (RecordCounter counter = new RecordCounter(TopicWatch.countingConsumer(kafka), 1_000_000, Duration.ofSeconds(30))) {
            var counted = counter.count(Map.of(POSITIONS, new TreeSet<>(List.of(10L, 100L))));

            // then the group has the 50 records still kept to read, not none
            assertThat(counted).containsKey(POSITIONS);
            assertThat(counted.get(POSITIONS).between(10, 100)).isEqualTo(50);
        }
    }
}

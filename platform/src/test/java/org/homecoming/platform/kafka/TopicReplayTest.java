package org.homecoming.platform.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A replay on a real broker while the registry cannot be reached: no registry runs, the serde points at a closed port. */
class TopicReplayTest {

    /** Magic byte 0, schema id 7, an Avro body: a good record whose schema the replay must look up. */
    private static final byte[] NEEDS_A_LOOK_UP = {0, 0, 0, 0, 7, 2, 'x'};

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KraftBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(TopicProvisioning.declare(Topics.ALERT_DELIVERIES), TopicProvisioning.declare(Topics.ALERTS)))
                    .all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void shouldFailInsteadOfSkippingARecordTheRegistrysAbsenceMadeUnreadable() throws Exception {
        // given a delivery record on the topic, and a registry that cannot be reached
        produce(Topics.ALERT_DELIVERIES, NEEDS_A_LOOK_UP);
        List<ConsumerRecord<?, ?>> handled = new ArrayList<>();

        // when the delivery ledger is rebuilt, then the rebuild fails, naming the record, and has handled nothing
        try (TopicReplay replay = new TopicReplay(consumerConfig())) {
            assertThatThrownBy(() -> replay.toEnd(Topics.ALERT_DELIVERIES, handled::add))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining(Topics.ALERT_DELIVERIES.name() + "-0@0")
                    .hasMessageContaining("schema registry unavailable");
        }
        assertThat(handled).isEmpty();
    }

    @Test
    void shouldStillSkipABadRecord() throws Exception {
        // given a record that is not Avro at all
        produce(Topics.ALERTS, "not Avro".getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<?, ?>> unreadable = new ArrayList<>();

        // when the topic is replayed
        long handled;
        try (TopicReplay replay = new TopicReplay(consumerConfig())) {
            handled = replay.replay(Topics.ALERTS, TopicReplay.TO_END, record -> {
            }, (record, poison) -> unreadable.add(record));
        }

        // then it went to the unreadable handler, as before, and the replay reached the end
        assertThat(handled).isZero();
        assertThat(unreadable).singleElement().satisfies(record -> assertThat(record.offset()).isZero());
    }

    @Test
    void shouldReplayTopicAfterTopicWithEachTopicsRecordsOnly() throws Exception {
        // given two topics with records of their own (not Avro: they reach the unreadable handler, with their topic)
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(TopicProvisioning.declare(Topics.INQUIRIES), TopicProvisioning.declare(Topics.MATCHES)))
                    .all().get();
        }
        for (int i = 0; i < 3; i++) {
            produce(Topics.INQUIRIES, ("inquiry " + i).getBytes(StandardCharsets.UTF_8));
        }
        produce(Topics.MATCHES, "match".getBytes(StandardCharsets.UTF_8));
        List<ConsumerRecord<?, ?>> inquiries = new ArrayList<>();
        List<ConsumerRecord<?, ?>> matches = new ArrayList<>();

        // when one replay reads them one after the other, the first twice
        try (TopicReplay replay = new TopicReplay(consumerConfig())) {
            replay.replay(Topics.INQUIRIES, TopicReplay.TO_END, record -> {
            }, (record, poison) -> inquiries.add(record));
            replay.replay(Topics.MATCHES, TopicReplay.TO_END, record -> {
            }, (record, poison) -> matches.add(record));
            replay.replay(Topics.INQUIRIES, TopicReplay.TO_END, record -> {
            }, (record, poison) -> inquiries.add(record));
        }

        // then each read found its own topic's records, all of them, from the beginning each time
        assertThat(inquiries).hasSize(6).allSatisfy(record -> assertThat(record.topic()).isEqualTo(Topics.INQUIRIES.name()));
        assertThat(inquiries.subList(3, 6)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(matches).singleElement().satisfies(record -> assertThat(record.topic()).isEqualTo(Topics.MATCHES.name()));
    }

    @Test
    void shouldReadOnlyTheRecordsWrittenSinceTheLastRead() throws Exception {
        // given a history topic with two records, read once to its end (records with no value: they need no registry)
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(TopicProvisioning.declare(Topics.AUDIT_EVENTS))).all().get();
        }
        produce(Topics.AUDIT_EVENTS, null);
        produce(Topics.AUDIT_EVENTS, null);
        List<Long> read = new ArrayList<>();
        try (TopicReplay replay = new TopicReplay(consumerConfig())) {
            Map<org.apache.kafka.common.TopicPartition, Long> reached = replay.toEndFrom(Topics.AUDIT_EVENTS, Map.of(),
                    record -> read.add(record.offset()));
            assertThat(read).as("the first read: from the beginning").containsExactly(0L, 1L);
            assertThat(reached).containsEntry(new org.apache.kafka.common.TopicPartition(Topics.AUDIT_EVENTS.name(), 0), 2L);

            // when a third record is written and the topic is read again from where the first read ended
            produce(Topics.AUDIT_EVENTS, null);
            Map<org.apache.kafka.common.TopicPartition, Long> next = replay.toEndFrom(Topics.AUDIT_EVENTS, reached, record -> read.add(record.offset()));

            // then only the third is read, and the next read would start after it
            assertThat(read).containsExactly(0L, 1L, 2L);
            assertThat(next).containsEntry(new org.apache.kafka.common.TopicPartition(Topics.AUDIT_EVENTS.name(), 0), 3L);
            assertThat(replay.toEndFrom(Topics.AUDIT_EVENTS, next, record -> read.add(record.offset()))).isEqualTo(next);
        }
    }

    private static void produce(Topic<?, ?> topic, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), 0, "key-1", value)).get();
        }
    }

    private static Map<String, Object> consumerConfig() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        return RegistryReading.consumerConfig(broker.getBrokersAsString(), closed);
    }
}

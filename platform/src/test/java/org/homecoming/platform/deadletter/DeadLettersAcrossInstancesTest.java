package org.homecoming.platform.deadletter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.micrometer.core.instrument.MeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of one service dead-letter the records of one topic, on a real broker: each record goes to the
 * dead-letter topic once, whichever instance sent it and whenever the other one first looked at the topic.
 */
class DeadLettersAcrossInstancesTest {

    private static final String TOPIC = "intake.test-readings";
    private static final String DEAD_LETTER_TOPIC = TOPIC + "-dlt";

    private static EmbeddedKafkaKraftBroker broker;
    private final List<DeadLetters> instances = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KraftBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1), new NewTopic(DEAD_LETTER_TOPIC, 1, (short) 1)))
                    .all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @AfterEach
    void stopInstances() {
        instances.forEach(DeadLetters::close);
    }

    @Test
    void shouldDeadLetterARecordOnceWhenAnotherInstanceSentItAfterThisOneFirstReadTheTopic() {
        // given two instances, the first of which has read the dead-letter topic already (it sent a letter of its own)
        DeadLetters first = instance();
        DeadLetters second = instance();
        first.accept(record(0, "reading-0"), new IllegalStateException("no bus with this tracker"));

        // when the second instance dead-letters another record, and the first one comes to it later (a rebuild)
        second.accept(record(1, "reading-1"), new IllegalStateException("no bus with this tracker"));
        boolean knownToFirst = first.wasDeadLettered(record(1, "reading-1"));
        first.accept(record(1, "reading-1"), new IllegalStateException("no bus with this tracker"));

        // then the first instance knows of the second one's letter, and each record is in the topic once
        assertThat(knownToFirst).as("the first instance knows the second one's letter").isTrue();
        assertThat(first.wasDeadLettered(record(2, "reading-2"))).as("a record nobody dead-lettered").isFalse();
        assertThat(deadLetterKeys()).filteredOn(key -> key.equals("reading-0") || key.equals("reading-1"))
                .containsExactly("reading-0", "reading-1");
    }

    @Test
    void shouldLearnWhatWasDeadLetteredBeforeItStarted() {
        // given a letter sent by an instance that has stopped since
        DeadLetters before = instance();
        before.accept(record(10, "reading-10"), new IllegalStateException("no bus with this tracker"));
        before.close();

        // when a new instance reads the same record again, then it sends no second copy
        DeadLetters after = instance();
        assertThat(after.wasDeadLettered(record(10, "reading-10"))).isTrue();
        after.accept(record(10, "reading-10"), new IllegalStateException("no bus with this tracker"));
        assertThat(deadLetterKeys()).filteredOn("reading-10"::equals).hasSize(1);
    }

    private DeadLetters instance() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(broker.getBrokersAsString()));
        // only byte[] values are sent here, but the Avro serializer beside them is configured all the same
        kafka.getProperties().put("apicurio.registry.url", "http://127.0.0.1:9/apis/registry/v3");
        DeadLetters deadLetters = new DeadLetterPolicy().deadLetters(kafka,
                new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class), List.of());
        instances.add(deadLetters);
        return deadLetters;
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String key) {
        return new ConsumerRecord<>(TOPIC, 0, offset, key, new byte[] {1, 2, 3});
    }

    private static List<String> deadLetterKeys() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(DEAD_LETTER_TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(letter -> keys.add(letter.key()));
            }
        }
        return keys;
    }
}

package org.homecoming.console.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.testkit.KafkaAndRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaAndRegistry.class)
class PictureCatchUpTest {

    private static final TopicPartition ARRIVALS_0 = new TopicPartition("transport.person-arrivals", 0);
    private static final TopicPartition ALERTS_0 = new TopicPartition("reunification.alerts", 0);

    private final PictureCatchUp catchUp = new PictureCatchUp();
    private final PictureHealthIndicator health = new PictureHealthIndicator(catchUp);

    @Test
    void shouldSayNotReadyUntilEveryPartitionIsFoldedToTheEndItHadAtTheStart() {
        MockConsumer<String, Object> consumer = new MockConsumer<>("earliest");
        // before the group gave the console its partitions, nothing is folded
        catchUp.setupThreadState(consumer);
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        consumer.assign(List.of(ARRIVALS_0, ALERTS_0));
        consumer.updateBeginningOffsets(Map.of(ARRIVALS_0, 0L, ALERTS_0, 0L));
        consumer.updateEndOffsets(Map.of(ARRIVALS_0, 3L, ALERTS_0, 2L));
        catchUp.setupThreadState(consumer);
        assertThat(health.health().getStatus()).as("nothing folded yet").isEqualTo(Status.OUT_OF_SERVICE);

        consumer.seek(ARRIVALS_0, 3);
        catchUp.setupThreadState(consumer);
        assertThat(health.health().getStatus()).as("the arrivals folded, the alerts not").isEqualTo(Status.OUT_OF_SERVICE);

        // the live traffic goes on meanwhile: the console need not catch up with records written after its start
        consumer.updateEndOffsets(Map.of(ARRIVALS_0, 40L, ALERTS_0, 20L));
        consumer.seek(ALERTS_0, 2);
        catchUp.setupThreadState(consumer);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        // and a burst of traffic later is lag, not a reason to take the console out of service
        consumer.seek(ARRIVALS_0, 3);
        catchUp.setupThreadState(consumer);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldSayReadyOnceATransactionalTopicIsFoldedUpToItsLastCommitMarker() throws Exception {
        // given a topic whose three records were written in transactions, so that it ends in a commit marker that no
        // record's offset reaches
        String topic = "console-catch-up-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (int i = 0; i < 3; i++) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "bus-" + i, "arrived"));
                producer.commitTransaction();
            }
        }

        // when a read_committed consumer folds it, told before every poll as the listener container tells it
        TopicPartition partition = new TopicPartition(topic, 0);
        int folded = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!catchUp.caughtUp() && System.nanoTime() < deadline) {
                catchUp.setupThreadState(consumer);
                folded += consumer.poll(Duration.ofMillis(200)).count();
            }
        }

        // then it is ready, having folded every record: the last one's offset + 1 is short of the end by the marker
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(folded).isEqualTo(3);
    }
}

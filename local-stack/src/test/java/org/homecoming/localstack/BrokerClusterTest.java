package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.RegistryJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local stack's three-node cluster ({@code --brokers=3}) as real processes on free ports: every catalogue topic
 * replicated three times with two in sync required, and one node killed with SIGKILL taking no acknowledged write
 * with it and refusing no new one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerClusterTest {

    private static KafkaBrokerProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ThreeKraftNodes.start("broker-cluster-test");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldReplicateEveryCatalogueTopicThreeTimesWithTwoInSync() throws Exception {
        // given the catalogue's topics, their dead-letter topics and the registry's journal, as the launcher created them
        List<String> names = new ArrayList<>(RegistryJournal.TOPICS);
        for (Topic<?, ?> topic : Topics.all(KafkaCredentials.partners())) {
            names.add(topic.name());
            names.add(topic.deadLetterTopic());
        }

        // when their replicas and their configuration are read from the cluster; a node learns of a topic a moment after
        // the controller created it, so a node that has not yet answers "unknown topic" and the reading is repeated
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
                Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);

                // then every partition has three replicas, all in sync, and every topic wants two in sync for a write
                assertThat(cluster.nodes()).isEqualTo(3);
                assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(names);
                assertThat(described.values()).allSatisfy(topic -> assertThat(topic.partitions()).allSatisfy(partition -> {
                    assertThat(partition.replicas()).as(topic.name() + " replicas").hasSize(3);
                    assertThat(partition.isr()).as(topic.name() + " in sync").hasSize(3);
                }));
                assertThat(configs.entrySet()).allSatisfy(topic -> assertThat(topic.getValue()
                        .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).as(topic.getKey().name()).isEqualTo("2"));
            });
        }
    }

    @Test
    @Order(2) // it kills a node: the replication above is read from the whole cluster first
    void shouldKeepWritingAndReadingCommittedWhenOneNodeIsKilled() throws Exception {
        // given an arrival written in a transaction with acks=all before anything went wrong
        Topic<?, ?> arrivals = Topics.PERSON_ARRIVALS;
        String before = "before-" + UUID.randomUUID();
        RecordMetadata written = writeInTransaction(arrivals, before);

        // when the node that leads the partition it went to is killed with SIGKILL
        int leader;
        try (Admin admin = admin()) {
            leader = admin.describeTopics(List.of(arrivals.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(arrivals.name()).partitions().get(written.partition()).leader().id();
        }
        cluster.process(leader).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        String after = "after-" + UUID.randomUUID();

        // then a transactional producer with acks=all still writes (two replicas of three are left: min.insync.replicas)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> writeInTransaction(arrivals, after));
        // and a read_committed consumer reads both the write from before and the one from after
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(TopicAccess.REUNIFICATION)) {
            consumer.subscribe(List.of(arrivals.name()));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(record.key());
                }
                assertThat(read).contains(before, after);
            });
        }
        // and every partition that node led has a new leader among the two left
        try (Admin admin = admin()) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(arrivals.name())).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described.get(arrivals.name()).partitions()).allSatisfy(partition -> {
                assertThat(partition.leader()).isNotNull();
                assertThat(partition.leader().id()).isNotEqualTo(leader);
            });
        }
    }

    /** As transport, the one writer of arrivals: one record in one transaction, acknowledged by two replicas at least. */
    private static RecordMetadata writeInTransaction(Topic<?, ?> topic, String key) throws Exception {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig(TopicAccess.TRANSPORT));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TopicAccess.TRANSPORT + "-cluster-test-" + UUID.randomUUID());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            RecordMetadata written = producer.send(new ProducerRecord<>(topic.name(), key, "arrival of " + key)).get(30, TimeUnit.SECONDS);
            producer.commitTransaction();
            return written;
        }
    }

    private static KafkaConsumer<String, String> consumer(String principal) {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig(principal));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, principal + "-cluster-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin() {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig(KafkaCredentials.ADMIN));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(config);
    }
}

package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.kafka.common.internals.Topic.TRANSACTION_STATE_TOPIC_NAME;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.kafka.AbandonedTransactions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AbandonedTransactions} on the local stack's three-node cluster in the seconds after one node was killed with
 * SIGKILL: the node stays in the metadata until the controller fences it (the brokers' default session timeout, 9 s),
 * and the admin client keeps asking it for its open transactions meanwhile. A transaction a dead instance left open,
 * coordinated and written on live nodes, must still be fenced within the caller's time. Before, the listing waited on
 * the dead node for the whole 10 s and nothing was fenced. One the dead node coordinated is fenced only by a later fence,
 * once its coordinator has moved.
 */
class AbandonedTransactionsClusterTest {

    private static final Logger log = LoggerFactory.getLogger(AbandonedTransactionsClusterTest.class);
    /** What the services' fence() waits at most (AbandonedTransactions' own limit). */
    private static final Duration FENCE_WITHIN = Duration.ofSeconds(10);
    private static final Duration ABANDONED_AFTER = Duration.ofSeconds(2);
    /** How long after the kill the fence is called: well inside the 9 s before the controller fences the dead node. */
    private static final Duration HELD_FOR = Duration.ofSeconds(3);

    private static KafkaBrokerProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ThreeKraftNodes.start("abandoned-transactions-cluster-test");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldFenceATransactionLeftOpenOnLiveNodesWithinTheCallersTimeWhileAKilledNodeIsNotYetFenced() throws Exception {
        // given: a transport instance's transaction, written to a partition and coordinated on live nodes, left open
        // (the instance "died" in it) longer than the services' abandoned-after
        Topic<?, ?> arrivals = Topics.PERSON_ARRIVALS;
        String transactionalId = TopicAccess.TRANSPORT + "-dead-instance-" + UUID.randomUUID();
        try (Admin admin = admin(); KafkaProducer<String, String> deadInstance = producer(transactionalId);
             KafkaConsumer<String, String> reader = readCommitted();
             AbandonedTransactions abandoned = new AbandonedTransactions(cluster.clientConfig(TopicAccess.TRANSPORT),
                     ABANDONED_AFTER, id -> id.startsWith(TopicAccess.TRANSPORT + "-"))) {
            deadInstance.initTransactions();
            int coordinator = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(30, TimeUnit.SECONDS).coordinatorId();
            int victim = victim(admin, coordinator);
            TopicPartitionInfo partition = admin.describeTopics(List.of(arrivals.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(arrivals.name()).partitions().stream()
                    .filter(candidate -> candidate.leader() != null && candidate.leader().id() != victim)
                    .min(Comparator.comparing(candidate -> candidate.leader().id() == coordinator ? 0 : 1)).orElseThrow();
            deadInstance.beginTransaction();
            RecordMetadata written = deadInstance.send(new ProducerRecord<>(arrivals.name(), partition.partition(),
                    "person-" + UUID.randomUUID(), "arrival in a transaction its instance never ends")).get(30, TimeUnit.SECONDS);
            TopicPartition held = new TopicPartition(arrivals.name(), written.partition());
            // and another one left open whose coordinator is the node that will be killed (on another partition if any)
            String orphanId = idCoordinatedBy(admin, victim);
            try (KafkaProducer<String, String> orphanInstance = producer(orphanId)) {
                orphanInstance.initTransactions();
                assertThat(admin.describeTransactions(List.of(orphanId)).description(orphanId).get(30, TimeUnit.SECONDS).coordinatorId())
                        .as("coordinator of %s", orphanId).isEqualTo(victim);
                int orphanPartition = admin.describeTopics(List.of(arrivals.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(arrivals.name()).partitions().stream()
                        .filter(candidate -> candidate.leader() != null && candidate.leader().id() != victim)
                        .min(Comparator.comparing(candidate -> candidate.partition() == held.partition() ? 1 : 0))
                        .orElseThrow().partition();
                orphanInstance.beginTransaction();
                orphanInstance.send(new ProducerRecord<>(arrivals.name(), orphanPartition, "person-" + UUID.randomUUID(),
                        "arrival in a transaction coordinated by the node that dies")).get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(openLongerThanAbandonedAfter(admin)).contains(transactionalId, orphanId));

                // when: another node (neither its coordinator nor the partition's leader) is killed with SIGKILL
                long killed = System.nanoTime();
                assertThat(cluster.process(victim).destroyForcibly().waitFor(30, TimeUnit.SECONDS)).as("node %d ended", victim).isTrue();
                // and, some seconds on, a service's reader is still held by the open transaction, and the controller has not yet
                // fenced the dead node (its session timeout is Kafka's default 9 s). Not at the very instant of the kill: no
                // fence can complete before the controller fences that node (the abort must reach every in-sync replica,
                // the dead one included until then), so a fence begun at the kill ends on the edge of its 10 s
                await().pollDelay(HELD_FOR).atMost(HELD_FOR.plusSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(reader.endOffsets(List.of(held), Duration.ofSeconds(5)).get(held))
                                .as("read_committed end of %s, held by the open transaction", held).isEqualTo(written.offset()));
                assertThat(admin.describeCluster().nodes().get(5, TimeUnit.SECONDS)).as("unfenced nodes")
                        .anySatisfy(node -> assertThat(node.id()).isEqualTo(victim));
                // and then that service fences its transactions open longer than abandoned-after
                long called = System.nanoTime();
                List<String> fenced = abandoned.fence();
                long returned = System.nanoTime();
                log.info("Node {} killed (coordinator {}, leader of {}: {}); fence() called {} ms after the kill, returned {} after {} ms,"
                                + " {} ms after the kill", victim, coordinator, held, partition.leader().id(),
                        TimeUnit.NANOSECONDS.toMillis(called - killed), fenced, TimeUnit.NANOSECONDS.toMillis(returned - called),
                        TimeUnit.NANOSECONDS.toMillis(returned - killed));

                // then: the open transaction is fenced, and the call kept to the caller's time; the one the dead node coordinates
                // is not (only that node lists it, and its fence needs a coordinator)
                assertThat(fenced).as("ids fenced in the seconds after node %d was killed", victim).contains(transactionalId)
                        .doesNotContain(orphanId);
                assertThat(Duration.ofNanos(returned - called)).isLessThan(FENCE_WITHIN.plusSeconds(1));
                // and the dead instance's producer can no longer commit it
                assertThatThrownBy(deadInstance::commitTransaction).isInstanceOf(KafkaException.class);
                // and the reader is no longer held: the partition's last stable offset passes the record
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                        assertThat(reader.endOffsets(List.of(held), Duration.ofSeconds(10)).get(held))
                                .as("read_committed end of %s", held).isGreaterThan(written.offset()));
                // and once the controller has fenced the dead node and its transactions have a new coordinator, a later fence
                // ends the other one too
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(abandoned.fence()).contains(orphanId));
                log.info("The transaction node {} coordinated was fenced {} ms after the kill", victim,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                assertThatThrownBy(orphanInstance::commitTransaction).isInstanceOf(KafkaException.class);
            }
        }
    }

    /**
     * A transactional id of the test's principal whose coordinator is {@code node}: the leader of its partition of
     * {@code __transaction_state}, chosen as Kafka's TransactionStateManager.partitionFor does.
     */
    private static String idCoordinatedBy(Admin admin, int node) throws Exception {
        List<TopicPartitionInfo> state = admin.describeTopics(List.of(TRANSACTION_STATE_TOPIC_NAME)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(TRANSACTION_STATE_TOPIC_NAME).partitions();
        for (int tried = 0; tried < 1000; tried++) {
            String id = TopicAccess.TRANSPORT + "-orphan-" + UUID.randomUUID();
            TopicPartitionInfo partition = state.get(Utils.abs(id.hashCode()) % state.size());
            if (partition.leader() != null && partition.leader().id() == node) {
                return id;
            }
        }
        throw new IllegalStateException("No transactional id found whose coordinator is node " + node);
    }

    /** A node to kill: not {@code coordinator} and, if there is one, not the active controller. */
    private static int victim(Admin admin, int coordinator) throws Exception {
        int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        List<Integer> others = new ArrayList<>();
        for (int node = 1; node <= cluster.nodes(); node++) {
            if (node != coordinator) {
                others.add(node);
            }
        }
        // the active controller's death would add an election to the seconds before the dead node is fenced
        return others.stream().filter(node -> node != controller).findFirst().orElse(others.get(0));
    }

    private static List<String> openLongerThanAbandonedAfter(Admin admin) throws Exception {
        return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING))
                        .filterOnDuration(ABANDONED_AFTER.toMillis()))
                .all().get(10, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId).toList();
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig(TopicAccess.TRANSPORT));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> readCommitted() {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig(TopicAccess.REUNIFICATION));
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

package org.homecoming.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import org.homecoming.platform.security.Roles;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.transport.Movement;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.homecoming.console.Events.T0;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The console against the real broker and registry: events produced on the topics show on the dashboard. */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = {OpsConsoleApplication.CONFIG_NAME,
        "homecoming.console.topic-poll-interval=300ms", "homecoming.console.rate-window=10s"})
@AutoConfigureMockMvc
@WithMockUser(username = "demo-ops", roles = Roles.OPS_VIEWER)
class OpsConsoleIntegrationTest {

    // Awaitility polls on a thread of its own, where the class's @WithMockUser does not reach: each call signs in
    private static final RequestPostProcessor OPS = user("demo-ops").roles(Roles.OPS_VIEWER);

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    MockMvc mvc;

    @Test
    void shouldShowTheFunnelOfARoundFromTheEventsOnTheTopics() throws Exception {
        // given a round with four persons listed and one of them withdrawn
        String round = "round-it-" + UUID.randomUUID();
        String p1 = round + "-p1";
        String p2 = round + "-p2";
        String p3 = round + "-p3";
        String p4 = round + "-p4";
        TopicProbe.produce(Topics.EXCHANGE_ROUNDS, round, Events.round(round, 1, 390));
        for (String person : List.of(p1, p2, p3, p4)) {
            TopicProbe.produce(Topics.LISTED_PERSONS, person, Events.listed(person, round));
        }
        TopicProbe.produce(Topics.LISTED_PERSONS, p4, Events.listing(p4, round, ListingChange.WITHDRAWN));
        // and two of them on a bus that crossed the border, one handed over with a verified identity
        String bus = round + "-bus";
        TopicProbe.produce(Topics.BUS_MANIFESTS, bus, Events.manifest(bus, round, p1, p2));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, bus, Events.movement(bus, round, Movement.BORDER_CROSSED,
                T0, 51.91, 31.10, "Border crossing"));
        TopicProbe.produce(Topics.PERSON_ARRIVALS, p1, Events.handedOver(p1, bus, round, true));
        // and p1 matched and alerted, p2 waiting for review
        TopicProbe.produce(Topics.MATCHES, "i1", Events.match(round + "-m1", "i1", p1, MatchStatus.AUTO_MATCHED));
        TopicProbe.produce(Topics.MATCHES, "i2", Events.match(round + "-m2", "i2", p2, MatchStatus.REVIEW_REQUESTED));
        String alert = round + "-a1";
        TopicProbe.produce(Topics.ALERTS, "i1", Events.alert(alert, "i1", p1));
        TopicProbe.produce(Topics.ALERT_DELIVERIES, alert, Events.delivery(alert, "i1", 1, DeliveryOutcome.DELIVERED));

        // then the dashboard shows exactly these figures
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String dashboard = dashboard();
            assertThat(read(dashboard, "$.rounds[?(@.roundId == '" + round + "')].funnel"))
                    .as("funnel of %s", round)
                    .containsExactly(Map.of("listed", 3, "onBus", 2, "crossedBorder", 2, "arrived", 1,
                            "identityVerified", 1, "matched", 1, "alerted", 1));
            assertThat(read(dashboard, "$.rounds[?(@.roundId == '" + round + "')].plannedPersons")).containsExactly(390);
            assertThat(read(dashboard, "$.buses[?(@.bus.busId == '" + bus + "')].bus.state")).containsExactly("BORDER_CROSSED");
            assertThat(read(dashboard, "$.buses[?(@.bus.busId == '" + bus + "')].mapPoint.inside")).containsExactly(true);
        });
        String dashboard = dashboard();
        assertThat(dashboard).as("no name of a listed person reaches the dashboard")
                .doesNotContain("Тестенко").doesNotContain("Іван");
        assertThat((Integer) JsonPath.read(dashboard, "$.alerts.reviewQueue")).isGreaterThanOrEqualTo(1);
        assertThat((Integer) JsonPath.read(dashboard, "$.alerts.delivered")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldSkipAndCountAnUnreadableRecordWithoutDeadLetteringIt() throws Exception {
        // given a record that is not Avro at all, followed by a good one on the same topic
        String round = "round-poison-" + UUID.randomUUID();
        String person = round + "-p1";
        long unreadableBefore = JsonPath.<Integer>read(dashboard(), "$.unreadableRecords");
        TopicProbe.produceRaw(Topics.LISTED_PERSONS.name(), person, "not avro".getBytes());
        TopicProbe.produce(Topics.LISTED_PERSONS, person, Events.listed(person, round));

        // then the console goes on past it and counts it
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String dashboard = dashboard();
            assertThat(read(dashboard, "$.rounds[?(@.roundId == '" + round + "')].funnel.listed"))
                    .as("the good record after the poison one is read").containsExactly(1);
            assertThat(JsonPath.<Integer>read(dashboard, "$.unreadableRecords")).isGreaterThan((int) unreadableBefore);
        });
        // and, being a read-only observer, it writes nothing to roster's dead-letter topic
        assertThat(TopicProbe.readRaw(Topics.LISTED_PERSONS.deadLetterTopic()))
                .noneSatisfy(record -> assertThat(record.key()).isEqualTo(person));
    }

    @Test
    void shouldShowDeadLetterCountsRatesAndTheLagOfEachConsumerGroup() throws Exception {
        // given two records in a dead-letter topic
        String dlt = Topics.MATCHES.deadLetterTopic();
        long before = deadLetters(dashboardWhenTopicsRead(), dlt);
        TopicProbe.produceRaw(dlt, "dead-1", "x".getBytes());
        TopicProbe.produceRaw(dlt, "dead-2", "y".getBytes());
        // and a consumer group that committed offset 0 on every partition of a topic with records
        String group = "lagging-" + UUID.randomUUID();
        TopicProbe.produce(Topics.BUS_POSITIONS, "bus-lag", Events.position("bus-lag", "round-lag", 52.0, 31.0, T0));
        long expectedLag;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < Topics.BUS_POSITIONS.partitions(); partition++) {
                TopicPartition tp = new TopicPartition(Topics.BUS_POSITIONS.name(), partition);
                zero.put(tp, new OffsetAndMetadata(0));
                latest.put(tp, OffsetSpec.latest());
            }
            admin.alterConsumerGroupOffsets(group, zero).all().get(10, TimeUnit.SECONDS);
            expectedLag = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }

        // then
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String dashboard = dashboard();
            assertThat(deadLetters(dashboard, dlt)).as("records in %s", dlt).isEqualTo(before + 2);
            assertThat(read(dashboard, "$.topics.consumerGroups[?(@.groupId == '" + group + "')].lag"))
                    .as("lag of %s: every record of %s", group, Topics.BUS_POSITIONS.name())
                    .containsExactly((int) expectedLag);
            assertThat(read(dashboard, "$.topics.topics[?(@.topic == '" + Topics.BUS_POSITIONS.name() + "')].recordsPerSecond"))
                    .as("records/s of a topic just written to").singleElement()
                    .satisfies(rate -> assertThat(((Number) rate).doubleValue()).isPositive());
        });
        // and Prometheus gets the same lag
        String metrics = mvc.perform(get("/actuator/prometheus").with(OPS)).andReturn().getResponse().getContentAsString();
        assertThat(metrics).contains("homecoming_consumer_group_lag{group=\"" + group + "\"} " + (double) expectedLag);
    }

    @Test
    void shouldCountRecordsNotOffsetsOnATransactionalTopic() throws Exception {
        // given three transactions of one record each, committed, then one aborted, all on one partition of a
        // topic that nothing else in this test JVM writes to
        String topic = Topics.FACILITY_ADMISSIONS.name();
        long heldBefore = held(dashboardWhenTopicsRead(), topic);
        String key = "admission-" + UUID.randomUUID();
        List<RecordMetadata> committed = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "console-it-" + key), new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int i = 0; i < 3; i++) {
                producer.beginTransaction();
                committed.add(producer.send(new ProducerRecord<>(topic, key, new byte[] {(byte) i})).get());
                producer.commitTransaction();
            }
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key, new byte[] {9})).get();
            producer.abortTransaction();
        }
        TopicPartition partition = new TopicPartition(topic, committed.get(0).partition());
        // and a group that has read all of it (it committed after the last record it processed, as a
        // read-process-write transaction does) and one that has processed the first record only
        String settled = "settled-" + UUID.randomUUID();
        String behind = "behind-" + UUID.randomUUID();
        long end;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(settled, Map.of(partition, new OffsetAndMetadata(committed.get(2).offset() + 1)))
                    .all().get(10, TimeUnit.SECONDS);
            admin.alterConsumerGroupOffsets(behind, Map.of(partition, new OffsetAndMetadata(committed.get(0).offset() + 1)))
                    .all().get(10, TimeUnit.SECONDS);
            end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS)
                    .get(partition).offset();
        }
        assertThat(end - (committed.get(2).offset() + 1)).as("offsets past the settled group: a commit marker, the "
                + "aborted record and its abort marker").isEqualTo(3);

        // then the console counts records a read_committed consumer reads: no marker, no aborted record
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String dashboard = dashboard();
            assertThat(read(dashboard, "$.topics.consumerGroups[?(@.groupId == '" + settled + "')].lag"))
                    .as("lag of a group that has read everything").containsExactly(0);
            assertThat(read(dashboard, "$.topics.consumerGroups[?(@.groupId == '" + behind + "')].lag"))
                    .as("lag of a group with two committed records still to read").containsExactly(2);
            assertThat(read(dashboard, "$.topics.consumerGroups[?(@.groupId == '" + behind + "')].exact"))
                    .containsExactly(true);
            assertThat(held(dashboard, topic)).as("records held by %s: the three committed ones", topic)
                    .isEqualTo(heldBefore + 3);
        });
        // and Prometheus gets the same lag
        String metrics = mvc.perform(get("/actuator/prometheus").with(OPS)).andReturn().getResponse().getContentAsString();
        assertThat(metrics).contains("homecoming_consumer_group_lag{group=\"" + settled + "\"} 0.0")
                .contains("homecoming_consumer_group_lag{group=\"" + behind + "\"} 2.0");
    }

    @Test
    void shouldSayItIsReadyOnlyOnceItHasFoldedItsTopicsAndStayLiveMeanwhile() throws Exception {
        // the fold decides readiness: a load balancer sends no viewer to a console that shows half the operation
        await().atMost(TIMEOUT).untilAsserted(() -> mvc.perform(get("/actuator/health/readiness").with(OPS))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.picture.status").value("UP")));
        // and not liveness: a long fold is no reason to restart the console
        mvc.perform(get("/actuator/health/liveness").with(OPS))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.picture").doesNotExist());
    }

    @Test
    void shouldExposeConsumerLagAndDeadLetterMetricsToPrometheus() {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String metrics = mvc.perform(get("/actuator/prometheus").with(OPS)).andReturn().getResponse().getContentAsString();
            assertThat(metrics)
                    .contains("kafka_consumer_fetch_manager_records_lag_max")
                    .contains("homecoming_dead_letters_total{topic=\"" + Topics.LISTED_PERSONS.name() + "\"}")
                    .contains("homecoming_dead_letter_records{topic=\"" + Topics.MATCHES.deadLetterTopic() + "\"}")
                    .contains("homecoming_topic_end_offset_total{topic=\"" + Topics.LISTED_PERSONS.name() + "\"}");
        });
    }

    private String dashboard() throws Exception {
        return mvc.perform(get("/api/v1/dashboard").accept(MediaType.APPLICATION_JSON).with(OPS)).andReturn().getResponse()
                .getContentAsString();
    }

    private String dashboardWhenTopicsRead() {
        return await().atMost(TIMEOUT).until(this::dashboard, body -> JsonPath.read(body, "$.topics.readAt") != null);
    }

    private static long deadLetters(String dashboard, String topic) {
        List<Integer> records = JsonPath.read(dashboard, "$.topics.deadLetters[?(@.topic == '" + topic + "')].records");
        assertThat(records).as("dead-letter topic %s on the dashboard", topic).hasSize(1);
        return records.get(0);
    }

    private static long held(String dashboard, String topic) {
        List<Integer> records = JsonPath.read(dashboard, "$.topics.topics[?(@.topic == '" + topic + "')].records");
        assertThat(records).as("topic %s on the dashboard", topic).hasSize(1);
        return records.get(0);
    }

    private static List<Object> read(String json, String path) {
        return JsonPath.read(json, path);
    }
}

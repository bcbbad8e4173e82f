package org.homecoming.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A service's start-up (Boot's Kafka auto-configuration and the platform's topic provisioning) against a real broker
 * on which someone already made topics: by hand, as a partner, or with an older deployment. Each test has a broker of
 * its own, since topic names are the catalogue's.
 */
class TopicCheckIntegrationTest {

    EmbeddedKafkaKraftBroker broker;
    Admin admin;

    @BeforeEach
    void startAnEmptyBroker() {
        broker = KraftBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
    }

    @AfterEach
    void stopTheBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void shouldRefuseToStartOnACompactedTopicWithFewerPartitionsAndLeaveItsPartitionsAlone() throws Exception {
        // given inquiries made by hand with 3 partitions instead of the catalogue's 6
        create(new NewTopic(Topics.INQUIRIES.name(), 3, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));

        // when a service starts on that broker
        service().run(context -> {
            // then it refuses, naming the topic and both counts, and says not to add partitions
            assertThat(context).hasFailed();
            assertThat(refusal(context.getStartupFailure()))
                    .contains("reunification.inquiries: partitions is 3, the catalogue says 6")
                    .contains("recreate the topic with 6 partitions")
                    .contains("Never add partitions");
        });

        // and the topic still has its 3 partitions: no key moved
        assertThat(describe(Topics.INQUIRIES.name()).partitions()).hasSize(3);
    }

    @Test
    void shouldRefuseToStartOnACompactedTopicThatDeletesAndLeaveItsPolicyAlone() throws Exception {
        // given inquiries with the catalogue's partitions but cleanup.policy=delete (a hand-made kafka-topics.sh --create)
        create(new NewTopic(Topics.INQUIRIES.name(), Topics.INQUIRIES.partitions(), (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)));

        // when a service starts on that broker
        service().run(context -> {
            // then it refuses and says which setting to change, and how
            assertThat(context).hasFailed();
            assertThat(refusal(context.getStartupFailure()))
                    .contains("reunification.inquiries: cleanup.policy is delete, the catalogue says compact")
                    .contains("--entity-name reunification.inquiries --add-config cleanup.policy=compact");
        });

        // and the decision is left to the operator: the policy was not changed behind their back
        assertThat(cleanupPolicy(Topics.INQUIRIES.name())).isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
    }

    @Test
    void shouldListEveryDifferenceInOneRefusal() throws Exception {
        // given an older deployment's topics: alerts kept a week, matches with 8 partitions, a dead-letter topic with 3
        create(new NewTopic(Topics.ALERTS.name(), Topics.ALERTS.partitions(), (short) 1)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "604800000")),
                new NewTopic(Topics.MATCHES.name(), 8, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                new NewTopic(Topics.AUDIT_EVENTS.deadLetterTopic(), 3, (short) 1));

        // when a service starts on that broker
        service().run(context -> {
            // then one message lists all three, with what to do for each
            assertThat(context).hasFailed();
            assertThat(refusal(context.getStartupFailure()))
                    .contains("3 Kafka topic settings differ from the topic catalogue")
                    .contains("reunification.alerts: retention.ms is 604800000, the catalogue says -1")
                    .contains("after checking that no record has expired yet")
                    .contains("reunification.matches: partitions is 8, the catalogue says 6")
                    .contains("audit.events-dlt: partitions is 3, the catalogue says at least 6")
                    .contains("kafka-topics.sh --alter --topic audit.events-dlt --partitions 6");
        });

        // and nothing was changed on the cluster
        assertThat(describe(Topics.MATCHES.name()).partitions()).hasSize(8);
        assertThat(describe(Topics.AUDIT_EVENTS.deadLetterTopic()).partitions()).hasSize(3);
    }

    @Test
    void shouldRefuseToStartOnATopicNoWriteCanReachBecauseItHasFewerReplicasThanInSyncRequired() throws Exception {
        // given alerts made by hand with one replica and min.insync.replicas=2: every acks=all write would be refused
        create(new NewTopic(Topics.ALERTS.name(), Topics.ALERTS.partitions(), (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")));

        // when a service starts on that broker
        service().run(context -> {
            // then it refuses, instead of starting healthy and failing every publication
            assertThat(context).hasFailed();
            assertThat(refusal(context.getStartupFailure()))
                    .contains("reunification.alerts: replicas is 1, the catalogue says at least 2")
                    .contains("every write to it is refused");
        });
    }

    @Test
    void shouldCreateTheMissingTopicsAndStartAgainOnThem() throws Exception {
        // given one topic made ahead as the catalogue says (as the local stack's launcher makes them), the rest missing
        create(TopicProvisioning.declare(Topics.INQUIRIES));

        // when a service starts, then it starts and every catalogue topic exists as declared
        service().run(context -> assertThat(context).hasNotFailed());
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        for (Topic<?, ?> topic : Topics.ALL) {
            assertThat(names).contains(topic.name(), topic.deadLetterTopic());
            assertThat(describe(topic.name()).partitions()).as(topic.name()).hasSize(topic.partitions());
        }
        assertThat(cleanupPolicy(Topics.INQUIRIES.name())).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);

        // and a second service (or a restart) starts on the topics the first one made
        service().run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void shouldCreateEachConfiguredPartnersIntakeTopicAndRefuseOneMadeOtherwise() throws Exception {
        // given partner-b's intake topic made by hand with 2 partitions, and no shared intake topic anywhere
        Topic<?, ?> partnerA = Topics.busPositionIntake("partner-a");
        Topic<?, ?> partnerB = Topics.busPositionIntake("partner-b");
        create(new NewTopic(partnerB.name(), 2, (short) 1));

        // when a service configured with both partners starts, then it refuses, naming partner-b's topic
        service().withPropertyValues("homecoming.partners=partner-a,partner-b").run(context -> {
            assertThat(context).hasFailed();
            assertThat(refusal(context.getStartupFailure()))
                    .contains("intake.bus-positions.partner-b: partitions is 2, the catalogue says 6");
        });

        // and partner-a's intake topic and dead-letter topic were made as the catalogue says, a day's retention included
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(names).contains("intake.bus-positions.partner-a", "intake.bus-positions.partner-a-dlt")
                .doesNotContain("intake.bus-positions");
        assertThat(describe(partnerA.name()).partitions()).hasSize(6);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, partnerA.name());
        assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("86400000");
    }

    private ApplicationContextRunner service() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
                .withUserConfiguration(TopicProvisioning.class)
                .withPropertyValues("spring.kafka.bootstrap-servers=" + broker.getBrokersAsString());
    }

    /** Every message of the start-up failure and its causes: what an operator reads in the log. */
    private static String refusal(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return String.join("\n", messages);
    }

    private void create(NewTopic... topics) throws Exception {
        admin.createTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
    }

    private TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private String cleanupPolicy(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }
}

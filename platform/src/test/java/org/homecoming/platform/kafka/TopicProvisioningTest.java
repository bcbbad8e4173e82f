package org.homecoming.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.homecoming.catalogue.Topics;
import org.junit.jupiter.api.Test;

class TopicProvisioningTest {

    @Test
    void shouldLeaveReplicationToTheBrokerByDefault() {
        // when a topic is declared without replication settings (a single broker)
        NewTopic declared = TopicProvisioning.declare(Topics.PERSON_ARRIVALS);

        // then the broker's default.replication.factor and min.insync.replicas apply
        assertThat(declared.replicationFactor()).isEqualTo((short) -1);
        assertThat(declared.configs()).doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    }

    @Test
    void shouldDeclareEveryTopicAndDeadLetterTopicWithTheClustersReplication() {
        // when the catalogue is declared with a three-node cluster's settings
        List<NewTopic> topics = TopicProvisioning.declareAll(3, 2);

        // then every topic and every dead-letter topic has three replicas and wants two in sync
        assertThat(topics).hasSize(2 * Topics.ALL.size());
        assertThat(topics).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).as(topic.name()).isEqualTo((short) 3);
            assertThat(topic.configs()).as(topic.name()).containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        });
    }
}

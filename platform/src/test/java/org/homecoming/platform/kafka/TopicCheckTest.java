package org.homecoming.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.TopicConfig;
import org.homecoming.catalogue.Topics;
import org.junit.jupiter.api.Test;

/** What the start-up check makes of a topic's settings as the broker describes them. */
class TopicCheckTest {

    @Test
    void shouldFindNothingWrongWithAHistoryAsTheCatalogueSays() {
        // given alerts with 6 partitions, deleting, kept forever, two replicas in sync
        Config config = config(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete", TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2"));

        // then on a cluster that wants two in sync there is no difference
        assertThat(TopicCheck.differences(Topics.ALERTS, 6, config, 2)).isEmpty();
    }

    @Test
    void shouldRefuseACompactedTopicThatAlsoDeletes() {
        // given inquiries compacted and deleted (compact,delete): latest values would expire with the broker's retention
        Config config = config(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete", TopicConfig.RETENTION_MS_CONFIG, "604800000"));

        // then the policy is reported, and the retention is not (the catalogue names none for a compacted topic)
        assertThat(TopicCheck.differences(Topics.INQUIRIES, 6, config, 0))
                .extracting(TopicCheck.Difference::toString)
                .singleElement().asString()
                .startsWith("reunification.inquiries: cleanup.policy is compact,delete, the catalogue says compact.");
    }

    @Test
    void shouldRefuseAHistoryThatIsCompacted() {
        // given the matches history compacted: rejections of one inquiry would shrink to the last one
        Config config = config(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact", TopicConfig.RETENTION_MS_CONFIG, "-1"));

        assertThat(TopicCheck.differences(Topics.MATCHES, 6, config, 0))
                .extracting(TopicCheck.Difference::toString)
                .singleElement().asString()
                .contains("reunification.matches: cleanup.policy is compact, the catalogue says delete")
                .contains("compaction may already have removed all but the latest record of each key");
    }

    @Test
    void shouldRefuseFewerReplicasInSyncThanConfigured() {
        // given a three-broker cluster configured for two in sync, and a topic made with the broker's default of one
        Config config = config(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete", TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1"));

        assertThat(TopicCheck.differences(Topics.ALERTS, 6, config, 2))
                .extracting(TopicCheck.Difference::toString)
                .singleElement().asString()
                .startsWith("reunification.alerts: min.insync.replicas is 1, the catalogue says at least 2.")
                .contains("--add-config min.insync.replicas=2");
        // and more than configured is fine
        assertThat(TopicCheck.differences(Topics.ALERTS, 6, config, 1)).isEmpty();
    }

    @Test
    void shouldRefuseATopicWithFewerReplicasThanDeclaredOrThanItsOwnMinInsyncReplicas() {
        Config twoInSync = config(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2"));
        Config none = config(Map.of());

        // a topic made by an earlier single-broker deployment, on a cluster that creates topics with three replicas
        assertThat(TopicCheck.replicationDifference(Topics.ALERTS.name(), 1, 3, none, 0)).map(TopicCheck.Difference::toString)
                .hasValueSatisfying(difference -> assertThat(difference)
                        .startsWith("reunification.alerts: replicas is 1, the catalogue says at least 3.")
                        .contains("losing one broker can lose what was written to it"));
        // a topic whose replicas are fewer than its min.insync.replicas: no acks=all write succeeds, whatever is declared
        assertThat(TopicCheck.replicationDifference(Topics.ALERTS.name(), 1, 0, twoInSync, 0)).map(TopicCheck.Difference::toString)
                .hasValueSatisfying(difference -> assertThat(difference).contains("every write to it is refused"));
        // and as many as needed, or more, is fine; the broker's default (nothing declared) is not checked
        assertThat(TopicCheck.replicationDifference(Topics.ALERTS.name(), 3, 3, twoInSync, 2)).isEmpty();
        assertThat(TopicCheck.replicationDifference(Topics.ALERTS.name(), 1, 0, none, 0)).isEmpty();
        assertThat(TopicCheck.replicationDifference(Topics.ALERTS.name(), 1, -1, none, 0)).isEmpty();
    }

    @Test
    void shouldAcceptADeadLetterTopicWithMorePartitionsButNotFewer() {
        Config config = config(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1"));

        // then more partitions than its topic are fine (a record keeps its partition number)
        assertThat(TopicCheck.deadLetterDifferences(Topics.ALERTS, 12, config, 0)).isEmpty();
        // and fewer are not
        assertThat(TopicCheck.deadLetterDifferences(Topics.ALERTS, 5, config, 0))
                .extracting(TopicCheck.Difference::toString)
                .singleElement().asString()
                .startsWith("reunification.alerts-dlt: partitions is 5, the catalogue says at least 6.");
    }

    @Test
    void shouldRefuseAPartnersIntakeTopicOrItsDeadLetterTopicWithoutTheSizeBound() {
        // given a partner's intake topic as an earlier version made it: a day's retention, no bound on its size
        var intake = Topics.busPositionIntake("partner-a");
        Config unbounded = config(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete", TopicConfig.RETENTION_MS_CONFIG, "86400000",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1"));

        // then both it and its dead-letter topic are reported, with the command that bounds them
        assertThat(TopicCheck.differences(intake, 6, unbounded, 0)).extracting(TopicCheck.Difference::toString)
                .singleElement().asString()
                .startsWith("intake.bus-positions.partner-a: retention.bytes is -1, the catalogue says 1073741824.")
                .contains("--add-config retention.bytes=1073741824");
        assertThat(TopicCheck.deadLetterDifferences(intake, 6, unbounded, 0)).extracting(TopicCheck.Difference::toString)
                .singleElement().asString().startsWith("intake.bus-positions.partner-a-dlt: retention.bytes is -1");
        // and bounded as the catalogue says, they are fine, while a service's own topic needs no bound
        Config bounded = config(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete", TopicConfig.RETENTION_MS_CONFIG, "86400000",
                TopicConfig.RETENTION_BYTES_CONFIG, "1073741824"));
        assertThat(TopicCheck.differences(intake, 6, bounded, 0)).isEmpty();
        assertThat(TopicCheck.deadLetterDifferences(intake, 6, bounded, 0)).isEmpty();
        assertThat(TopicCheck.differences(Topics.BUS_POSITIONS, 6, unbounded, 0)).isEmpty();
    }

    private static Config config(Map<String, String> settings) {
        return new Config(settings.entrySet().stream().map(setting -> new ConfigEntry(setting.getKey(), setting.getValue())).toList());
    }
}

package org.homecoming.catalogue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class TopicSettingsTest {

    @Test
    void shouldCreateAStateTopicCompactedAndItsDeadLetterTopicAsAHistory() {
        assertThat(Topics.INQUIRIES.settings(2)).containsOnly(entry("cleanup.policy", "compact"), entry("min.insync.replicas", "2"));
        assertThat(Topics.INQUIRIES.deadLetterSettings(2)).containsOnly(entry("min.insync.replicas", "2"));
    }

    @Test
    void shouldKeepTheConsolesAcknowledgementsCompactedAndWrittenByTheConsoleAlone() {
        assertThat(Topics.ATTENTION_ACKNOWLEDGEMENTS.settings(0)).containsOnly(entry("cleanup.policy", "compact"));
        assertThat(Topics.ownedBy(Topic.Owner.CONSOLE)).containsExactly(Topics.ATTENTION_ACKNOWLEDGEMENTS);
    }

    @Test
    void shouldBoundAPartnersIntakeTopicAndItsDeadLetterTopicInTimeAndSize() {
        Topic<?, ?> intake = Topics.busPositionIntake("partner-a");

        assertThat(intake.settings(0)).containsOnly(entry("retention.ms", Long.toString(24 * 3600 * 1000L)),
                entry("retention.bytes", Long.toString(Topics.INTAKE_BYTES_PER_PARTITION)));
        assertThat(intake.deadLetterSettings(0)).containsOnly(entry("retention.bytes", Long.toString(Topics.INTAKE_BYTES_PER_PARTITION)));
    }

    @Test
    void shouldLeaveMinInsyncReplicasToTheBrokerWhenNoneIsGiven() {
        assertThat(Topics.all(java.util.List.of("partner-a"))).allSatisfy(topic -> {
            assertThat(topic.settings(0)).as(topic.name()).doesNotContainKey("min.insync.replicas");
            assertThat(topic.deadLetterSettings(0)).as(topic.name()).doesNotContainKey("min.insync.replicas");
        });
    }
}

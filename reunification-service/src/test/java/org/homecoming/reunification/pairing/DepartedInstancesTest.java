package org.homecoming.reunification.pairing;

import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which open transactions a takeover may end as a departed instance's: see {@code StateRebuild#endOffsetsLeftByDepartedInstances}. */
class DepartedInstancesTest {

    static final String ALIVE = "reunification-0b7c6a52-3f7e-4d0a-9c1e-5a2b8d9e0f11-";
    static final String GONE = "reunification-9d8e7f60-1a2b-4c3d-8e9f-0a1b2c3d4e5f-";
    static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 17);
    static final TopicPartition OWNED_MATCHES = new TopicPartition(Topics.MATCHES.name(), 2);
    static final TopicPartition OWNED_ALERTS = new TopicPartition(Topics.ALERTS.name(), 2);

    @Test
    void shouldNameTheInstanceOfAPairingConsumerByItsTransactionalIdPrefix() {
        assertThat(StateRebuild.instanceOfClient(ALIVE + "pairing-0")).contains(ALIVE);
        assertThat(StateRebuild.instanceOfClient("consumer-reunification-pairing-1")).as("a client of another naming").isEmpty();
    }

    @Test
    void shouldCountOnlyAnInstancesOwnTransactionsWhoseInstanceLeftTheGroupAsDeparted() {
        assertThat(StateRebuild.departed(GONE + "3", Set.of(ALIVE))).isTrue();
        assertThat(StateRebuild.departed(ALIVE + "3", Set.of(ALIVE))).as("a member's").isFalse();
        assertThat(StateRebuild.departed("reunification-held-alert-a-17", Set.of(ALIVE)))
                .as("a held alert's settlement, the same id on every instance").isFalse();
        assertThat(StateRebuild.departed("transport-" + GONE.substring("reunification-".length()) + "3", Set.of(ALIVE)))
                .as("another service's").isFalse();
    }

    @Test
    void shouldEndOnlyTransactionsHoldingConsumedOffsets() {
        assertThat(StateRebuild.holdsOffsets(Set.of(OFFSETS))).as("offsets only").isTrue();
        assertThat(StateRebuild.holdsOffsets(Set.of(OFFSETS, OWNED_MATCHES, OWNED_ALERTS))).isTrue();
        assertThat(StateRebuild.holdsOffsets(Set.of(OWNED_MATCHES, OWNED_ALERTS)))
                .as("no offsets: the wait on the owned partitions ends it").isFalse();
    }
}

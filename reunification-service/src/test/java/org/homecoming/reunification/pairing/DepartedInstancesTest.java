package org.homecoming.reunification.pairing;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which open transactions a takeover may end as a departed instance's: see {@code StateRebuild#endTransactionsOfDepartedInstances}. */
class DepartedInstancesTest {

    static final String ALIVE = "reunification-0b7c6a52-3f7e-4d0a-9c1e-5a2b8d9e0f11-";
    static final String GONE = "reunification-9d8e7f60-1a2b-4c3d-8e9f-0a1b2c3d4e5f-";

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
        assertThat(StateRebuild.departed("reunification-inquiry-5d0f3c2e-8a1b-8c3d-9e4f-0a1b2c3d4e5f-0", Set.of(ALIVE)))
                .as("a write of an inquiry under its fence, the same id on every instance").isFalse();
        assertThat(StateRebuild.departed("transport-" + GONE.substring("reunification-".length()) + "3", Set.of(ALIVE)))
                .as("another service's").isFalse();
    }
}

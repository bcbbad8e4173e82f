package org.homecoming.console.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class TopicWatchGroupsTest {

    @Test
    void shouldShowTheServicesAndPartnersGroups() {
        assertThat(TopicWatch.shown(List.of("transport-movements", "reunification-delivery", "partner-demo-tracker.1")))
                .containsExactly("partner-demo-tracker.1", "reunification-delivery", "transport-movements");
    }

    @Test
    void shouldLeaveOutGroupsWhoseNamesCarryMarkupNewlinesOrRightToLeftText() {
        assertThat(TopicWatch.shown(List.of("partner-demo-<img src=x>", "partner-demo-a\ntransport.bus-positions",
                "partner-demo-\u202Eevil", "partner-demo-ok"))).containsExactly("partner-demo-ok");
    }

    @Test
    void shouldShowAtMostAFixedNumberOfGroupsWhenAPartnerFloodsTheCluster() {
        List<String> flood = IntStream.range(0, 10_000).mapToObj(i -> "partner-demo-" + i).toList();

        assertThat(TopicWatch.shown(flood)).hasSize(TopicWatch.MAX_GROUPS);
    }
}

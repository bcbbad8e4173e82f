package org.homecoming.console.lineage;

import java.time.Instant;
import java.util.List;

import org.homecoming.catalogue.Topics;
import org.homecoming.console.lineage.StreamLineage.Edge;
import org.homecoming.console.topics.TopicFigures;
import org.homecoming.console.topics.TopicFigures.GroupLag;
import org.homecoming.console.topics.TopicFigures.TopicRate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamLineageTest {

    @Test
    void shouldDrawEachTopicFromItsOwnerAndToTheServicesWhoseGroupsReadIt() {
        TopicFigures figures = new TopicFigures(Instant.parse("2026-05-14T10:00:00Z"),
                List.of(new TopicRate(Topics.PERSON_ARRIVALS.name(), 120, 4.5, true)), List.of(),
                List.of(new GroupLag("reunification-matching", 3, List.of(Topics.PERSON_ARRIVALS.name()), true),
                        new GroupLag("partner-archive", 0, List.of(Topics.ALERTS.name()), true)));

        StreamLineage lineage = StreamLineage.of(figures);

        assertThat(lineage.edges()).contains(
                new Edge("service:transport", Topics.PERSON_ARRIVALS.name(), 4.5, null, null, true),
                new Edge(Topics.PERSON_ARRIVALS.name(), "service:reunification", null, "reunification-matching", 3L, true),
                new Edge(Topics.ALERTS.name(), "group:partner-archive", null, "partner-archive", 0L, true));
        assertThat(lineage.nodes()).filteredOn(node -> node.kind().equals("TOPIC")).hasSize(Topics.ALL.size());
        assertThat(lineage.nodes()).filteredOn(node -> node.id().equals("group:partner-archive"))
                .singleElement().satisfies(node -> assertThat(node.column()).isEqualTo(lineage.columns() - 1));
    }
}

package org.homecoming.console.lineage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    @Test
    void shouldDrawEachPartnerAsTheOneWriterOfItsOwnIntakeTopic() {
        // given two partners' intake topics on the broker, and transport's intake group reading both
        String intakeA = Topics.busPositionIntake("partner-a").name();
        String intakeB = Topics.busPositionIntake("partner-b").name();
        TopicFigures figures = new TopicFigures(Instant.parse("2026-05-14T10:00:00Z"),
                List.of(new TopicRate(intakeA, 10, 2.0, true), new TopicRate(intakeB, 5, 1.0, true)), List.of(),
                List.of(new GroupLag("transport-movements", 0, List.of(intakeA, intakeB), true)));

        // when
        StreamLineage lineage = StreamLineage.of(figures);

        // then each partner writes its own topic only, in the first columns, and transport reads both and writes each
        // partner's movements topic
        assertThat(lineage.edges()).contains(
                new Edge("partner:partner-a", intakeA, 2.0, null, null, true),
                new Edge("partner:partner-b", intakeB, 1.0, null, null, true),
                new Edge(intakeA, "service:transport", null, "transport-movements", 0L, true));
        assertThat(lineage.edges()).filteredOn(edge -> edge.from().equals("partner:partner-a"))
                .extracting(Edge::to).containsExactly(intakeA);
        assertThat(lineage.nodes()).filteredOn(node -> node.id().equals("partner:partner-b"))
                .singleElement().satisfies(node -> assertThat(node.column()).isZero());
        assertThat(lineage.nodes()).filteredOn(node -> node.kind().equals("TOPIC")).hasSize(Topics.ALL.size() + 4);
        assertThat(lineage.edges()).as("transport writes each partner's movements topic").contains(
                new Edge("service:transport", "outbound.bus-movements.partner-a", null, null, null, true));
    }

    @Test
    void shouldCarryTheRecordsPerSecondEachGroupReadsOnItsEdge() {
        // given a group that reads arrivals at 2.5 records/s and positions at 40/s
        TopicFigures figures = new TopicFigures(Instant.parse("2026-05-14T10:00:00Z"), List.of(), List.of(),
                List.of(new GroupLag("reunification-matching", 3,
                        List.of(Topics.PERSON_ARRIVALS.name(), Topics.BUS_POSITIONS.name()), true,
                        Map.of(Topics.PERSON_ARRIVALS.name(), 2.5, Topics.BUS_POSITIONS.name(), 40.0))));

        // when
        StreamLineage lineage = StreamLineage.of(figures);

        // then each read edge carries the rate of its own topic, and the group's lag
        assertThat(lineage.edges()).contains(
                new Edge(Topics.PERSON_ARRIVALS.name(), "service:reunification", 2.5, "reunification-matching", 3L, true),
                new Edge(Topics.BUS_POSITIONS.name(), "service:reunification", 40.0, "reunification-matching", 3L, true));
    }

    @Test
    void shouldDrawTheAuditTrailAsWrittenByEveryServiceAtTheEndOfTheFlow() {
        // given the audit trail growing at 1.5 records/s
        TopicFigures figures = new TopicFigures(Instant.parse("2026-05-14T10:00:00Z"),
                List.of(new TopicRate(Topics.AUDIT_EVENTS.name(), 90, 1.5, false)), List.of(), List.of());

        // when
        StreamLineage lineage = StreamLineage.of(figures);

        // then one writer, every service, feeds it, after the reunification topics
        assertThat(lineage.edges()).contains(new Edge("service:services", Topics.AUDIT_EVENTS.name(), 1.5, null, null, true));
        int reunificationTopics = lineage.nodes().stream().filter(node -> node.id().equals(Topics.ALERTS.name()))
                .findFirst().orElseThrow().column();
        assertThat(lineage.nodes()).filteredOn(node -> node.id().equals(Topics.AUDIT_EVENTS.name()))
                .singleElement().satisfies(node -> assertThat(node.column()).isGreaterThan(reunificationTopics));
        assertThat(lineage.nodes()).filteredOn(node -> node.id().equals("service:services"))
                .singleElement().satisfies(node -> assertThat(node.label()).isEqualTo("every service"));
    }
}

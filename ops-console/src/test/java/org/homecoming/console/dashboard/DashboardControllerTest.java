package org.homecoming.console.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.springframework.security.test.context.support.WithMockUser;
import org.homecoming.console.signin.ConsoleSecurity;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.catalogue.Topics;
import org.homecoming.console.attention.AttentionBoard.AcknowledgedItem;
import org.homecoming.console.attention.AttentionItem;
import org.homecoming.console.attention.Concern;
import org.homecoming.console.lineage.StreamLineage;
import org.homecoming.console.operation.AlertFigures;
import org.homecoming.console.operation.BusState;
import org.homecoming.console.operation.BusView;
import org.homecoming.console.operation.Funnel;
import org.homecoming.console.operation.RoundView;
import org.homecoming.console.route.RouteSchematic.MapPlace;
import org.homecoming.console.route.RouteSchematic.MapPoint;
import org.homecoming.console.route.RouteSchematic.RouteMap;
import org.homecoming.console.topics.TopicFigures;
import org.homecoming.console.topics.TopicFigures.DeadLetterCount;
import org.homecoming.console.topics.TopicFigures.GroupLag;
import org.homecoming.console.topics.TopicFigures.TopicRate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WithMockUser(username = "demo-ops", roles = Roles.OPS_VIEWER)
@WebMvcTest(controllers = DashboardController.class,
        properties = {"homecoming.console.streams.max-open=3", "homecoming.console.streams.max-per-viewer=2"})
@Import({DashboardStream.class, ConsoleSecurity.class, WebInputRules.class})
class DashboardControllerTest {

    private static final Instant NOW = Instant.parse("2026-05-14T09:30:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    DashboardService dashboards;
    @Autowired
    DashboardStream streams;

    @BeforeEach
    void givenADashboard() {
        RoundView round = new RoundView("round-1", 1, 3, LocalDate.of(2026, 5, 14), "RU", "UA", "IN_PROGRESS", 390,
                new Funnel(390, 120, 80, 40, 38, 12, 9));
        BusView bus = new BusView("bus-7", "round-1", BusState.BORDER_CROSSED, 40, false, "Border crossing",
                NOW.minusSeconds(30), NOW.plusSeconds(3600), 51.9, 31.1, null);
        RouteMap route = new RouteMap(720, 500, List.of(new MapPoint(0, 100, true), new MapPoint(720, 200, true)),
                new MapPlace("origin", new MapPoint(10, 10, true)), new MapPlace("crossing", new MapPoint(300, 150, true)),
                new MapPlace("reception", new MapPoint(400, 450, true)), "BELARUS", "UKRAINE");
        TopicFigures topics = new TopicFigures(NOW, List.of(new TopicRate(Topics.LISTED_PERSONS.name(), 390, 12.5, true)),
                List.of(new DeadLetterCount(Topics.LISTED_PERSONS.deadLetterTopic(), Topics.LISTED_PERSONS.name(), 2, true)),
                List.of(new GroupLag("reunification-matching", 17, List.of(Topics.PERSON_ARRIVALS.name()), true)));
        given(dashboards.dashboard()).willReturn(new Dashboard(NOW,
                List.of(new AttentionItem("tracker-silent:bus-7", Concern.TRACKER_SILENT, "bus-7", "Bus bus-7: tracker silent",
                        NOW.minusSeconds(300), "#bus/bus-7")),
                List.of(new AcknowledgedItem(new AttentionItem("dead-letters:transport.bus-positions-dlt:2", Concern.DEAD_LETTERS_GREW,
                        "transport.bus-positions-dlt", "2 records", NOW.minusSeconds(600), "#topics-panel"), "ops-anna", NOW.minusSeconds(60))),
                List.of(round),
                List.of(new Dashboard.BusOnMap(bus, new MapPoint(310.5, 160, true))), route,
                new AlertFigures(9, 7, 1, 1, 3), topics, StreamLineage.of(topics), 4));
    }

    @Test
    void shouldAnswerTheDashboardAsJson() throws Exception {
        mvc.perform(get("/api/v1/dashboard").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.generatedAt").value("2026-05-14T09:30:00Z"))
                .andExpect(jsonPath("$.rounds[0].roundId").value("round-1"))
                .andExpect(jsonPath("$.rounds[0].exchangeDate").value("2026-05-14"))
                .andExpect(jsonPath("$.rounds[0].funnel.listed").value(390))
                .andExpect(jsonPath("$.rounds[0].funnel.crossedBorder").value(80))
                .andExpect(jsonPath("$.rounds[0].funnel.alerted").value(9))
                .andExpect(jsonPath("$.buses[0].bus.busId").value("bus-7"))
                .andExpect(jsonPath("$.buses[0].bus.state").value("BORDER_CROSSED"))
                .andExpect(jsonPath("$.buses[0].mapPoint.x").value(310.5))
                .andExpect(jsonPath("$.route.border.length()").value(2))
                .andExpect(jsonPath("$.alerts.reviewQueue").value(3))
                .andExpect(jsonPath("$.alerts.failed").value(1))
                .andExpect(jsonPath("$.topics.topics[0].recordsPerSecond").value(12.5))
                .andExpect(jsonPath("$.topics.deadLetters[0].records").value(2))
                .andExpect(jsonPath("$.topics.consumerGroups[0].lag").value(17))
                .andExpect(jsonPath("$.attention[0].concern").value("TRACKER_SILENT"))
                .andExpect(jsonPath("$.attention[0].link").value("#bus/bus-7"))
                .andExpect(jsonPath("$.acknowledged[0].item.id").value("dead-letters:transport.bus-positions-dlt:2"))
                .andExpect(jsonPath("$.acknowledged[0].acknowledgedBy").value("ops-anna"))
                .andExpect(jsonPath("$.lineage.edges[?(@.groupId == 'reunification-matching')].to")
                        .value("service:reunification"))
                .andExpect(jsonPath("$.unreadableRecords").value(4));
    }

    @Test
    void shouldRefuseATimelineOfABusIdNoBusCouldHave() throws Exception {
        mvc.perform(get("/api/v1/dashboard/buses/{busId}/timeline", "b".repeat(5_000)).accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("busId"));

        verify(dashboards, never()).timeline(anyString());
    }

    @Test
    void shouldRefuseAViewerMoreLiveDashboardsThanItsShareAndTheConsoleMoreThanItServes() throws Exception {
        streams.closeStreams();
        for (int i = 0; i < 2; i++) {
            mvc.perform(get("/api/v1/dashboard/stream").accept(MediaType.TEXT_EVENT_STREAM)).andExpect(request().asyncStarted());
        }

        mvc.perform(get("/api/v1/dashboard/stream").accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(status().isTooManyRequests())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("Retry-After", "60"))
                .andExpect(jsonPath("$.detail").value(containsString("You have 2 live dashboards open")));
        mvc.perform(get("/api/v1/dashboard/stream").with(user("another-ops").roles(Roles.OPS_VIEWER))
                        .accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(request().asyncStarted());
        mvc.perform(get("/api/v1/dashboard/stream").with(user("a-third-ops").roles(Roles.OPS_VIEWER))
                        .accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(status().isTooManyRequests())
                .andExpect(jsonPath("$.detail").value(containsString("at most 3 live dashboards")));
        assertThat(streams.open()).isEqualTo(3);

        streams.closeStreams();
        mvc.perform(get("/api/v1/dashboard/stream").accept(MediaType.TEXT_EVENT_STREAM)).andExpect(request().asyncStarted());
    }

    @Test
    void shouldStreamTheDashboardAsAServerSentEventAtOnce() throws Exception {
        streams.closeStreams();
        MvcResult result = mvc.perform(get("/api/v1/dashboard/stream").accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(request().asyncStarted())
                .andReturn();

        String body = result.getResponse().getContentAsString();
        assertThat(result.getResponse().getContentType()).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
        assertThat(body).as("the first event, sent as soon as the page connects")
                .contains("event:dashboard")
                .contains("\"roundId\":\"round-1\"")
                .contains("\"reviewQueue\":3");
    }
}

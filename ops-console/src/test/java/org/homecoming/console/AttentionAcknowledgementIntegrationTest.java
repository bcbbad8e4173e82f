package org.homecoming.console;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.transport.Movement;
import org.homecoming.platform.security.Roles;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oauth2Login;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Two console instances behind the operators' load balancer, and a console restarted, against the real broker and
 * registry: an acknowledgement made through one console's API is seen by the other, and by a console started after it
 * stopped, for as long as the same occurrence of the condition lasts.
 */
@ExtendWith(KafkaAndRegistry.class)
class AttentionAcknowledgementIntegrationTest {

    /** Operators signed in on the page: only a person there acknowledges an item or puts one back (ConsoleAccessTest). */
    private static final RequestPostProcessor OPERATOR = signedIn("demo-ops");
    private static final RequestPostProcessor SUPERVISOR = signedIn("ops-supervisor");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final List<ConfigurableApplicationContext> consoles = new ArrayList<>();

    @AfterEach
    void stopConsoles() {
        consoles.forEach(ConfigurableApplicationContext::close);
        consoles.clear();
    }

    @Test
    void shouldLeaveAnItemAcknowledgedOnOneConsoleOffTheListOfTheOther() throws Exception {
        // given two console instances behind the operators' load balancer (the first creates the catalogue's topics: a
        // service does, not the broker)
        MockMvc first = start();
        MockMvc second = start();
        // and a bus on the road whose tracker went silent ten minutes ago, which both list
        String bus = "bus-ack-" + UUID.randomUUID();
        Instant silentSince = tenMinutesAgo();
        silentBus(bus, silentSince);
        String silent = "tracker-silent:" + bus;
        for (MockMvc console : List.of(first, second)) {
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attention(console)).contains(silent));
        }

        // when an operator acknowledges the silence on the first console
        acknowledge(first, silent);

        // then the first console's very next answer leaves it out
        assertThat(attention(first)).as("the console that took the acknowledgement").doesNotContain(silent);
        // and the second console leaves it out too, once it has read it from the topic
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attention(second))
                .as("the other console instance").doesNotContain(silent));
        // and the topic holds who acknowledged which occurrence, and the audit trail the same acknowledgement
        TopicProbe.awaitRecords(Topics.ATTENTION_ACKNOWLEDGEMENTS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(silent) && record.value().getAcknowledgedBy().equals("demo-ops")
                        && silentSince.equals(record.value().getConditionSince())));
        TopicProbe.awaitRecords(Topics.AUDIT_EVENTS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.value().getAction() == AuditAction.ATTENTION_ACKNOWLEDGED && record.value().getSubjectId().equals(silent)
                        && record.value().getPrincipal().equals("demo-ops")));
    }

    @Test
    void shouldKeepAnAcknowledgedItemOffTheListAfterARestartUntilItsConditionComesBack() throws Exception {
        // given two buses whose trackers went silent ten minutes ago, both acknowledged on a console
        MockMvc console = start();
        String busA = "bus-ack-" + UUID.randomUUID();
        String busB = "bus-ack-" + UUID.randomUUID();
        Instant silentSince = tenMinutesAgo();
        silentBus(busA, silentSince);
        silentBus(busB, silentSince);
        String silentA = "tracker-silent:" + busA;
        String silentB = "tracker-silent:" + busB;
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attention(console)).contains(silentA, silentB));
        acknowledge(console, silentA);
        acknowledge(console, silentB);

        // when the console stops, and meanwhile bus B is heard once and goes silent again: a new occurrence
        stopConsoles();
        TopicProbe.produce(Topics.BUS_POSITIONS, busB, Events.position(busB, "round-ack", 51.9, 31.1,
                Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS)));
        // and a console starts again
        MockMvc restarted = start();

        // then, once it has read the topics (it says it is ready only then), bus B's new silence is listed and bus A's
        // acknowledged one is not
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(JsonPath.<String>read(restarted.perform(
                get("/actuator/health/readiness").with(OPERATOR)).andReturn().getResponse().getContentAsString(),
                "$.components.picture.status")).isEqualTo("UP"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attention(restarted))
                .as("bus B silent again since it was heard").contains(silentB));
        assertThat(attention(restarted)).as("bus A's silence, acknowledged before the restart").doesNotContain(silentA);
        assertThat(busesOnTheDashboard(restarted)).as("bus A is in the restarted console's picture").contains(busA);
    }

    @Test
    void shouldPutAnItemBackOnEveryConsolesListWhenItsAcknowledgementIsWithdrawnAndKeepItThereAfterARestart() throws Exception {
        // given two consoles, and a silent bus that an operator acknowledged on the first by mistake
        MockMvc first = start();
        MockMvc second = start();
        String bus = "bus-unack-" + UUID.randomUUID();
        silentBus(bus, tenMinutesAgo());
        String silent = "tracker-silent:" + bus;
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attention(first)).contains(silent));
        acknowledge(first, silent);
        // which the second lists among the acknowledged items, with who acknowledged it
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(JsonPath.<List<String>>read(dashboard(second),
                "$.acknowledged[?(@.item.id == '" + silent + "')].acknowledgedBy")).containsExactly("demo-ops"));

        String listedAt = JsonPath.<List<String>>read(dashboard(second),
                "$.acknowledged[?(@.item.id == '" + silent + "')].acknowledgedAt").get(0);

        // when a page that showed an older acknowledgement of the item asks to put it back
        withdraw(second, SUPERVISOR, silent, Instant.parse(listedAt).minusSeconds(60).toString())
                .andExpect(result -> assertThat(result.getResponse().getStatus()).as("an older acknowledgement").isEqualTo(409));
        // then nothing changes
        assertThat(attention(second)).doesNotContain(silent);

        // when a colleague withdraws the acknowledgement the second console lists
        withdraw(second, SUPERVISOR, silent, listedAt).andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(204));

        // then the second lists the silence again at once, and the first once it has read the tombstone
        assertThat(attention(second)).as("the console that took the withdrawal").contains(silent);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attention(first)).as("the other console").contains(silent));
        assertThat(JsonPath.<List<String>>read(dashboard(first), "$.acknowledged[*].item.id")).doesNotContain(silent);
        // and the audit trail says who put it back
        TopicProbe.awaitRecords(Topics.AUDIT_EVENTS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.value().getAction() == AuditAction.ATTENTION_ACKNOWLEDGEMENT_WITHDRAWN
                        && record.value().getSubjectId().equals(silent) && record.value().getPrincipal().equals("ops-supervisor")));
        // and withdrawing again finds nothing to withdraw
        withdraw(first, OPERATOR, silent, listedAt).andExpect(result -> assertThat(result.getResponse().getStatus()).isEqualTo(404));

        // when every console stops and one starts again on the same topics
        stopConsoles();
        MockMvc restarted = start();

        // then, once it has read the topics (the acknowledgement and its tombstone among them), it lists the silence:
        // the acknowledgement stays withdrawn
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(JsonPath.<String>read(restarted.perform(
                get("/actuator/health/readiness").with(OPERATOR)).andReturn().getResponse().getContentAsString(),
                "$.components.picture.status")).isEqualTo("UP"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attention(restarted)).contains(silent));
        assertThat(JsonPath.<List<String>>read(dashboard(restarted), "$.acknowledged[*].item.id")).doesNotContain(silent);
    }

    /** A console instance of its own: its own consumer group, transactional ids and web port. */
    private MockMvc start() {
        ConfigurableApplicationContext console = new SpringApplicationBuilder(OpsConsoleApplication.class)
                .properties(OpsConsoleApplication.CONFIG_NAME)
                // arguments, so that they win over ops-console.yml
                .run("--server.port=0", "--homecoming.console.topic-poll-interval=300ms");
        consoles.add(console);
        return MockMvcBuilders.webAppContextSetup((WebApplicationContext) console).apply(springSecurity()).build();
    }

    private static Instant tenMinutesAgo() {
        return Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    }

    /** A bus on the road, departed at {@code at} and not heard since. */
    private static void silentBus(String bus, Instant at) {
        TopicProbe.produce(Topics.BUS_MANIFESTS, bus, Events.manifest(bus, "round-ack", bus + "-p1"));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, bus, Events.movement(bus, "round-ack", Movement.DEPARTED, at, null, null, "Origin"));
    }

    private static void acknowledge(MockMvc console, String itemId) throws Exception {
        console.perform(post("/api/v1/attention/acknowledgements").with(OPERATOR).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"itemId\": \"" + itemId + "\"}"))
                .andExpect(result -> assertThat(result.getResponse().getStatus()).as("acknowledging %s", itemId).isEqualTo(204));
    }

    private static org.springframework.test.web.servlet.ResultActions withdraw(MockMvc console, RequestPostProcessor who,
                                                                                String itemId, String acknowledgedAt) throws Exception {
        return console.perform(post("/api/v1/attention/acknowledgement-withdrawals").with(who).with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"itemId\": \"" + itemId + "\", \"acknowledgedAt\": \"" + acknowledgedAt + "\"}"));
    }

    private static List<String> attention(MockMvc console) throws Exception {
        return JsonPath.read(dashboard(console), "$.attention[*].id");
    }

    private static List<String> busesOnTheDashboard(MockMvc console) throws Exception {
        return JsonPath.read(dashboard(console), "$.buses[*].bus.busId");
    }

    private static String dashboard(MockMvc console) throws Exception {
        return console.perform(get("/api/v1/dashboard").accept(MediaType.APPLICATION_JSON).with(OPERATOR))
                .andReturn().getResponse().getContentAsString();
    }

    private static RequestPostProcessor signedIn(String operator) {
        return oauth2Login().authorities(new SimpleGrantedAuthority("ROLE_" + Roles.OPS_VIEWER))
                .attributes(attributes -> attributes.put("sub", operator));
    }
}

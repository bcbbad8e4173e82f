package org.homecoming.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.homecoming.catalogue.Topics;
import org.homecoming.console.dashboard.DashboardStreams;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.Movement;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.homecoming.platform.security.Roles;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.homecoming.console.Events.T0;

/**
 * What a person checks on the console page, in whichever browser a subclass brings: the console is started
 * on a random port against the real broker, and the figures the page shows must be the events this check
 * produced. {@link OpsConsoleBrowserTest} runs it in Debian's Chromium, {@link OpsConsoleHtmlUnitTest} in
 * HtmlUnit, which the build brings itself, so a machine with only a JDK checks the page too.
 */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        OpsConsoleApplication.CONFIG_NAME, "homecoming.console.topic-poll-interval=500ms",
        "homecoming.console.push-interval=200ms"})
@Import(ConsolePageCheck.SignedIn.class)
abstract class ConsolePageCheck {

    /**
     * The browser is already signed in as an ops viewer: this check is about the page, and signing in at the identity
     * provider and the CSRF rules are what ConsoleAccessTest and the end-to-end test check.
     */
    @TestConfiguration
    static class SignedIn {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        SecurityFilterChain signedInAsOpsViewer(HttpSecurity http) throws Exception {
            return http.securityMatcher("/**")
                    .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(Roles.OPS_VIEWER))
                    .anonymous(anonymous -> anonymous.principal("browser-test").authorities("ROLE_" + Roles.OPS_VIEWER))
                    .csrf(csrf -> csrf.disable())
                    .build();
        }

        /**
         * While {@link #refuseStreams} is set, a stream is refused as a restarted console refuses a forgotten session;
         * while {@link #refuseAcknowledgements} is, an acknowledgement is refused as when the audit trail is away.
         */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        Filter streamsRefusedWhenAsked() {
            return (request, response, chain) -> {
                String path = ((HttpServletRequest) request).getRequestURI();
                if (refuseStreams && path.endsWith("/api/v1/dashboard/stream")) {
                    ((HttpServletResponse) response).sendError(HttpServletResponse.SC_UNAUTHORIZED);
                    return;
                }
                if (refuseAcknowledgements && path.endsWith("/api/v1/attention/acknowledgements")) {
                    HttpServletResponse refused = (HttpServletResponse) response;
                    refused.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                    refused.setContentType("application/problem+json");
                    refused.getWriter().write("{\"status\": 503, \"detail\": \"The audit trail cannot record this now\"}");
                    return;
                }
                chain.doFilter(request, response);
            };
        }
    }

    static volatile boolean refuseStreams;
    static volatile boolean refuseAcknowledgements;

    @Autowired
    ApplicationContext console;

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    /** The browser, started by the subclass before the check runs. */
    abstract WebDriver browser();

    /** How this browser gets live updates: {@code stream} (server-sent events) or {@code polling}. */
    abstract String expectedTransport();

    /** Called once the page showed every figure, to keep evidence of it (a screenshot, where the browser can). */
    void pageChecked(WebDriver browser) throws Exception {
    }

    @Test
    void shouldShowOnThePageTheFiguresOfTheEventsOnTheTopics() throws Exception {
        // given a round of five listed persons, one of them withdrawn again
        String round = "R1-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> persons = List.of(round + "-p1", round + "-p2", round + "-p3", round + "-p4", round + "-p5");
        TopicProbe.produce(Topics.EXCHANGE_ROUNDS, round, Events.round(round, 1, 390));
        persons.forEach(person -> TopicProbe.produce(Topics.LISTED_PERSONS, person, Events.listed(person, round)));
        TopicProbe.produce(Topics.LISTED_PERSONS, persons.get(4), Events.listing(persons.get(4), round, ListingChange.WITHDRAWN));
        // and bus A with p1 and p2 past the border, bus B with p3 just departed
        String busA = "BUS-A-" + round.substring(3);
        String busB = "BUS-B-" + round.substring(3);
        TopicProbe.produce(Topics.BUS_MANIFESTS, busA, Events.manifest(busA, round, persons.get(0), persons.get(1)));
        TopicProbe.produce(Topics.BUS_MANIFESTS, busB, Events.manifest(busB, round, persons.get(2)));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, busA, Events.movement(busA, round, Movement.DEPARTED, T0, 52.43, 30.99, "Gomel"));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, busA, Events.movement(busA, round, Movement.BORDER_CROSSED,
                T0.plusSeconds(5400), 51.91, 31.10, "Border crossing"));
        TopicProbe.produce(Topics.BUS_POSITIONS, busA, Events.position(busA, round, 51.72, 31.19, T0.plusSeconds(6600)));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, busB, Events.movement(busB, round, Movement.DEPARTED,
                T0.plusSeconds(1800), 52.40, 31.00, "Gomel"));
        // and p1 (identity verified) and p2 (not yet) handed over; p1 matched and its relative alerted; p2 in review
        TopicProbe.produce(Topics.PERSON_ARRIVALS, persons.get(0), Events.handedOver(persons.get(0), busA, round, true));
        TopicProbe.produce(Topics.PERSON_ARRIVALS, persons.get(1), Events.handedOver(persons.get(1), busA, round, false));
        TopicProbe.produce(Topics.MATCHES, "inq-1", Events.match(round + "-m1", "inq-1", persons.get(0), MatchStatus.AUTO_MATCHED));
        TopicProbe.produce(Topics.MATCHES, "inq-2", Events.match(round + "-m2", "inq-2", persons.get(1), MatchStatus.REVIEW_REQUESTED));
        String alert = round + "-alert-1";
        TopicProbe.produce(Topics.ALERTS, "inq-1", Events.alert(alert, "inq-1", persons.get(0)));
        TopicProbe.produce(Topics.ALERT_DELIVERIES, alert, Events.delivery(alert, "inq-1", 1, DeliveryOutcome.DELIVERED));

        // when
        browser().get("http://127.0.0.1:" + port + "/");
        assertThat(browser().getTitle()).as("the console page at %s, which answered: %s", browser().getCurrentUrl(),
                browser().getPageSource()).isEqualTo("Homecoming · Ops console");

        // then the round's funnel on the page is exactly what was produced
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("listed", "4");
        expected.put("onBus", "3");
        expected.put("crossedBorder", "2");
        expected.put("arrived", "2");
        expected.put("identityVerified", "1");
        expected.put("matched", "1");
        expected.put("alerted", "1");
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(funnelOnPage(round)).as("funnel of round %s as the page shows it", round).isEqualTo(expected));
        // and each bus, in the table and on the map
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cells(busA)).as("row of %s", busA).containsExactly(busA, round, "border crossed", "2", "Border crossing");
            assertThat(cells(busB)).as("row of %s", busB).containsExactly(busB, round, "departed", "1", "Gomel");
            assertThat(count("#route-map g.bus[data-bus-id='" + busA + "'] circle.state-BORDER_CROSSED"))
                    .as("marker of %s on the map", busA).isEqualTo(1);
            assertThat(text("#route-map g.bus[data-bus-id='" + busB + "'] text")).as("label of %s on the map", busB)
                    .isEqualTo(busB);
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(text("#connection")).as("live updates are connected").isEqualTo("live");
            assertThat(attribute("#connection", "data-transport")).as("how the page gets its updates")
                    .isEqualTo(expectedTransport());
        });
        assertThat(text("body")).as("no name of a listed person on the page")
                .doesNotContain("Тестенко").doesNotContain("Іван");
        // the console-wide figures are the API's (other tests in this JVM may have added to them)
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/dashboard")).build(), BodyHandlers.ofString()).body();
            Map<String, Object> alerts = JsonPath.read(api, "$.alerts");
            for (String figure : List.of("issued", "delivered", "failed", "awaitingDelivery", "reviewQueue")) {
                assertThat(text("#alerts [data-figure='" + figure + "'] .value")).as("alert figure %s", figure)
                        .isEqualTo(String.valueOf(alerts.get(figure)));
            }
            assertThat(Integer.parseInt(text("#alerts [data-figure='delivered'] .value"))).isGreaterThanOrEqualTo(1);
            assertThat(Integer.parseInt(text("#alerts [data-figure='reviewQueue'] .value"))).isGreaterThanOrEqualTo(1);
        });

        await().atMost(TIMEOUT).until(() -> count("#topics tbody tr[data-topic]") > 0);

        // and when a delivery fails and a person is missing at bus B's hand-over, both need attention
        String failedAlert = round + "-alert-2";
        TopicProbe.produce(Topics.ALERTS, "inq-2", Events.alert(failedAlert, "inq-2", persons.get(1)));
        TopicProbe.produce(Topics.ALERT_DELIVERIES, failedAlert, Events.delivery(failedAlert, "inq-2", 1, DeliveryOutcome.FAILED));
        TopicProbe.produce(Topics.HANDOVER_DISCREPANCIES, busB,
                Events.discrepancy(busB, round, persons.get(2), Discrepancy.NOT_HANDED_OVER));
        // and a reader of the hand-overs shows in the lineage with its lag
        String readerGroup = "reunification-page-check-" + round;
        commitOffsetZero(readerGroup, Topics.PERSON_ARRIVALS.name());
        // then "Needs attention now" lists each once, with a link to its detail (both buses were last heard in May)
        String silentA = "tracker-silent:" + busA;
        String silentB = "tracker-silent:" + busB;
        String missing = "discrepancy:" + busB + "/" + persons.get(2);
        String failed = "delivery-failed:" + failedAlert;
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, String> items = attentionItems();
            assertThat(items).as("items on the attention panel").containsKeys(silentA, silentB, missing, failed);
            assertThat(items.get(missing)).as("link of %s", missing).isEqualTo("#bus/" + busB);
            assertThat(count("#attention li[data-item-id='" + silentA + "']")).as("%s listed once", silentA).isEqualTo(1);
        });
        // and the lineage draws the services, the topics and the reader's edge with its lag
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(count("#lineage g.node[data-node='service:transport']")).isEqualTo(1);
            assertThat(count("#lineage g.node[data-node='" + Topics.PERSON_ARRIVALS.name() + "']")).isEqualTo(1);
            assertThat(count("#lineage g.edge.write[data-to='" + Topics.PERSON_ARRIVALS.name() + "']")).isEqualTo(1);
            assertThat(text("#lineage g.edge.read[data-group='" + readerGroup + "'] text"))
                    .as("lag and records/s read of %s on its edge", readerGroup).startsWith("lag ").contains(" · ").endsWith("/s");
            assertThat(count("#lineage g.edge.write[data-to='" + Topics.AUDIT_EVENTS.name() + "']"))
                    .as("the audit trail, written by every service").isEqualTo(1);
        });
        pageChecked(browser());

        // when each is resolved: bus A heard again, the missing person handed over, the alert delivered on a retry
        TopicProbe.produce(Topics.BUS_POSITIONS, busA, Events.position(busA, round, 51.60, 31.25, Instant.now()));
        TopicProbe.produce(Topics.PERSON_ARRIVALS, persons.get(2), Events.handedOver(persons.get(2), busB, round, true));
        TopicProbe.produce(Topics.ALERT_DELIVERIES, failedAlert, Events.delivery(failedAlert, "inq-2", 2, DeliveryOutcome.DELIVERED));
        // and bus B's silence is acknowledged on the page
        clickIn("#attention", silentB);
        // then all four leave the list
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attentionItems())
                .as("items on the attention panel").doesNotContainKeys(silentA, silentB, missing, failed));
        // and bus B's silence left the list because it was acknowledged, not resolved: it is still open
        int answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/attention/acknowledgements"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"itemId\": \"" + silentB + "\"}")).build(),
                BodyHandlers.discarding()).statusCode();
        assertThat(answer).as("acknowledging %s again, an open item", silentB).isEqualTo(204);
        // and each acknowledgement is on the audit trail, with who acknowledged
        TopicProbe.awaitRecords(Topics.AUDIT_EVENTS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.value().getAction() == AuditAction.ATTENTION_ACKNOWLEDGED
                        && record.value().getSubjectId().equals(silentB)
                        && record.value().getPrincipal().equals("browser-test")
                        && record.value().getService().equals("ops-console")));

        // and bus B's timeline tells its day
        browser().get("http://127.0.0.1:" + port + "/#bus/" + busB);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(timelineRows())
                .as("timeline of %s", busB).contains("departed", "handed over", "discrepancy"));
    }

    @Test
    void shouldAskForTheFiguresWhenItsStreamIsRefusedOnReconnecting() {
        assumeTrue("stream".equals(expectedTransport()), "only a browser that streams can lose its stream");
        // given the page, live over its stream
        browser().get("http://127.0.0.1:" + port + "/");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(text("#connection")).isEqualTo("live");
            assertThat(attribute("#connection", "data-transport")).isEqualTo("stream");
        });

        // when the console restarts: the stream ends, and the browser's reconnection is refused (the session is gone)
        refuseStreams = true;
        try {
            DashboardStreams.closeAll(console);

            // then the page does not freeze on its last figures: it asks for them, and is live again
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(attribute("#connection", "data-transport")).isEqualTo("polling");
                assertThat(text("#connection")).isEqualTo("live");
            });
        } finally {
            refuseStreams = false;
        }
    }

    @Test
    void shouldKeepAnItemListedAndSayWhyWhenItsAcknowledgementIsRefused() {
        // given a bus last heard long ago: its silence needs attention
        String round = "R-ACK-" + UUID.randomUUID().toString().substring(0, 8);
        String bus = "BUS-ACK-" + round.substring(6);
        TopicProbe.produce(Topics.BUS_MANIFESTS, bus, Events.manifest(bus, round, round + "-p1"));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, bus, Events.movement(bus, round, Movement.DEPARTED, T0, 52.43, 30.99, "Gomel"));
        String silent = "tracker-silent:" + bus;
        browser().get("http://127.0.0.1:" + port + "/");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attentionItems()).containsKey(silent));

        // when the operator acknowledges it and the console refuses (its audit trail cannot record it)
        refuseAcknowledgements = true;
        try {
            clickIn("#attention", silent);

            // then the item stays listed and says why, through the pushes that redraw the list
            String refusal = "#attention li[data-item-id='" + silent + "'] .ack-refused";
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(text(refusal))
                    .isEqualTo("Not acknowledged: The audit trail cannot record this now"));
            TimeUnit.SECONDS.sleep(1);
            assertThat(text(refusal)).as("still shown after the next pushes").startsWith("Not acknowledged");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            refuseAcknowledgements = false;
        }
    }

    @Test
    void shouldListAnItemAcknowledgedByMistakeWithWhoAcknowledgedItAndPutItBackOnTheList() {
        // given a bus last heard long ago, whose silence the operator acknowledges on the page
        String round = "R-PUT-" + UUID.randomUUID().toString().substring(0, 8);
        String bus = "BUS-PUT-" + round.substring(6);
        TopicProbe.produce(Topics.BUS_MANIFESTS, bus, Events.manifest(bus, round, round + "-p1"));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, bus, Events.movement(bus, round, Movement.DEPARTED, T0, 52.43, 30.99, "Gomel"));
        String silent = "tracker-silent:" + bus;
        browser().get("http://127.0.0.1:" + port + "/");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(attentionItems()).containsKey(silent));
        clickIn("#attention", silent);

        // then it leaves the list, and is listed among the acknowledged items, with who acknowledged it
        String acknowledged = "#acknowledged li[data-item-id='" + silent + "']";
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(attentionItems()).doesNotContainKey(silent);
            assertThat(text(acknowledged + " .acknowledged-by")).startsWith("acknowledged by browser-test");
        });

        // when the operator puts it back
        clickIn("#acknowledged", silent);

        // then it is on the list again, and no longer among the acknowledged items
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(attentionItems()).containsKey(silent);
            assertThat(count(acknowledged)).isZero();
        });
        // and the audit trail says who put it back
        TopicProbe.awaitRecords(Topics.AUDIT_EVENTS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.value().getAction() == AuditAction.ATTENTION_ACKNOWLEDGEMENT_WITHDRAWN
                        && record.value().getSubjectId().equals(silent) && record.value().getPrincipal().equals("browser-test")));
    }

    /** Clicks the button of the item {@code itemId} in the list {@code list}, as the operator would. */
    private void clickIn(String list, String itemId) {
        script("var wanted = arguments[0]; document.querySelectorAll(arguments[1] + ' li[data-item-id]').forEach(function (item) {"
                + " if (item.getAttribute('data-item-id') === wanted) { item.querySelector('button').click(); } });", itemId, list);
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> attentionItems() {
        return (Map<String, String>) script("""
                var items = {};
                document.querySelectorAll('#attention li[data-item-id]').forEach(function (item) {
                    items[item.getAttribute('data-item-id')] = item.querySelector('a').getAttribute('href');
                });
                return items;""");
    }

    @SuppressWarnings("unchecked")
    private List<String> timelineRows() {
        return (List<String>) script("""
                return Array.from(document.querySelectorAll('#timeline tbody tr[data-what]'))
                    .map(function (row) { return row.cells[1].textContent; });""");
    }

    private static void commitOffsetZero(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)))
                    .all().get(10, TimeUnit.SECONDS);
        }
    }

    /** Read in one script run: the page re-renders on every push, so elements found earlier may be gone. */
    @SuppressWarnings("unchecked")
    private Map<String, String> funnelOnPage(String round) {
        return (Map<String, String>) script("""
                var figures = {};
                document.querySelectorAll("[data-round-id='" + arguments[0] + "'] [data-stage]").forEach(function (stage) {
                    figures[stage.dataset.stage] = stage.querySelector('.value').textContent;
                });
                return figures;""", round);
    }

    @SuppressWarnings("unchecked")
    private List<String> cells(String busId) {
        return (List<String>) script("""
                return Array.from(document.querySelectorAll("#buses tr[data-bus-id='" + arguments[0] + "'] td"))
                    .slice(0, 5).map(function (cell) { return cell.textContent; });""", busId);
    }

    private long count(String cssSelector) {
        return ((Number) script("return document.querySelectorAll(arguments[0]).length;", cssSelector)).longValue();
    }

    private String text(String cssSelector) {
        return (String) script(
                "var found = document.querySelector(arguments[0]); return found ? found.textContent : null;", cssSelector);
    }

    private String attribute(String cssSelector, String attribute) {
        return (String) script("var found = document.querySelector(arguments[0]); "
                + "return found ? found.getAttribute(arguments[1]) : null;", cssSelector, attribute);
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser()).executeScript(script, arguments);
    }
}

package org.homecoming.console;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.core.annotation.Order;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.context.TestConfiguration;
import org.homecoming.platform.security.Roles;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.transport.Movement;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.homecoming.console.Events.T0;

/**
 * The console page in a real browser: Debian's headless Chromium, driven through Debian's chromedriver,
 * loads the console started on a random port against the real broker, and the figures it shows must be
 * the events this test produced. A screenshot is saved under {@code target/screenshots/}.
 *
 * <p>Without Chromium this test fails and says what to install; {@code -Dhomecoming.browser-tests=skip}
 * skips it on purpose. Selenium Manager is never asked for anything: both executables are given.
 */
@DisabledIfSystemProperty(named = "homecoming.browser-tests", matches = "skip",
        disabledReason = "browser tests skipped on purpose with -Dhomecoming.browser-tests=skip")
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        OpsConsoleApplication.CONFIG_NAME, "homecoming.console.topic-poll-interval=500ms",
        "homecoming.console.push-interval=200ms"})
@Import(OpsConsoleBrowserTest.SignedIn.class)
class OpsConsoleBrowserTest {

    /**
     * The browser is already signed in as an ops viewer: this test is about the page, and signing in at the identity
     * provider is what ConsoleAccessTest and the end-to-end test check.
     */
    @TestConfiguration
    static class SignedIn {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        SecurityFilterChain signedInAsOpsViewer(HttpSecurity http) throws Exception {
            return http.securityMatcher("/**")
                    .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(Roles.OPS_VIEWER))
                    .anonymous(anonymous -> anonymous.principal("browser-test").authorities("ROLE_" + Roles.OPS_VIEWER))
                    .build();
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path CHROMIUM = Path.of(System.getProperty("homecoming.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("homecoming.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static WebDriver browser;
    private static Path profile;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Debian's headless Chromium: %s and %s must exist. Install them with "
                    + "`apt-get install -y chromium chromium-driver`, or skip this test with -Dhomecoming.browser-tests=skip.",
                    CHROMIUM, CHROMEDRIVER);
        }
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1440,2100", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void shouldShowOnThePageTheFiguresOfTheEventsOnTheTopics() throws IOException {
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
        browser.get("http://127.0.0.1:" + port + "/");

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
        assertThat(text("#connection")).as("live updates are connected").isEqualTo("live");
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
        Files.createDirectories(SCREENSHOTS);
        File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), SCREENSHOTS.resolve("ops-console.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Read in one script run: the page re-renders on every push, so elements found earlier may be gone. */
    @SuppressWarnings("unchecked")
    private Map<String, String> funnelOnPage(String round) {
        return (Map<String, String>) ((JavascriptExecutor) browser).executeScript("""
                const figures = {};
                document.querySelectorAll("[data-round-id='" + arguments[0] + "'] [data-stage]").forEach(stage =>
                    figures[stage.dataset.stage] = stage.querySelector('.value').textContent);
                return figures;""", round);
    }

    @SuppressWarnings("unchecked")
    private List<String> cells(String busId) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("""
                return Array.from(document.querySelectorAll("#buses tr[data-bus-id='" + arguments[0] + "'] td"))
                    .slice(0, 5).map(cell => cell.textContent);""", busId);
    }

    private long count(String cssSelector) {
        return (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll(arguments[0]).length;", cssSelector);
    }

    private String text(String cssSelector) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const found = document.querySelector(arguments[0]); return found ? found.textContent : null;", cssSelector);
    }
}

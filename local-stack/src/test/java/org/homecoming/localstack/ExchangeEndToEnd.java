package org.homecoming.localstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import org.homecoming.localstack.ExchangeScenario.Inquiry;
import org.homecoming.reunification.ReunificationApplication;
import org.homecoming.roster.RosterApplication;
import org.homecoming.testkit.KeycloakProcess;
import org.homecoming.transport.TransportApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole flow across the three services, driven through their public APIs by the same scenario player
 * as the local stack: a list is published, relatives ask, a bus crosses the border and arrives, people are
 * handed over and admitted, and relatives get their alerts, each exactly once. Subclasses say where the
 * broker and the registry are: the embedded ones of the testkit, or containers for users with Docker.
 *
 * <p>This is the suite's one test against the real identity provider: Keycloak with the local realm, whose demo
 * accounts play the scenario with their own tokens, and whose tokens an attacker does not have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the scenario first: a later test uses its buses
abstract class ExchangeEndToEnd {

    private static final Path ROOT = Path.of("..");

    private static final String RUN = java.util.UUID.randomUUID().toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    private GreenMail mail;
    private KeycloakProcess keycloak;
    private DemoAccounts accounts;
    private ConfigurableApplicationContext roster;
    private ConfigurableApplicationContext transport;
    private ConfigurableApplicationContext reunification;

    /** The broker's bootstrap servers, once it runs. */
    abstract String bootstrapServers();

    /** The registry's base URL, once it runs. */
    abstract String registryUrl();

    @BeforeAll
    void startTheServices() {
        keycloak = KeycloakProcess.startOnFreePort(Path.of(System.getProperty(KeycloakProcess.HOME_PROPERTY)),
                Path.of("src", "main", "resources", "identity", "homecoming-realm.json"),
                Path.of("target", "e2e-keycloak", RUN), Path.of("target", "e2e-keycloak", RUN + ".log"));
        accounts = new DemoAccounts(keycloak);
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        roster = start(RosterApplication.class, RosterApplication.CONFIG_NAME);
        transport = start(TransportApplication.class, TransportApplication.CONFIG_NAME);
        reunification = start(ReunificationApplication.class, ReunificationApplication.CONFIG_NAME,
                "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + mail.getSmtp().getPort());
    }

    @AfterAll
    void stopTheServices() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {reunification, transport, roster}) {
            if (context != null) {
                context.close();
            }
        }
        if (mail != null) {
            mail.stop();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Order(1)
    void shouldTellEachRelativeOnceAboutEachMilestoneOfTheirPerson() throws Exception {
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        ExchangeScenario scenario = new ExchangeScenario(
                new ExchangeScenario.Settings(1, 12, 4, 3600, Duration.ofMinutes(3)), ROOT.resolve(LocalStack.SCENARIO),
                LocalStack.crossingRoad(ROOT),
                url(roster), url(transport), url(reunification), accounts, mail,
                new PrintStream(transcript, true, StandardCharsets.UTF_8));

        scenario.play();

        Map<String, Inquiry> inquiries = scenario.inquiries();
        Inquiry asOnTheList = only(inquiries, "as on the list");
        Inquiry late = only(inquiries, "late: registered after the border crossing");
        Inquiry notListed = only(inquiries, "not on any list");
        Inquiry withdrawn = only(inquiries, "withdrawn from the list later");
        String report = transcript.toString(StandardCharsets.UTF_8);

        assertThat(milestones(asOnTheList))
                .as("a person on the list, on the bus, handed over with verified identity and admitted; transcript:%n%s", report)
                .containsExactlyInAnyOrder("LISTED_FOR_RELEASE", "CROSSED_BORDER", "ARRIVED", "AT_FACILITY");
        assertThat(milestones(late))
                .as("an inquiry registered after the crossing catches up on where the person is now")
                .contains("CROSSED_BORDER", "ARRIVED");
        assertThat(milestones(notListed)).as("nobody on any list matches this inquiry").isEmpty();
        assertThat(milestones(withdrawn))
                .as("after a withdrawal nothing more goes out automatically").containsOnly("LISTED_FOR_RELEASE");

        for (Inquiry inquiry : inquiries.values()) {
            int alerts = milestones(inquiry).size();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(emailsTo(inquiry.email()))
                    .as("e-mails to the relative of %s (%s): one per milestone, never twice", inquiry.inquiryId(), inquiry.variation())
                    .hasSize(alerts)
                    .doesNotHaveDuplicates());
        }
    }

    @Test
    @Order(2)
    void shouldTakeNoBusPositionsFromATrackerDeviceItsManifestDoesNotName() throws Exception {
        // given the scenario's buses, whose manifests name the trackers' client, and another device's token from Keycloak
        JsonNode buses = new Api(url(transport), accounts.accessToken(DemoAccounts.TRANSPORT_OFFICER)).get("/api/v1/buses");
        assertThat(buses.size()).as("the scenario's buses (it plays first)").isPositive();
        String bus = buses.get(0).path("busId").asText();
        assertThat(buses.get(0).path("trackerClient").asText()).isEqualTo(DemoAccounts.TRACKERS.clientId());
        String otherDevice = accounts.accessToken(DemoAccounts.SPARE_TRACKER).get();
        String reading = "[{\"latitude\": 52.3, \"longitude\": 31.0, \"recordedAt\": \"" + Instant.now().minusSeconds(10) + "\"}]";

        // when that device sends a reading of one of them, and of a bus that does not exist
        HttpResponse<String> ofABus = call("POST", url(transport) + "/api/v1/buses/" + bus + "/positions", reading, otherDevice);
        HttpResponse<String> ofNoBus = call("POST", url(transport) + "/api/v1/buses/bus-nobody-registered/positions", reading,
                otherDevice);

        // then both are refused, in the same words: the device learns neither which device the bus takes nor which buses exist
        assertThat(ofABus.statusCode()).as(ofABus.body()).isEqualTo(403);
        assertThat(ofNoBus.statusCode()).as(ofNoBus.body()).isEqualTo(403);
        String detail = JSON.readTree(ofABus.body()).path("detail").asText();
        assertThat(detail).contains("nothing was published").doesNotContain(DemoAccounts.TRACKERS.clientId());
        assertThat(JSON.readTree(ofNoBus.body()).path("detail").asText().replace("bus-nobody-registered", bus)).isEqualTo(detail);
    }

    @Test
    void shouldRefuseWhatAnAttackerOnTheNetworkTriedWithoutTheRightToken() throws Exception {
        // given an attacker with no token, and a partner's client whose token carries no REST role
        String partner = accounts.accessToken(DemoAccounts.PARTNER).get();
        String hotline = accounts.accessToken(DemoAccounts.HOTLINE).get();
        String json = "{\"reason\": \"attacker\"}";

        // then every probe of the issue is refused: 401 without a token, 403 with the wrong role
        assertThat(call("POST", url(reunification) + "/api/v1/matches/m-1/reject", json, null).statusCode()).isEqualTo(401);
        assertThat(call("POST", url(reunification) + "/api/v1/matches/m-1/confirm", json, partner).statusCode()).isEqualTo(403);
        assertThat(call("POST", url(reunification) + "/api/v1/matches/m-1/reject", json, hotline).statusCode())
                .as("a hotline operator does not decide matches").isEqualTo(403);
        assertThat(call("PUT", url(reunification) + "/api/v1/inquiries/inq-1", "{}", null).statusCode()).isEqualTo(401);
        assertThat(call("DELETE", url(reunification) + "/api/v1/inquiries/inq-1", null, partner).statusCode()).isEqualTo(403);
        assertThat(call("GET", url(reunification) + "/api/v1/matches", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", url(reunification) + "/api/v1/inquiries/inq-1", null, partner).statusCode()).isEqualTo(403);
        assertThat(call("GET", url(roster) + "/api/v1/rounds", null, hotline).statusCode())
                .as("the lists name detainees: not for the hotline").isEqualTo(403);
        assertThat(call("PUT", url(roster) + "/api/v1/rounds/r-1/lists", "a,b", null).statusCode()).isEqualTo(401);
        assertThat(call("POST", url(transport) + "/api/v1/buses/bus-1/handovers-complete", null, null).statusCode())
                .as("a body-less POST that another site's page could send: refused without a bearer token").isEqualTo(401);
        assertThat(call("GET", url(transport) + "/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> health = call("GET", url(reunification) + "/actuator/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).as("health shows no disk paths nor the mail host").doesNotContain("diskSpace", "mail", "path");
        // a token the provider signed for another resource (the schema registry's provisioning client) is refused
        String notForTheServices = keycloak.clientToken(RegistryAccess.PROVISIONING_CLIENT, RegistryAccess.PROVISIONING_SECRET);
        assertThat(call("GET", url(reunification) + "/api/v1/matches", null, notForTheServices).statusCode())
                .as("a token whose audience is not the service").isEqualTo(401);
        // a forged token, signed by anyone but the provider, is refused too
        String forged = hotline.substring(0, hotline.lastIndexOf('.') + 1) + "c2lnbmVkLWJ5LWFuLWF0dGFja2Vy";
        assertThat(call("GET", url(reunification) + "/api/v1/matches", null, forged).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldLetPrometheusScrapeEveryServiceAndReadNothingElse() throws Exception {
        // given the token the realm gives Prometheus's client, whose secret sits in docker/prometheus/prometheus.yml
        String scraper = accounts.accessToken(DemoAccounts.PROMETHEUS).get();

        // when it scrapes each service, and when it tries what an ops viewer may
        for (ConfigurableApplicationContext service : List.of(roster, transport, reunification)) {
            HttpResponse<String> metrics = call("GET", url(service) + "/actuator/prometheus", null, scraper);
            assertThat(metrics.statusCode()).as("scrape of %s", url(service)).isEqualTo(200);
            assertThat(metrics.body()).as("scrape of %s", url(service)).contains("jvm_memory_used_bytes");
        }
        HttpResponse<String> held = call("GET", url(reunification) + "/api/v1/alerts/held", null, scraper);
        HttpResponse<String> otherActuator = call("GET", url(transport) + "/actuator/metrics", null, scraper);

        // then the alerts held for an operator and the rest of actuator are refused
        assertThat(held.statusCode()).as("the alerts held for an operator").isEqualTo(403);
        assertThat(otherActuator.statusCode()).as("/actuator/metrics").isEqualTo(403);
    }

    @Test
    void shouldLetNobodyWhoReachesTheIdentityProviderMakeThemselvesItsAdministrator() throws Exception {
        // given someone who reaches Keycloak's port (another user of the machine) and opens its welcome page
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        HttpResponse<String> welcome = browser.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(welcome.body()).as("the page a fresh Keycloak shows when it has no administrator")
                .doesNotContain("Create an administrative user");

        // when they post the form that page would have had
        Matcher state = Pattern.compile("name=\"stateChecker\" type=\"hidden\" value=\"([^\"]+)\"").matcher(welcome.body());
        String form = "username=intruder&password=intruder-pass-1&passwordConfirmation=intruder-pass-1"
                + (state.find() ? "&stateChecker=" + state.group(1) : "");
        browser.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

        // then no such administrator exists; the one the start made, with the password only this user can read, does
        assertThatThrownBy(() -> keycloak.adminToken("intruder", "intruder-pass-1")).as("the intruder's sign-in")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Invalid user credentials");
        Path passwordFile = KeycloakProcess.adminPasswordFile(Path.of("target", "e2e-keycloak", RUN));
        assertThat(Files.getPosixFilePermissions(passwordFile)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(keycloak.adminToken(KeycloakProcess.ADMIN, Files.readString(passwordFile).strip())).isNotBlank();
    }

    private static HttpResponse<String> call(String method, String url, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Set<String> milestones(Inquiry inquiry) {
        Set<String> milestones = new TreeSet<>();
        new Api(url(reunification), accounts.accessToken(DemoAccounts.CASEWORKER)).get("/api/v1/inquiries/" + inquiry.inquiryId() + "/alerts")
                .forEach(alert -> milestones.add(alert.path("milestone").asText()));
        return milestones;
    }

    private List<String> emailsTo(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(message -> sentTo(message, address))
                .map(ExchangeEndToEnd::subject).collect(Collectors.toList());
    }

    private static boolean sentTo(Message message, String address) {
        try {
            return Arrays.stream(message.getAllRecipients()).anyMatch(recipient -> recipient.toString().contains(address));
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static String subject(Message message) {
        try {
            return message.getSubject() + " / " + message.getHeader("Message-ID")[0];
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static Inquiry only(Map<String, Inquiry> inquiries, String variation) {
        List<Inquiry> found = inquiries.values().stream().filter(inquiry -> inquiry.variation().equals(variation)).toList();
        assertThat(found).as("the scenario registered one inquiry '%s'", variation).hasSize(1);
        return found.get(0);
    }

    /** The config name goes in as a default property; the rest as arguments, which outrank the service's own file. */
    private ConfigurableApplicationContext start(Class<?> application, String configName, String... arguments) {
        List<String> all = new java.util.ArrayList<>(Arrays.asList(arguments));
        all.add("--server.port=0");
        all.add("--spring.kafka.bootstrap-servers=" + bootstrapServers());
        all.add("--homecoming.registry.url=" + registryUrl());
        // the containers' registry and broker may sit on a Docker host that is not this one: the test's own, reached in clear
        all.add("--homecoming.clear-text-hosts=" + java.net.URI.create(registryUrl()).getHost());
        all.add("--homecoming.identity.issuer-uri=" + keycloak.issuer());
        // the scenario's buses are tracked by the local stack's partner, as the launcher configures every service
        all.add("--homecoming.partners=" + String.join(",", KafkaCredentials.partners()));
        // Each run has a new broker, so Kafka Streams state must not outlive the run that wrote it.
        all.add("--spring.kafka.streams.state-dir=" + Path.of("target", "e2e-state", RUN, configName));
        return new SpringApplicationBuilder(application).properties(configName).run(all.toArray(String[]::new));
    }

    private static String url(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }
}

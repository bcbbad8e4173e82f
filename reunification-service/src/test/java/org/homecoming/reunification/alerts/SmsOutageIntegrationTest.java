package org.homecoming.reunification.alerts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.platform.security.Roles;
import org.homecoming.reunification.ReunificationApplication;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Exchange day with the SMS gateway down: the whole service against the real broker and registry, GreenMail as the mail
 * server, and the JDK's HTTP server standing in for the SMS gateway, answering 503 until the test brings it back. The
 * families who asked for e-mail, whose alerts come after the waiting SMS alert on the same partition of the alerts
 * topic, are e-mailed while it waits; once the gateway is back the SMS goes out, once.
 */
@ExtendWith(KafkaAndRegistry.class)
@WithMockUser(username = "hotline-7", roles = {Roles.HOTLINE_OPERATOR, Roles.CASEWORKER})
@SpringBootTest(properties = {ReunificationApplication.CONFIG_NAME, "reunification.delivery.back-off=50ms",
        "reunification.retention.first-sweep-after=PT1H"})
@AutoConfigureMockMvc
@DirtiesContext
class SmsOutageIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    /** What the stand-in gateway answers: 503 while it is down. */
    static final AtomicInteger gatewayAnswer = new AtomicInteger(503);
    /** The Idempotency-Key of each request the gateway took (answered 2xx). */
    static final List<String> sent = new CopyOnWriteArrayList<>();
    static final AtomicInteger refused = new AtomicInteger();
    static final ExecutorService gatewayThreads = Executors.newFixedThreadPool(2);
    static final HttpServer gateway = standInGateway();

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> greenMail.getSmtp().getPort());
        registry.add("reunification.delivery.sms-gateway-url", () -> "http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms");
    }

    @AfterAll
    static void stopGateway() {
        gateway.stop(0);
        gatewayThreads.shutdownNow();
    }

    @Autowired
    MockMvc mvc;

    @Test
    void shouldEmailTheFamiliesBehindAnSmsAlertOnItsPartitionWhileTheGatewayIsDownAndSendTheSmsOnceItIsBack() throws Exception {
        // given: two families who asked for e-mail, and one who gave only a phone number, all on one partition of the
        // alerts topic, while the SMS gateway answers 503
        String run = UUID.randomUUID().toString().substring(0, 8);
        String wife = "wife-" + run + "@example.org";
        String mother = "mother-" + run + "@example.org";
        String firstByEmail = register("Савчук", "Тарас", LocalDate.of(1971, 2, 3), wife, null);
        int partition = partitionOf(firstByEmail);
        LocalDate[] bornSecond = new LocalDate[1];
        String secondByEmail = registerOnPartition(partition, "Лисенко", "Назар", bornSecond, mother, null);
        LocalDate[] bornBySms = new LocalDate[1];
        String bySms = registerOnPartition(partition, "Гуменюк", "Данило", bornBySms, null, "+380671234567");

        // when: the SMS family's person is listed first, and its alert waits for the gateway
        String smsPerson = "p-sms-" + run;
        TopicProbe.produce(Topics.LISTED_PERSONS, smsPerson, listed(smsPerson, "Гуменюк", "Данило", bornBySms[0]));
        AlertIssued waiting = alertOf(bySms);
        TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(waiting.getAlertId()) && record.value().getFailureReason() != null
                        && record.value().getFailureReason().endsWith(AlertDelivery.WAITS_FOR_CHANNEL)));
        assertThat(refused.get()).as("the gateway refused the SMS").isPositive();

        // and then the two e-mail families' persons, whose alerts come after it on the same partition
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-wife-" + run, listed("p-wife-" + run, "Савчук", "Тарас", LocalDate.of(1971, 2, 3)));
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-mother-" + run, listed("p-mother-" + run, "Лисенко", "Назар", bornSecond[0]));
        assertThat(partitionOf(alertOf(firstByEmail).getInquiryId())).isEqualTo(partitionOf(secondByEmail)).isEqualTo(partitionOf(bySms));

        // then: both are e-mailed while the SMS alert still waits, neither delivered nor given up
        await().atMost(TIMEOUT).alias("both e-mail families told").until(() -> received(wife).size() == 1 && received(mother).size() == 1);
        assertThat(outcomes(waiting.getAlertId())).as("the SMS alert's records while the gateway is down")
                .doesNotContain(DeliveryOutcome.DELIVERED, DeliveryOutcome.FAILED, DeliveryOutcome.UNKNOWN);
        assertThat(sent).as("SMS the gateway took").isEmpty();

        // when: the gateway is back
        gatewayAnswer.set(202);

        // then: the SMS goes out once, without an operator
        TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(waiting.getAlertId()) && record.value().getOutcome() == DeliveryOutcome.DELIVERED));
        assertThat(sent).as("SMS the gateway took").singleElement().satisfies(key -> assertThat(key).startsWith(waiting.getAlertId()));
        assertThat(outcomes(waiting.getAlertId())).as("never failed or held").doesNotContain(DeliveryOutcome.FAILED, DeliveryOutcome.UNKNOWN);
        assertThat(received(wife)).as("still one e-mail each").hasSize(1);
        assertThat(received(mother)).hasSize(1);
    }

    /** Registers inquiries of other birth dates until one's alerts share {@code partition}; the others are withdrawn. */
    private String registerOnPartition(int partition, String surname, String givenName, LocalDate[] born, String email, String phone)
            throws Exception {
        for (int tries = 0; tries < 80; tries++) {
            LocalDate birthDate = LocalDate.of(1950, 1, 1).plusDays(131L * tries);
            String candidate = register(surname, givenName, birthDate, email, phone);
            if (partitionOf(candidate) == partition) {
                born[0] = birthDate;
                return candidate;
            }
            mvc.perform(delete("/api/v1/inquiries/" + candidate)).andExpect(status().isNoContent());
        }
        throw new AssertionError("no inquiry on partition " + partition + " in 80 tries");
    }

    private String register(String surname, String givenName, LocalDate born, String email, String phone) throws Exception {
        String contact = email != null ? "\"email\": \"" + email + "\"" : "\"phone\": \"" + phone + "\"";
        String response = mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": [{"surname": "%s", "givenName": "%s"}], "birthDate": "%s", "category": "SOLDIER"},
                         "relative": {"name": "Synthetic relative", "relationship": "wife", "language": "uk",
                                      "consentGiven": true, %s}}""".formatted(surname, givenName, born, contact)))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return com.jayway.jsonpath.JsonPath.read(response, "$.inquiryId");
    }

    private static AlertIssued alertOf(String inquiryId) {
        return TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)))
                .stream().filter(record -> record.key().equals(inquiryId)).map(ConsumerRecord::value).findFirst().orElseThrow();
    }

    private static List<DeliveryOutcome> outcomes(String alertId) {
        return TopicProbe.readAll(Topics.ALERT_DELIVERIES).stream().filter(record -> record.key().equals(alertId))
                .map(ConsumerRecord::value).map(AlertDeliveryAttempted::getOutcome).toList();
    }

    /** The partition of the alerts topic an inquiry's alerts go to (keyed by inquiry id, Kafka's default partitioner). */
    private static int partitionOf(String inquiryId) {
        return Utils.toPositive(Utils.murmur2(inquiryId.getBytes(StandardCharsets.UTF_8))) % Topics.ALERTS.partitions();
    }

    private static PersonListingChanged listed(String personId, String surname, String givenName, LocalDate birthDate) {
        return PersonListingChanged.newBuilder()
                .setPersonId(personId).setChange(ListingChange.LISTED).setRoundId("round-sms-outage").setListId("list-sms-outage")
                .setListVersion(1).setReleasingSide(Side.RU).setNativeName(new PersonName(surname, givenName, null))
                .setBirthDate(birthDate).setCategory(PersonCategory.SOLDIER).setChangedAt(Instant.now()).build();
    }

    private static List<MimeMessage> received(String recipient) {
        return List.of(greenMail.getReceivedMessagesForDomain(recipient));
    }

    private static HttpServer standInGateway() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/sms", exchange -> {
                exchange.getRequestBody().readAllBytes();
                int answer = gatewayAnswer.get();
                if (answer / 100 == 2) {
                    sent.add(exchange.getRequestHeaders().getFirst(SmsChannel.IDEMPOTENCY_KEY));
                } else {
                    refused.incrementAndGet();
                }
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.setExecutor(gatewayThreads);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

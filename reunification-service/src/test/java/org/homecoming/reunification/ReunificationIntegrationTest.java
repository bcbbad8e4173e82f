package org.homecoming.reunification;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;


import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.homecoming.platform.security.Roles;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.reunification.alerts.AlertDelivery;
import org.homecoming.reunification.pairing.ArrivalWarmUp;
import org.homecoming.reunification.pairing.SchemaLookups;
import org.homecoming.reunification.pairing.PairingListener;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The service against the real broker and registry, with GreenMail as the SMTP server. Every test uses its own
 * invented people, clearly different from the others', so the tests do not match each other's records.
 */
@ExtendWith(KafkaAndRegistry.class)
// an integration test, not an access test (ReunificationAccessTest is): one user with both roles the flow needs
@WithMockUser(username = "cw-7", roles = {Roles.HOTLINE_OPERATOR, Roles.CASEWORKER, Roles.OPS_VIEWER})
@SpringBootTest(properties = {ReunificationApplication.CONFIG_NAME, "reunification.delivery.back-off=50ms"})
@AutoConfigureMockMvc
@DirtiesContext // its listeners must not compete with the contexts that AlertDeliveryRestartIntegrationTest starts
class ReunificationIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> greenMail.getSmtp().getPort());
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JavaMailSenderImpl mailSender;

    @Autowired
    ReadinessWatch readiness;

    /** Notes, when readiness turns UP (ACCEPTING_TRAFFIC), whether the arrival path was already warmed up. */
    static class ReadinessWatch implements ApplicationListener<AvailabilityChangeEvent<?>> {

        final List<Boolean> warmedUpWhenReady = new CopyOnWriteArrayList<>();
        final List<Optional<SchemaLookups.Result>> lookedUpWhenReady = new CopyOnWriteArrayList<>();
        private final ObjectProvider<ArrivalWarmUp> warmUp;
        private final ObjectProvider<SchemaLookups> lookups;

        ReadinessWatch(ObjectProvider<ArrivalWarmUp> warmUp, ObjectProvider<SchemaLookups> lookups) {
            this.warmUp = warmUp;
            this.lookups = lookups;
        }

        @Override
        public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
            if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                warmedUpWhenReady.add(warmUp.getObject().result().isPresent());
                lookedUpWhenReady.add(lookups.getObject().result());
            }
        }
    }

    @TestConfiguration
    static class Readiness {
        @Bean
        ReadinessWatch readinessWatch(ObjectProvider<ArrivalWarmUp> warmUp, ObjectProvider<SchemaLookups> lookups) {
            return new ReadinessWatch(warmUp, lookups);
        }
    }

    @Test
    void shouldSayReadyOnlyOnceTheArrivalPathWasWarmedUp() throws Exception {
        assertThat(readiness.warmedUpWhenReady).as("readiness turned UP once, after the warm-up had run").containsExactly(true);
        assertThat(readiness.lookedUpWhenReady).as("and after the real serializers had looked the alert schema up in the registry")
                .singleElement().satisfies(lookedUp -> assertThat(lookedUp).hasValueSatisfying(result -> {
                    assertThat(result.serializers()).as("serializers of the service's producers that resolved it").isPositive();
                    assertThat(result.failed()).isZero();
                }));
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        assertThat(TopicProbe.readAll(Topics.MATCHES)).as("the warm-up's rehearsed persons are never published")
                .noneMatch(record -> record.value() != null && record.value().getPersonId().startsWith("warm-up-"));
        assertThat(TopicProbe.readAll(Topics.ALERTS)).as("nor their alerts")
                .noneMatch(record -> record.value() != null && record.value().getPersonId().startsWith("warm-up-"));
    }

    @Test
    void shouldAutoMatchAListedPersonAndEmailTheRelativeExactlyOnce() throws Exception {
        String inquiryId = register("Петренко", "Олександр", "1990-04-12", "olena.petrenko@example.org", "en");

        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-1", listed("p-int-1", "Петренко", "Олександр", LocalDate.of(1990, 4, 12)));

        List<ConsumerRecord<String, MatchDecided>> matches = TopicProbe.awaitRecords(Topics.MATCHES, TIMEOUT,
                records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)));
        assertThat(matches).filteredOn(record -> record.key().equals(inquiryId)).singleElement().satisfies(record -> {
            assertThat(record.value().getStatus()).isEqualTo(MatchStatus.AUTO_MATCHED);
            assertThat(record.value().getPersonId()).isEqualTo("p-int-1");
            assertThat(record.value().getEvidence()).as("evidence per field").isNotEmpty();
        });
        List<ConsumerRecord<String, AlertIssued>> alerts = TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT,
                records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)));
        AlertIssued alert = alerts.stream().filter(record -> record.key().equals(inquiryId)).map(ConsumerRecord::value)
                .findFirst().orElseThrow();
        assertThat(alert.getMilestone()).isEqualTo(Milestone.LISTED_FOR_RELEASE);
        assertThat(alert.toString()).as("an alert carries no name and no contact").doesNotContain("Петренко", "olena");

        await().atMost(TIMEOUT).until(() -> received("olena.petrenko@example.org").size() == 1);
        MimeMessage mail = received("olena.petrenko@example.org").get(0);
        assertThat(mail.getMessageID()).isEqualTo("<" + alert.getAlertId() + "@homecoming>");
        assertThat(mail.getSubject()).isEqualTo("The person you are looking for is on a release list");
        assertThat(((String) mail.getContent())).contains(inquiryId).contains("Lists can still change");
        TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(alert.getAlertId()) && record.value().getOutcome() == DeliveryOutcome.DELIVERED));
        mvc.perform(get("/api/v1/inquiries/" + inquiryId + "/alerts"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].milestone").value("LISTED_FOR_RELEASE"))
                .andExpect(jsonPath("$[0].delivery").value("DELIVERED"))
                .andExpect(jsonPath("$[0].reason").doesNotExist());
        assertThat(received("olena.petrenko@example.org")).as("still exactly one email").hasSize(1);
    }

    @Test
    void shouldEmailAMotherWhoRegisteredTwiceOnceAndShowTheHotlineWhyTheSecondInquiryWasNotSent() throws Exception {
        // given: the mother registered at the hotline, and a partner organisation registered her again, in English
        String first = register("Коваленко", "Святослав", "1992-08-17", "mother.kovalenko@example.org", "uk");
        String second = register("Коваленко", "Святослав", "1992-08-17", "mother.kovalenko@example.org", "en");

        // when: her son is listed
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-twice",
                listed("p-int-twice", "Коваленко", "Святослав", LocalDate.of(1992, 8, 17)));

        // then: both inquiries got an alert, the mailbox one e-mail, and the hotline sees why the other was not sent
        TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records -> records.stream().filter(record ->
                record.key().equals(first) || record.key().equals(second)).count() == 2);
        await().atMost(TIMEOUT).until(() -> received("mother.kovalenko@example.org").size() == 1);
        List<ConsumerRecord<String, AlertDeliveryAttempted>> attempts = TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES,
                TIMEOUT, records -> records.stream().filter(record -> record.value().getPersonId() != null
                        && record.value().getPersonId().equals("p-int-twice") && record.value().getOutcome() != DeliveryOutcome.SENDING)
                        .count() == 2);
        String withheld = attempts.stream().map(ConsumerRecord::value).filter(attempt -> "p-int-twice".equals(attempt.getPersonId())
                && attempt.getOutcome() == DeliveryOutcome.FAILED).map(attempt -> attempt.getInquiryId()).findFirst().orElseThrow();
        String told = withheld.equals(first) ? second : first;
        mvc.perform(get("/api/v1/inquiries/" + withheld + "/alerts"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].delivery").value("FAILED"))
                .andExpect(jsonPath("$[0].attempts").value(0))
                .andExpect(jsonPath("$[0].reason").value("the same news already went to this address through another inquiry: not sent twice"))
                .andExpect(content().string(not(containsString(told))));
        mvc.perform(get("/api/v1/inquiries/" + told + "/alerts"))
                .andExpect(jsonPath("$[0].delivery").value("DELIVERED"));
        assertThat(received("mother.kovalenko@example.org")).as("still exactly one email").hasSize(1);
    }

    @Test
    void shouldKeepAnAlertWhileTheMailServerIsUnreachableAndEmailItOnceWhenItIsBack() throws Exception {
        // given: the mail server cannot be reached (nothing listens where the service sends mail)
        int mailPort = mailSender.getPort();
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        mailSender.setPort(closedPort);
        AlertIssued alert;
        try {
            String inquiryId = register("Ковальчук", "Остап", "1976-11-05", "nadiia.kovalchuk@example.org", "uk");
            TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-10", listed("p-int-10", "Ковальчук", "Остап", LocalDate.of(1976, 11, 5)));
            alert = TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)))
                    .stream().filter(record -> record.key().equals(inquiryId)).map(ConsumerRecord::value).findFirst().orElseThrow();

            // when: every attempt of a round meets the outage, the alert waits for the server: not given up
            TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                    record.key().equals(alert.getAlertId()) && record.value().getOutcome() == DeliveryOutcome.RETRYING
                            && record.value().getFailureReason().endsWith(AlertDelivery.WAITS_FOR_CHANNEL)));
        } finally {
            mailSender.setPort(mailPort);
        }

        // then: once the server is reachable again, the family gets one e-mail, and the alert never reached the DLT
        await().atMost(TIMEOUT).until(() -> received("nadiia.kovalchuk@example.org").size() == 1);
        TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(alert.getAlertId()) && record.value().getOutcome() == DeliveryOutcome.DELIVERED));
        assertThat(TopicProbe.readAll(Topics.ALERT_DELIVERIES)).as("never FAILED, so no operator had to resend it")
                .noneMatch(record -> record.key().equals(alert.getAlertId()) && record.value().getOutcome() == DeliveryOutcome.FAILED);
        assertThat(TopicProbe.readRaw(Topics.ALERTS.name() + Topic.DEAD_LETTER_SUFFIX))
                .noneMatch(record -> alert.getInquiryId().equals(record.key()));
        assertThat(received("nadiia.kovalchuk@example.org")).as("still exactly one email").hasSize(1);
    }

    @Test
    void shouldEmailAFamilyWhileTheAlertBeforeItOnItsPartitionWaitsForTheSmsGateway() throws Exception {
        // given: a family that asked for e-mail, and one that asked for SMS whose alert comes first on the same partition
        // of the alerts topic (alerts are keyed by inquiry), while the SMS gateway is down (nothing listens at its URL)
        String byEmail = register("Дзюба", "Ярема", "1966-07-09", "oksana.dziuba@example.org", "uk");
        LocalDate smsBirthDate = LocalDate.of(1972, 8, 20);
        String bySms = null;
        for (int tries = 0; tries < 60 && bySms == null; tries++) {
            // each candidate another person (another birth date), so only the chosen one matches the listed person
            LocalDate birthDate = LocalDate.of(1950, 1, 1).plusDays(97L * tries);
            String candidate = registerForSms("Гнатюк", "Всеволод", birthDate.toString(), "+38050123" + String.format("%04d", tries));
            if (partitionOf(candidate) == partitionOf(byEmail)) {
                bySms = candidate;
                smsBirthDate = birthDate;
            } else {
                mvc.perform(delete("/api/v1/inquiries/" + candidate)).andExpect(status().isNoContent());
            }
        }
        assertThat(bySms).as("an SMS inquiry on the e-mail inquiry's partition").isNotNull();
        String smsInquiry = bySms;
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-20", listed("p-int-20", "Гнатюк", "Всеволод", smsBirthDate));
        AlertIssued waiting = TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records -> records.stream().anyMatch(record -> record.key().equals(smsInquiry)))
                .stream().filter(record -> record.key().equals(smsInquiry)).map(ConsumerRecord::value).findFirst().orElseThrow();
        TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(waiting.getAlertId()) && record.value().getFailureReason() != null
                        && record.value().getFailureReason().endsWith(AlertDelivery.WAITS_FOR_CHANNEL)));

        // when: the e-mail family's person is listed, after the waiting SMS alert on the same partition
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-21", listed("p-int-21", "Дзюба", "Ярема", LocalDate.of(1966, 7, 9)));

        // then: the e-mail goes out while the SMS alert still waits for its gateway (one lane per channel)
        await().atMost(TIMEOUT).until(() -> received("oksana.dziuba@example.org").size() == 1);
        assertThat(TopicProbe.readAll(Topics.ALERT_DELIVERIES)).as("the SMS alert neither delivered nor given up")
                .filteredOn(record -> record.key().equals(waiting.getAlertId()))
                .noneMatch(record -> record.value().getOutcome() == DeliveryOutcome.DELIVERED
                        || record.value().getOutcome() == DeliveryOutcome.FAILED);

        // and once its family withdraws the inquiry, the waiting alert is withheld, not sent, and its lane goes on
        mvc.perform(delete("/api/v1/inquiries/" + smsInquiry)).andExpect(status().isNoContent());
        TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(waiting.getAlertId()) && record.value().getOutcome() == DeliveryOutcome.FAILED
                        && record.value().getAttempt() == 0));
    }

    @Test
    void shouldEmailAFamilyWhileAnAlertOnAnotherPartitionWaitsForAnInquiryThisInstanceHasNotRead() throws Exception {
        // given: a family that asked for e-mail, and an e-mail alert of an inquiry this instance has not read (as after a
        // takeover, while it still reads the inquiries topic) on another partition of the alerts topic: its consumer
        // waits for the inquiry, up to the inquiry patience (90 s, longer than this test waits)
        String byEmail = register("Ярошенко", "Мирон", "1979-03-14", "halyna.yaroshenko@example.org", "uk");
        String unread = null;
        for (int tries = 0; unread == null; tries++) {
            String candidate = "inq-unread-" + tries + "-" + java.util.UUID.randomUUID();
            if (partitionOf(candidate) != partitionOf(byEmail)) {
                unread = candidate;
            }
        }
        AlertIssued waiting = AlertIssued.newBuilder().setAlertId("alert-unread-" + unread).setInquiryId(unread).setPersonId("p-int-30")
                .setMilestone(Milestone.LISTED_FOR_RELEASE).setLanguage(org.homecoming.events.reunification.Language.UK)
                .setChannel(org.homecoming.events.reunification.AlertChannel.EMAIL).setIssuedAt(Instant.now()).build();
        TopicProbe.produce(Topics.ALERTS, unread, waiting);

        // when: the e-mail family's person is listed
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-31", listed("p-int-31", "Ярошенко", "Мирон", LocalDate.of(1979, 3, 14)));

        // then: the e-mail goes out while the other alert still waits (a consumer per partition in each lane)
        await().atMost(TIMEOUT).until(() -> received("halyna.yaroshenko@example.org").size() == 1);
        assertThat(TopicProbe.readAll(Topics.ALERT_DELIVERIES)).as("the alert of the unread inquiry, still waiting")
                .noneMatch(record -> record.key().equals(waiting.getAlertId()));

        // and once its inquiry is known (here: withdrawn), it is withheld and its partition goes on
        TopicProbe.produceRaw(Topics.INQUIRIES.name(), unread, null);
        TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(waiting.getAlertId()) && record.value().getOutcome() == DeliveryOutcome.FAILED
                        && record.value().getAttempt() == 0));
    }

    @Test
    void shouldSkipAnUnreadableRecordOfTransportsTopicAndGoOnWithTheNext() throws Exception {
        String inquiryId = register("Коваленко", "Андрій", "1985-09-03", "iryna.kovalenko@example.org", "uk");
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-2", listed("p-int-2", "Коваленко", "Андрій", LocalDate.of(1985, 9, 3)));
        await().atMost(TIMEOUT).until(() -> received("iryna.kovalenko@example.org").size() == 1);

        // a poison record on transport's topic: transport, its owner, dead-letters it (once); reunification skips it,
        // or every service that reads the topic would add its own copy
        TopicProbe.produceRaw(Topics.PERSON_ARRIVALS.name(), "p-int-2", "not avro".getBytes(StandardCharsets.UTF_8));
        TopicProbe.produce(Topics.PERSON_ARRIVALS, "p-int-2", new PersonHandedOver("p-int-2", "bus-int-2", "round-int",
                Instant.now(), true, TriageLevel.DELAYED, "Chernihiv Regional Hospital", true, "chernihiv-regional-hospital"));

        TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals(inquiryId) && record.value().getMilestone() == Milestone.ARRIVED));
        await().atMost(TIMEOUT).until(() -> received("iryna.kovalenko@example.org").size() == 2);
        assertThat(received("iryna.kovalenko@example.org")).extracting(MimeMessage::getSubject)
                .as("the arrival after the poison record was processed, in Ukrainian")
                .contains("Людина, яку ви шукаєте, прибула");
        assertThat(TopicProbe.readRaw(Topics.PERSON_ARRIVALS.deadLetterTopic()))
                .as("no copy of the poison record from reunification")
                .noneMatch(record -> "not avro".equals(new String(record.value(), StandardCharsets.UTF_8)));
    }

    @Test
    void shouldKeepItsStateWhenTheGroupRebalancesWithoutChangingWhatItOwnsAndAlertOnlyWhatIsNew() throws Exception {
        String inquiryId = register("Гнатюк", "Тарас", "1987-06-21", "oksana.hnatiuk@example.org", "uk");
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-9", listed("p-int-9", "Гнатюк", "Тарас", LocalDate.of(1987, 6, 21)));
        await().atMost(TIMEOUT).until(() -> received("oksana.hnatiuk@example.org").size() == 1);
        double rebuilt = assignments("rebuilt");
        double kept = assignments("kept");

        // when: the group rebalances and gives this instance what it had, as it does after a broker restarts
        listeners.getListenerContainer(PairingListener.ID).enforceRebalance();
        await().atMost(TIMEOUT).until(() -> assignments("kept") == kept + 1);
        // and the person arrives afterwards
        TopicProbe.produce(Topics.PERSON_ARRIVALS, "p-int-9", new PersonHandedOver("p-int-9", "bus-int-9", "round-int",
                Instant.now(), true, TriageLevel.DELAYED, "Chernihiv Regional Hospital", true, "chernihiv-regional-hospital"));

        // then: the relative hears of the arrival, and of nothing twice
        await().atMost(TIMEOUT).until(() -> received("oksana.hnatiuk@example.org").size() == 2);
        assertThat(TopicProbe.readAll(Topics.ALERTS)).filteredOn(record -> record.key().equals(inquiryId))
                .extracting(record -> record.value().getMilestone())
                .containsExactlyInAnyOrder(Milestone.LISTED_FOR_RELEASE, Milestone.ARRIVED);
        // and the state was kept, not rebuilt from the topics
        assertThat(assignments("rebuilt")).as("assignments that rebuilt the state").isEqualTo(rebuilt);
    }

    double assignments(String state) {
        return meters.get(MetricNames.PAIRING_ASSIGNMENTS).tag("state", state).counter().count();
    }

    @Test
    void shouldNeverAlertAWithdrawnInquiry() throws Exception {
        String withdrawn = register("Бондаренко", "Тарас", "1979-02-17", "halyna.bondarenko@example.org", "uk");
        String control = register("Шевчук", "Ірина", "1993-12-08", "petro.shevchuk@example.org", "ru");
        mvc.perform(delete("/api/v1/inquiries/" + withdrawn)).andExpect(status().isNoContent());

        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-3", listed("p-int-3", "Бондаренко", "Тарас", LocalDate.of(1979, 2, 17)));
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-4", listed("p-int-4", "Шевчук", "Ірина", LocalDate.of(1993, 12, 8)));

        List<ConsumerRecord<String, AlertIssued>> alerts = TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT,
                records -> records.stream().anyMatch(record -> record.key().equals(control)));
        await().atMost(TIMEOUT).until(() -> received("petro.shevchuk@example.org").size() == 1);
        assertThat(alerts).as("no alert for the withdrawn inquiry").noneMatch(record -> record.key().equals(withdrawn));
        assertThat(TopicProbe.readAll(Topics.MATCHES)).as("no match proposed for the withdrawn inquiry")
                .noneMatch(record -> record.key().equals(withdrawn));
        assertThat(received("halyna.bondarenko@example.org")).isEmpty();
        assertThat(TopicProbe.readRaw(Topics.INQUIRIES.name())).as("the withdrawal is a tombstone on the compacted topic")
                .anyMatch(record -> record.key().equals(withdrawn) && record.value() == null);
    }

    @Test
    void shouldSendTwoStrongCandidatesToReviewAndAlertOnlyWhenACaseworkerConfirms() throws Exception {
        listNamesakes("Олійник", "Роман", LocalDate.of(1983, 6, 30), "p-int-5", "p-int-6");

        String inquiryId = register("Олійник", "Роман", "1983-06-30", "svitlana.oliinyk@example.org", "uk");

        List<ConsumerRecord<String, MatchDecided>> proposed = TopicProbe.awaitRecords(Topics.MATCHES, TIMEOUT, records ->
                records.stream().filter(record -> record.key().equals(inquiryId)).count() == 2);
        assertThat(proposed).filteredOn(record -> record.key().equals(inquiryId)).extracting(ConsumerRecord::value)
                .allSatisfy(decision -> {
                    assertThat(decision.getStatus()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
                    assertThat(decision.getReason()).isEqualTo("two strong candidates");
                });
        String body = mvc.perform(get("/api/v1/matches").param("status", "REVIEW"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> queued = com.jayway.jsonpath.JsonPath.read(body, "$[?(@.inquiryId == '" + inquiryId + "')].personId");
        assertThat(queued).containsExactlyInAnyOrder("p-int-5", "p-int-6");
        String matchId = com.jayway.jsonpath.JsonPath.<List<String>>read(body,
                "$[?(@.inquiryId == '" + inquiryId + "' && @.personId == 'p-int-5')].matchId").get(0);
        assertThat(TopicProbe.readAll(Topics.ALERTS)).as("no alert before a caseworker decides")
                .noneMatch(record -> record.key().equals(inquiryId));

        mvc.perform(post("/api/v1/matches/" + matchId + "/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"caseworker\": \"cw-7\", \"reason\": \"unit and photo checked with the family\"}"))
                .andExpect(status().isAccepted());

        List<ConsumerRecord<String, AlertIssued>> alerts = TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT,
                records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)));
        assertThat(alerts).filteredOn(record -> record.key().equals(inquiryId)).singleElement().satisfies(record -> {
            assertThat(record.value().getPersonId()).isEqualTo("p-int-5");
            assertThat(record.value().getMilestone()).isEqualTo(Milestone.LISTED_FOR_RELEASE);
        });
        await().atMost(TIMEOUT).until(() -> received("svitlana.oliinyk@example.org").size() == 1);
        assertThat(TopicProbe.readAll(Topics.MATCHES)).as("the caseworker's decision is kept with the others")
                .anyMatch(record -> record.key().equals(inquiryId) && record.value().getStatus() == MatchStatus.CONFIRMED
                        && record.value().getDecidedBy().equals("cw-7"));
    }

    @Test
    void shouldWithholdAQueuedAlertWhoseMatchFellAndEmailItOnceWhenTheMatchIsConfirmedAgain() throws Exception {
        // given: two namesakes in review, and the mail queue stalled (delivery stopped, as behind a mail outage)
        listNamesakes("Мельничук", "Богдан", LocalDate.of(1981, 3, 14), "p-int-7", "p-int-8");
        listeners.getListenerContainer(AlertDelivery.EMAIL_LANE).stop();
        String inquiryId;
        String matchId;
        try {
            inquiryId = register("Мельничук", "Богдан", "1981-03-14", "daryna.melnychuk@example.org", "uk");
            TopicProbe.awaitRecords(Topics.MATCHES, TIMEOUT, records -> records.stream().filter(record -> record.key().equals(inquiryId)).count() == 2);
            matchId = org.homecoming.reunification.pairing.AlertRules.matchId(inquiryId, "p-int-7");
            confirm(matchId, "photo checked with the family");
            String alertId = TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)))
                    .stream().filter(record -> record.key().equals(inquiryId)).findFirst().orElseThrow().value().getAlertId();

            // when: the hotline corrects the inquiry before the alert went out, so the confirmation goes back to a caseworker
            mvc.perform(put("/api/v1/inquiries/" + inquiryId).contentType(MediaType.APPLICATION_JSON).content("""
                            {"sought": {"names": [{"surname": "Мельничук", "givenName": "Богдан"}], "birthDate": "1981-03-14",
                                        "category": "SOLDIER", "unit": "a unit the wife remembered"},
                             "relative": {"name": "Synthetic relative", "relationship": "wife", "language": "uk",
                                          "consentGiven": true, "email": "daryna.melnychuk@example.org"}}"""))
                    .andExpect(status().is2xxSuccessful());
            TopicProbe.awaitRecords(Topics.MATCHES, TIMEOUT, records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)
                    && record.value().getPersonId().equals("p-int-7") && record.value().getStatus() == MatchStatus.REVIEW_REQUESTED
                    && "corrected after confirmation".equals(record.value().getReason())));
            listeners.getListenerContainer(AlertDelivery.EMAIL_LANE).start();

            // then: the queued alert is withheld, and says why
            TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                    record.key().equals(alertId) && record.value().getOutcome() == DeliveryOutcome.FAILED && record.value().getAttempt() == 0
                            && record.value().getFailureReason().startsWith("the match no longer stands")));
            assertThat(received("daryna.melnychuk@example.org")).as("no e-mail about a match that fell").isEmpty();

            // when: a caseworker confirms it again, on the corrected inquiry
            confirm(matchId, "unit checked with the family");

            // then: the family is e-mailed once, under the alert's one Message-ID
            await().atMost(TIMEOUT).until(() -> received("daryna.melnychuk@example.org").size() == 1);
            assertThat(received("daryna.melnychuk@example.org").get(0).getMessageID()).isEqualTo("<" + alertId + "@homecoming>");
            TopicProbe.awaitRecords(Topics.ALERT_DELIVERIES, TIMEOUT, records -> records.stream().anyMatch(record ->
                    record.key().equals(alertId) && record.value().getOutcome() == DeliveryOutcome.DELIVERED));
            assertThat(received("daryna.melnychuk@example.org")).as("still exactly one e-mail").hasSize(1);
        } finally {
            if (!listeners.getListenerContainer(AlertDelivery.EMAIL_LANE).isRunning()) {
                listeners.getListenerContainer(AlertDelivery.EMAIL_LANE).start();
            }
        }
    }

    @Test
    void shouldKeepACaseworkersRejectionWhenTheRelativeChangesOnlyHerEmailAndAskAgainWhenSheCorrectsTheSoughtPerson() throws Exception {
        // given: a clear match that a caseworker ruled out
        String inquiryId = register("Гнатюк", "Ярослав", "1984-09-30", "iryna.hnatiuk@example.org", "uk");
        var listing = TopicProbe.produce(Topics.LISTED_PERSONS, "p-int-9", listed("p-int-9", "Гнатюк", "Ярослав", LocalDate.of(1984, 9, 30)));
        TopicProbe.awaitProcessed(org.homecoming.reunification.pairing.PairingListener.GROUP, listing, TIMEOUT);
        String matchId = org.homecoming.reunification.pairing.AlertRules.matchId(inquiryId, "p-int-9");
        mvc.perform(post("/api/v1/matches/" + matchId + "/reject").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"caseworker\": \"cw-7\", \"reason\": \"another unit\"}"))
                .andExpect(status().isAccepted());
        TopicProbe.awaitRecords(Topics.MATCHES, TIMEOUT, records -> records.stream().anyMatch(record -> record.key().equals(inquiryId)
                && record.value().getStatus() == MatchStatus.REJECTED));

        // when: she gives a new e-mail address (revision 2), then adds his unit (revision 3)
        String body = """
                {"sought": {"names": [{"surname": "Гнатюк", "givenName": "Ярослав"}], "birthDate": "1984-09-30",
                            "category": "SOLDIER"%s},
                 "relative": {"name": "Synthetic relative", "relationship": "wife", "language": "uk",
                              "consentGiven": true, "email": "%s"}}""";
        mvc.perform(put("/api/v1/inquiries/" + inquiryId).contentType(MediaType.APPLICATION_JSON)
                        .content(body.formatted("", "iryna.new@example.org")))
                .andExpect(jsonPath("$.revision").value(2));
        mvc.perform(put("/api/v1/inquiries/" + inquiryId).contentType(MediaType.APPLICATION_JSON)
                        .content(body.formatted(", \"unit\": \"72nd brigade\"", "iryna.new@example.org")))
                .andExpect(jsonPath("$.revision").value(3));

        // then: the topic says which revision changed the sought person
        assertThat(TopicProbe.awaitRecords(Topics.INQUIRIES, TIMEOUT, records -> records.stream()
                        .filter(record -> record.key().equals(inquiryId)).count() == 3))
                .filteredOn(record -> record.key().equals(inquiryId))
                .extracting(record -> record.value().getRevision() + "/" + record.value().getSoughtRevision())
                .containsExactly("1/1", "2/1", "3/3");
        // and only the correction decided the pair again (the same partition: revision 2 was read before it)
        List<MatchDecided> decided = TopicProbe.awaitRecords(Topics.MATCHES, TIMEOUT, records -> records.stream()
                        .anyMatch(record -> record.key().equals(inquiryId) && Integer.valueOf(3).equals(record.value().getInquiryRevision())))
                .stream().filter(record -> record.key().equals(inquiryId)).map(ConsumerRecord::value).toList();
        assertThat(decided).extracting(decision -> decision.getStatus() + "@" + decision.getInquiryRevision())
                .as("an address change undid no rejection").containsExactly("AUTO_MATCHED@1", "REJECTED@1", "REVIEW_REQUESTED@3");
        assertThat(decided.get(2).getReason()).as("only a caseworker takes back her ruling").isEqualTo("corrected after rejection");
    }

    /** Lists two people of one name and birth date, and waits until pairing has read both. */
    static void listNamesakes(String surname, String givenName, LocalDate born, String firstId, String secondId) throws Exception {
        var first = TopicProbe.produce(Topics.LISTED_PERSONS, firstId, listed(firstId, surname, givenName, born));
        var second = TopicProbe.produce(Topics.LISTED_PERSONS, secondId, listed(secondId, surname, givenName, born));
        TopicProbe.awaitProcessed(org.homecoming.reunification.pairing.PairingListener.GROUP, first, TIMEOUT);
        TopicProbe.awaitProcessed(org.homecoming.reunification.pairing.PairingListener.GROUP, second, TIMEOUT);
    }

    void confirm(String matchId, String reason) throws Exception {
        mvc.perform(post("/api/v1/matches/" + matchId + "/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"caseworker\": \"cw-7\", \"reason\": \"" + reason + "\"}"))
                .andExpect(status().isAccepted());
    }

    String register(String surname, String givenName, String birthDate, String email, String language) throws Exception {
        String response = mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": [{"surname": "%s", "givenName": "%s"}], "birthDate": "%s", "category": "SOLDIER"},
                         "relative": {"name": "Synthetic relative", "relationship": "wife", "language": "%s",
                                      "consentGiven": true, "email": "%s"}}""".formatted(surname, givenName, birthDate, language, email)))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return com.jayway.jsonpath.JsonPath.read(response, "$.inquiryId");
    }

    /** An inquiry whose relative gave only a phone number: its alerts go by SMS. */
    String registerForSms(String surname, String givenName, String birthDate, String phone) throws Exception {
        String response = mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": [{"surname": "%s", "givenName": "%s"}], "birthDate": "%s", "category": "SOLDIER"},
                         "relative": {"name": "Synthetic relative", "relationship": "mother", "language": "uk",
                                      "consentGiven": true, "phone": "%s"}}""".formatted(surname, givenName, birthDate, phone)))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return com.jayway.jsonpath.JsonPath.read(response, "$.inquiryId");
    }

    /** The partition of the alerts topic an inquiry's alerts go to (keyed by inquiry id, Kafka's default partitioner). */
    static int partitionOf(String inquiryId) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                inquiryId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % Topics.ALERTS.partitions();
    }

    static PersonListingChanged listed(String personId, String surname, String givenName, LocalDate birthDate) {
        return PersonListingChanged.newBuilder()
                .setPersonId(personId).setChange(ListingChange.LISTED).setRoundId("round-int").setListId("list-int")
                .setListVersion(1).setReleasingSide(Side.RU).setNativeName(new PersonName(surname, givenName, null))
                .setBirthDate(birthDate).setCategory(PersonCategory.SOLDIER).setChangedAt(Instant.now()).build();
    }

    static List<MimeMessage> received(String recipient) {
        return List.of(greenMail.getReceivedMessagesForDomain(recipient));
    }

    static List<ConsumerRecord<String, byte[]>> awaitRaw(String topic) {
        List<List<ConsumerRecord<String, byte[]>>> last = new java.util.ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            last.clear();
            last.add(TopicProbe.readRaw(topic));
            return !last.get(0).isEmpty();
        });
        return last.get(0);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}

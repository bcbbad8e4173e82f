package org.homecoming.reunification;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.security.Roles;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Two instances of the service on one broker, in the same groups, as two processes would run: the pairing group
 * divides the inquiries between them and both read every person. Every relative is alerted once per milestone and
 * e-mailed once, no pair is decided twice, an inquiry registered on one instance is read on the other, and either
 * answers about every inquiry's alerts; when one instance stops in the middle of the operation the other takes its
 * inquiries over and finishes, losing and duplicating nothing; and when a new instance joins and takes some inquiries
 * from the survivor, both still answer about all of them.
 *
 * <p>It starts its own contexts, so it runs alone: the other integration tests close theirs after their class.
 */
@ExtendWith(KafkaAndRegistry.class)
class TwoInstancesIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String[][] PEOPLE = {
            {"Кравчук", "Ярослав", "1984-03-11"}, {"Онищенко", "Марія", "1991-07-23"}, {"Гребенюк", "Степан", "1979-12-02"},
            {"Литвиненко", "Дарина", "1988-01-30"}, {"Семенюк", "Орест", "1993-05-17"}, {"Павленко", "Зіновій", "1969-09-09"},
            {"Діденко", "Євгенія", "1986-11-14"}, {"Костенко", "Любомир", "1975-04-04"}, {"Захарченко", "Ганна", "1990-08-28"},
            {"Бойчук", "Мирослав", "1982-02-19"}};

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @Test
    void shouldAlertEveryRelativeOnceAndAnswerAboutEveryInquiryOnEveryInstanceAsInstancesStopAndJoin() throws Exception {
        // given: two instances in the same groups
        ConfigurableApplicationContext a = start();
        ConfigurableApplicationContext b = start();
        try {
            // and inquiries registered through both, spread over the partitions; each is read on the other instance
            List<String> inquiries = new ArrayList<>();
            for (int i = 0; i < PEOPLE.length; i++) {
                ConfigurableApplicationContext at = i % 2 == 0 ? a : b;
                ConfigurableApplicationContext other = i % 2 == 0 ? b : a;
                String inquiryId = register(mvc(at), PEOPLE[i], email(i));
                inquiries.add(inquiryId);
                await().atMost(TIMEOUT).until(() -> status(mvc(other), inquiryId) == 200);
            }

            // when: the persons are listed, cross the border and half of them arrive, with both instances up
            for (int i = 0; i < PEOPLE.length; i++) {
                TopicProbe.produce(Topics.LISTED_PERSONS, person(i), ReunificationIntegrationTest.listed(person(i),
                        PEOPLE[i][0], PEOPLE[i][1], LocalDate.parse(PEOPLE[i][2])));
            }
            List<String> riders = java.util.stream.IntStream.range(0, PEOPLE.length).mapToObj(TwoInstancesIntegrationTest::person).toList();
            TopicProbe.produce(Topics.BUS_MANIFESTS, "bus-two", new BusManifestRegistered("bus-two", "round-two", riders,
                    "Kursk", "Chernihiv", Instant.now(), null, null));
            TopicProbe.produce(Topics.BUS_MOVEMENTS, "bus-two", BusMovementDetected.newBuilder().setBusId("bus-two")
                    .setRoundId("round-two").setMovement(Movement.BORDER_CROSSED).setOccurredAt(Instant.now()).build());
            for (int i = 0; i < PEOPLE.length / 2; i++) {
                TopicProbe.produce(Topics.PERSON_ARRIVALS, person(i), arrived(person(i)));
            }
            awaitArrivedAlerts(inquiries.subList(0, PEOPLE.length / 2));
            // and either instance answers about every inquiry's alerts, its own and the other's
            for (ConfigurableApplicationContext at : List.of(a, b)) {
                for (String inquiryId : inquiries.subList(0, PEOPLE.length / 2)) {
                    await().atMost(TIMEOUT).until(() -> milestonesOver(mvc(at), inquiryId).contains(Milestone.ARRIVED.name()));
                }
            }

            // and one instance stops in the middle of the arrivals
            for (int i = PEOPLE.length / 2; i < PEOPLE.length - 2; i++) {
                TopicProbe.produce(Topics.PERSON_ARRIVALS, person(i), arrived(person(i)));
            }
            b.close();
            for (int i = PEOPLE.length - 2; i < PEOPLE.length; i++) {
                TopicProbe.produce(Topics.PERSON_ARRIVALS, person(i), arrived(person(i)));
            }

            // then: the survivor finishes: every relative hears of the arrival
            awaitArrivedAlerts(inquiries);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> ourMessages().size() >= alerts(inquiries).size());

            List<AlertIssued> alerts = alerts(inquiries);
            assertThat(alerts.stream().collect(Collectors.groupingBy(alert -> alert.getInquiryId() + "|" + alert.getMilestone(),
                    Collectors.counting())).values()).as("no relative alerted twice for a milestone: %s", alerts).containsOnly(1L);
            assertThat(alerts).as("each inquiry alerted about its own person only")
                    .allMatch(alert -> alert.getPersonId().equals(person(inquiries.indexOf(alert.getInquiryId()))));
            Map<String, Long> mails = ourMessages().stream().collect(Collectors.groupingBy(
                    AlertDeliveryRestartIntegrationTest::messageId, Collectors.counting()));
            assertThat(mails.keySet()).as("one e-mail for each alert")
                    .isEqualTo(alerts.stream().map(alert -> "<" + alert.getAlertId() + "@homecoming>").collect(Collectors.toSet()));
            assertThat(mails.values()).as("no alert e-mailed twice").containsOnly(1L);
            List<MatchDecided> decisions = TopicProbe.readAll(Topics.MATCHES).stream().filter(record -> inquiries.contains(record.key()))
                    .map(ConsumerRecord::value).toList();
            assertThat(decisions.stream().collect(Collectors.groupingBy(decision -> decision.getMatchId() + "|" + decision.getStatus(),
                    Collectors.counting())).values()).as("no pair decided twice: %s", decisions).containsOnly(1L);
            assertThat(decisions).as("each inquiry matched its own person, automatically").hasSize(PEOPLE.length)
                    .allMatch(decision -> decision.getStatus() == MatchStatus.AUTO_MATCHED
                            && decision.getPersonId().equals(person(inquiries.indexOf(decision.getInquiryId()))));

            // when: a new instance joins and takes some of the inquiries, with the alerts the survivor wrote alone
            ConfigurableApplicationContext c = start();
            try {
                await().atMost(TIMEOUT).until(() -> status(mvc(c), inquiries.get(0)) == 200);

                // then: both answer about every inquiry's alerts; the survivor reads again what it no longer owns
                for (ConfigurableApplicationContext at : List.of(a, c)) {
                    for (String inquiryId : inquiries) {
                        await().atMost(TIMEOUT).until(() -> milestonesOver(mvc(at), inquiryId).contains(Milestone.ARRIVED.name()));
                    }
                }
            } finally {
                c.close();
            }
        } finally {
            b.close();
            a.close();
        }
    }

    static ConfigurableApplicationContext start() {
        // Arguments, not builder properties: those are only defaults, and reunification.yml would override them.
        return new SpringApplicationBuilder(ReunificationApplication.class)
                .properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0",
                        "--spring.jmx.enabled=false",
                        "--spring.mail.port=" + greenMail.getSmtp().getPort(),
                        "--reunification.delivery.back-off=50ms",
                        "--reunification.retention.first-sweep-after=PT1H");
    }

    static MockMvc mvc(ConfigurableApplicationContext context) {
        return MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).apply(springSecurity()).build();
    }

    static String register(MockMvc mvc, String[] person, String email) throws Exception {
        String response = mvc.perform(post("/api/v1/inquiries").with(user("hotline-2").roles(Roles.HOTLINE_OPERATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": [{"surname": "%s", "givenName": "%s"}], "birthDate": "%s", "category": "SOLDIER"},
                         "relative": {"name": "Synthetic relative", "relationship": "wife", "language": "en",
                                      "consentGiven": true, "email": "%s"}}""".formatted(person[0], person[1], person[2], email)))
                .andReturn().getResponse().getContentAsString();
        return com.jayway.jsonpath.JsonPath.read(response, "$.inquiryId");
    }

    static int status(MockMvc mvc, String inquiryId) throws Exception {
        return mvc.perform(get("/api/v1/inquiries/" + inquiryId).with(user("hotline-2").roles(Roles.HOTLINE_OPERATOR)))
                .andReturn().getResponse().getStatus();
    }

    /** The milestones of the inquiry's alerts, as the instance answers over REST. */
    static List<String> milestonesOver(MockMvc mvc, String inquiryId) throws Exception {
        String response = mvc.perform(get("/api/v1/inquiries/" + inquiryId + "/alerts").with(user("hotline-2").roles(Roles.HOTLINE_OPERATOR)))
                .andReturn().getResponse().getContentAsString();
        return response.startsWith("[") ? com.jayway.jsonpath.JsonPath.read(response, "$[*].milestone") : List.of();
    }

    static void awaitArrivedAlerts(List<String> inquiries) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> alerts(inquiries).stream()
                .filter(alert -> alert.getMilestone() == Milestone.ARRIVED).map(AlertIssued::getInquiryId)
                .collect(Collectors.toSet()).containsAll(inquiries));
    }

    static List<AlertIssued> alerts(List<String> inquiries) {
        return TopicProbe.readAll(Topics.ALERTS).stream().filter(record -> inquiries.contains(record.key()))
                .map(ConsumerRecord::value).toList();
    }

    static List<MimeMessage> ourMessages() {
        return Arrays.stream(greenMail.getReceivedMessages())
                .filter(message -> AlertDeliveryRestartIntegrationTest.recipient(message).startsWith("relative-two-")).toList();
    }

    static PersonHandedOver arrived(String personId) {
        return new PersonHandedOver(personId, "bus-two", "round-two", Instant.now(), true, TriageLevel.DELAYED,
                "Chernihiv Regional Hospital", true, "chernihiv-regional-hospital");
    }

    static String person(int i) {
        return "p-two-" + i;
    }

    static String email(int i) {
        return "relative-two-" + i + "@example.org";
    }
}

package org.homecoming.reunification;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.platform.security.Roles;
import org.homecoming.reunification.pairing.AlertRules;
import org.homecoming.reunification.pairing.PairingListener;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Two instances of the service on one broker, and a write of an inquiry on the first at the very moment a relative
 * withdraws (or erases) the same inquiry through the second: the first has checked that the inquiry is open and is about to send
 * its record (held there by the test) when the second commits the withdrawal. The write must not land after the
 * tombstone: the withdrawn inquiry would come back on the compacted topic with its relative's contact data, or a
 * caseworker's confirmation would be recorded for a family that withdrew. The first is answered 409 instead, and
 * nothing of it is written.
 *
 * <p>It starts its own contexts, so it runs alone: the other integration tests close theirs after their class.
 */
@ExtendWith(KafkaAndRegistry.class)
class InquiryWithdrawalRaceIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;
    static SendPause pause;
    /** The held request runs on the test's own thread, never the common pool (which CI's two cores starved). */
    static ExecutorService requests;

    @BeforeAll
    static void startTwoInstances() {
        first = start(true);
        second = start(false);
        pause = first.getBean(SendPause.class);
        requests = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        if (requests != null) {
            requests.shutdownNow();
        }
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @AfterEach
    void letGo() {
        pause.release();
    }

    @Test
    void shouldNotBringBackAnInquiryWithdrawnOnOneInstanceWhileItsContactWasCorrectedOnTheOther() throws Exception {
        // given an inquiry registered through the first instance and read on the second
        String email = "race-" + UUID.randomUUID() + "@example.org";
        String inquiryId = register(first, "Гайдамака", "Тарас", "1987-10-05", email);
        await().atMost(TIMEOUT).until(() -> read(second, inquiryId).getStatus() == 200);

        // when the hotline corrects the relative's address on the first instance, and while that write is about to be
        // sent (the inquiry checked open) the relative withdraws the inquiry through the second
        pause.arm(Topics.INQUIRIES.name(), inquiryId, value -> value != null);
        Future<MockHttpServletResponse> correction = requests.submit(() -> hotline(first,
                put("/api/v1/inquiries/" + inquiryId).contentType(MediaType.APPLICATION_JSON)
                        .content(inquiry("Гайдамака", "Тарас", "1987-10-05", "corrected-" + email))));
        assertThat(pause.awaitPaused()).as("the correction reached its send").isTrue();
        MockHttpServletResponse withdrawal = hotline(second, delete("/api/v1/inquiries/" + inquiryId));
        pause.release();
        MockHttpServletResponse corrected = correction.get(60, TimeUnit.SECONDS);

        // then the withdrawal stands: the correction is refused 409, retryable, and nothing of it is on the topics
        assertThat(withdrawal.getStatus()).as("the withdrawal: " + withdrawal.getContentAsString()).isEqualTo(204);
        assertThat(corrected.getStatus()).as("the correction: " + corrected.getContentAsString()).isEqualTo(409);
        assertThat(corrected.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(corrected.getContentAsString()).contains("withdrawn").contains("\"retryable\":true");
        List<ConsumerRecord<String, byte[]>> records = TopicProbe.readRaw(Topics.INQUIRIES.name()).stream()
                .filter(record -> record.key().equals(inquiryId)).toList();
        assertThat(records).as("the inquiry's records: registered, then withdrawn").hasSize(2);
        assertThat(records.get(1).value()).as("the last record of the inquiry is its tombstone").isNull();
        assertThat(auditOf(inquiryId)).as("no update of the inquiry is on the audit trail")
                .noneMatch(event -> event.getAction() == AuditAction.INQUIRY_UPDATED);
        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(instance, inquiryId).getContentAsString())
                    .as("the inquiry as " + instance.getId() + " answers").contains("\"status\":\"WITHDRAWN\""));
        }
        // and the same correction sent again is refused for good: the inquiry was withdrawn
        MockHttpServletResponse again = hotline(first, put("/api/v1/inquiries/" + inquiryId)
                .contentType(MediaType.APPLICATION_JSON).content(inquiry("Гайдамака", "Тарас", "1987-10-05", "corrected-" + email)));
        assertThat(again.getStatus()).as("the correction sent again: " + again.getContentAsString()).isEqualTo(409);
    }

    @Test
    void shouldEraseAnInquiryForGoodWhileTheHotlineRenewsItOnTheOtherInstance() throws Exception {
        // given an inquiry registered through the second instance and read on the first
        String email = "race-" + UUID.randomUUID() + "@example.org";
        String inquiryId = register(second, "Очеретько", "Назар", "1992-06-14", email);
        await().atMost(TIMEOUT).until(() -> read(first, inquiryId).getStatus() == 200);

        // when the hotline renews it on the first instance (the family still searches), and while the renewal is about
        // to be sent the relative, on another call, asks through the second instance to be forgotten
        pause.arm(Topics.INQUIRIES.name(), inquiryId, value -> value != null);
        Future<MockHttpServletResponse> renewal = requests.submit(() -> hotline(first,
                post("/api/v1/inquiries/" + inquiryId + "/renewal")));
        assertThat(pause.awaitPaused()).as("the renewal reached its send").isTrue();
        MockHttpServletResponse erasure = hotline(second, post("/api/v1/inquiries/" + inquiryId + "/erasure"));
        pause.release();
        MockHttpServletResponse renewed = renewal.get(60, TimeUnit.SECONDS);

        // then the erasure stands: the renewal is refused 409 and the inquiry's last record is its tombstone
        assertThat(erasure.getStatus()).as("the erasure: " + erasure.getContentAsString()).isEqualTo(204);
        assertThat(renewed.getStatus()).as("the renewal: " + renewed.getContentAsString()).isEqualTo(409);
        List<ConsumerRecord<String, byte[]>> records = TopicProbe.readRaw(Topics.INQUIRIES.name()).stream()
                .filter(record -> record.key().equals(inquiryId)).toList();
        assertThat(records).as("the inquiry's records: registered, then withdrawn").hasSize(2);
        assertThat(records.get(1).value()).as("the last record of the inquiry is its tombstone").isNull();
        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(instance, inquiryId).getContentAsString())
                    .as("the inquiry as " + instance.getId() + " answers").contains("\"status\":\"ERASED\""));
        }
    }

    @Test
    void shouldNotRecordACaseworkersConfirmationAfterTheInquiryWasWithdrawnOnTheOtherInstance() throws Exception {
        // given an inquiry with two namesakes in review, the queue seen on the first instance
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String one = "p-race-" + suffix + "-1";
        String other = "p-race-" + suffix + "-2";
        var listedOne = TopicProbe.produce(Topics.LISTED_PERSONS, one,
                ReunificationIntegrationTest.listed(one, "Вдовиченко", "Северин", LocalDate.of(1978, 2, 21)));
        var listedOther = TopicProbe.produce(Topics.LISTED_PERSONS, other,
                ReunificationIntegrationTest.listed(other, "Вдовиченко", "Северин", LocalDate.of(1978, 2, 21)));
        TopicProbe.awaitProcessed(PairingListener.GROUP, listedOne, TIMEOUT);
        TopicProbe.awaitProcessed(PairingListener.GROUP, listedOther, TIMEOUT);
        String inquiryId = register(second, "Вдовиченко", "Северин", "1978-02-21", "race-" + suffix + "@example.org");
        String matchId = AlertRules.matchId(inquiryId, one);
        await().atMost(TIMEOUT).until(() -> perform(first, get("/api/v1/matches").param("status", "REVIEW")
                .with(user("caseworker-first").roles(Roles.CASEWORKER))).getContentAsString().contains(matchId));
        await().atMost(TIMEOUT).until(() -> read(second, inquiryId).getStatus() == 200);

        // when a caseworker confirms it on the first instance, and while her decision is about to be sent (the match
        // checked in review) the relative withdraws the inquiry through the second
        pause.arm(Topics.MATCHES.name(), inquiryId, value -> value instanceof MatchDecided decided
                && "caseworker-first".equals(decided.getDecidedBy()));
        Future<MockHttpServletResponse> confirmation = requests.submit(() -> perform(first,
                post("/api/v1/matches/" + matchId + "/confirm").with(user("caseworker-first").roles(Roles.CASEWORKER))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"photo checked with the family\"}")));
        assertThat(pause.awaitPaused()).as("the confirmation reached its send").isTrue();
        MockHttpServletResponse withdrawal = hotline(second, delete("/api/v1/inquiries/" + inquiryId));
        pause.release();
        MockHttpServletResponse confirmed = confirmation.get(60, TimeUnit.SECONDS);

        // then the confirmation is refused 409, retryable, and no caseworker's decision about the inquiry is recorded
        assertThat(withdrawal.getStatus()).as("the withdrawal: " + withdrawal.getContentAsString()).isEqualTo(204);
        assertThat(confirmed.getStatus()).as("the confirmation: " + confirmed.getContentAsString()).isEqualTo(409);
        assertThat(confirmed.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(confirmed.getContentAsString()).contains("withdrawn").contains("\"retryable\":true");
        assertThat(TopicProbe.readAll(Topics.MATCHES)).as("no caseworker's confirmation of the withdrawn inquiry")
                .noneMatch(record -> record.key().equals(inquiryId) && record.value().getStatus() == MatchStatus.CONFIRMED);
        assertThat(auditOf(matchId)).as("no confirmation on the audit trail")
                .noneMatch(event -> event.getAction() == AuditAction.MATCH_CONFIRMED);
        // and sent again, it is refused for good: the inquiry was withdrawn
        await().atMost(TIMEOUT).untilAsserted(() -> {
            MockHttpServletResponse again = perform(first, post("/api/v1/matches/" + matchId + "/confirm")
                    .with(user("caseworker-first").roles(Roles.CASEWORKER))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"photo checked with the family\"}"));
            assertThat(again.getStatus()).as("the confirmation sent again: " + again.getContentAsString()).isEqualTo(409);
            assertThat(again.getContentAsString()).doesNotContain("retryable");
        });
    }

    private static List<AuditEventRecorded> auditOf(String subjectId) {
        return TopicProbe.readAll(Topics.AUDIT_EVENTS).stream().map(ConsumerRecord::value)
                .filter(event -> subjectId.equals(event.getSubjectId())).toList();
    }

    private static String register(ConfigurableApplicationContext instance, String surname, String givenName, String born,
                                   String email) throws Exception {
        MockHttpServletResponse answer = hotline(instance, post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                .content(inquiry(surname, givenName, born, email)));
        assertThat(answer.getStatus()).as("the registration: " + answer.getContentAsString()).isEqualTo(201);
        return com.jayway.jsonpath.JsonPath.read(answer.getContentAsString(), "$.inquiryId");
    }

    private static String inquiry(String surname, String givenName, String born, String email) {
        return """
                {"sought": {"names": [{"surname": "%s", "givenName": "%s"}], "birthDate": "%s", "category": "SOLDIER"},
                 "relative": {"name": "Synthetic relative", "relationship": "wife", "language": "en",
                              "consentGiven": true, "email": "%s"}}""".formatted(surname, givenName, born, email);
    }

    private static MockHttpServletResponse read(ConfigurableApplicationContext instance, String inquiryId) {
        return hotline(instance, get("/api/v1/inquiries/" + inquiryId));
    }

    private static MockHttpServletResponse hotline(ConfigurableApplicationContext instance, MockHttpServletRequestBuilder request) {
        return perform(instance, request.with(user("hotline-race").roles(Roles.HOTLINE_OPERATOR)));
    }

    private static MockHttpServletResponse perform(ConfigurableApplicationContext instance, MockHttpServletRequestBuilder request) {
        MockMvc mvc = TwoInstancesIntegrationTest.mvc(instance);
        try {
            return mvc.perform(request).andReturn().getResponse();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigurableApplicationContext start(boolean paused) {
        SpringApplicationBuilder builder = paused
                ? new SpringApplicationBuilder(ReunificationApplication.class, PauseBeforeTheSend.class)
                : new SpringApplicationBuilder(ReunificationApplication.class);
        return builder.properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0", "--spring.jmx.enabled=false", "--reunification.retention.first-sweep-after=PT1H");
    }

    /** Registered as a source of the first instance only: its producers hold the armed record before it is sent. */
    static class PauseBeforeTheSend {
        @Bean
        SendPause sendPause() {
            return new SendPause();
        }

        @Bean
        DefaultKafkaProducerFactoryCustomizer pauseBeforeTheSend(SendPause pause) {
            return factory -> factory.updateConfigs(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
                    PausingInterceptor.class.getName(), SendPause.CONFIG, pause));
        }
    }

    /**
     * Holds the next send of a record the test names (topic, key, value), in the thread that sends it, until the test
     * lets it go: the writer has checked the inquiry and begun its transaction, and nothing of the record has reached
     * the broker. It holds the old code's write and the fenced one alike, wherever they take their producer from.
     */
    static final class SendPause {
        static final String CONFIG = "homecoming.test.send-pause";

        private CountDownLatch paused = new CountDownLatch(1);
        private CountDownLatch released = new CountDownLatch(1);
        private String topic;
        private String key;
        private java.util.function.Predicate<Object> value;

        synchronized void arm(String topic, String key, java.util.function.Predicate<Object> value) {
            paused = new CountDownLatch(1);
            released = new CountDownLatch(1);
            this.topic = topic;
            this.key = key;
            this.value = value;
        }

        boolean awaitPaused() throws InterruptedException {
            CountDownLatch reached;
            synchronized (this) {
                reached = paused;
            }
            return reached.await(60, TimeUnit.SECONDS);
        }

        synchronized void release() {
            topic = null;
            released.countDown();
        }

        void pauseIfArmed(ProducerRecord<?, ?> record) {
            CountDownLatch reached;
            CountDownLatch release;
            synchronized (this) {
                if (topic == null || !topic.equals(record.topic()) || !key.equals(record.key()) || !value.test(record.value())) {
                    return;
                }
                topic = null;
                reached = paused;
                release = released;
            }
            reached.countDown();
            try {
                // bounded, so that a test that fails before releasing does not hold the service's thread for ever
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kafka makes it from the producer's configuration, which carries the first instance's {@link SendPause}. */
    public static final class PausingInterceptor implements ProducerInterceptor<Object, Object> {
        private SendPause pause;

        @Override
        public void configure(Map<String, ?> configs) {
            pause = (SendPause) configs.get(SendPause.CONFIG);
        }

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            if (pause != null) {
                pause.pauseIfArmed(record);
            }
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }
    }
}

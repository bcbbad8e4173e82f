package org.homecoming.reunification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.platform.security.Roles;
import org.homecoming.reunification.InquiryWithdrawalRaceIntegrationTest.SendPause;
import org.homecoming.reunification.inquiries.ContactDataRetention;
import org.homecoming.reunification.pairing.AlertRules;
import org.homecoming.reunification.pairing.InquiryPartitions;
import org.homecoming.reunification.pairing.PairingListener;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * The inquiry fence's edges, on two instances of the service on one broker: what a write takes on the broker before it
 * is decided (nothing for an inquiry that does not exist), how writes of one inquiry on one instance take turns (a
 * double-click is not a race with itself) while writes of other inquiries go on, how two caseworkers deciding one match
 * on two instances end (one decision recorded, the other refused 409), and that erasing a withdrawn inquiry takes no
 * fence. Each instance's producers can be held by the test before they take a transactional id, or before they send.
 *
 * <p>It starts its own contexts, so it runs alone: the other integration tests close theirs after their class.
 */
@ExtendWith(KafkaAndRegistry.class)
class InquiryFenceIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(InquiryFenceIntegrationTest.class);
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The transactional id of an inquiry's writes, as the producer factory completes the fence's prefix. */
    static final String FENCE = "reunification-inquiry-%s-0";

    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;
    static Admin admin;
    /** The requests the test sends while another one is held: its own threads, never the common pool. */
    static ExecutorService requests;

    @BeforeAll
    static void startTwoInstances() {
        first = start();
        second = start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()));
        requests = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        if (requests != null) {
            requests.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
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
        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            instance.getBean(SendPause.class).release();
            instance.getBean(FencePause.class).release();
        }
    }

    @Test
    void shouldAnswer404ToWritesOfAnUnknownInquiryWithoutTakingItsTransactionalId() throws Exception {
        // given an inquiry id nobody registered
        String unknown = UUID.randomUUID().toString();

        // when the hotline corrects, renews, withdraws and erases it, on both instances
        List<MockHttpServletResponse> answers = new ArrayList<>();
        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            answers.add(hotline(instance, put("/api/v1/inquiries/" + unknown).contentType(MediaType.APPLICATION_JSON)
                    .content(inquiry("Невідомий", "Петро", "1980-01-01", "unknown@example.org"))));
            answers.add(hotline(instance, post("/api/v1/inquiries/" + unknown + "/renewal")));
            answers.add(hotline(instance, delete("/api/v1/inquiries/" + unknown)));
            answers.add(hotline(instance, post("/api/v1/inquiries/" + unknown + "/erasure")));
        }

        // then each is answered 404, and the broker's transaction coordinator holds no transactional id for it
        for (MockHttpServletResponse answer : answers) {
            assertThat(answer.getStatus()).as("a write of an unknown inquiry: " + answer.getContentAsString()).isEqualTo(404);
            assertThat(answer.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }
        Collection<TransactionListing> transactions = admin.listTransactions().all().get(30, TimeUnit.SECONDS);
        assertThat(transactions).as("transactional ids on the broker").isNotEmpty()
                .noneMatch(listing -> listing.transactionalId().contains(unknown));
    }

    @Test
    void shouldLetADoubleClickedCorrectionWaitForTheFirstInsteadOfFencingIt() throws Exception {
        // given an inquiry registered through the first instance
        String email = "fence-" + UUID.randomUUID() + "@example.org";
        String inquiryId = register(first, "Кравчук", "Остап", "1985-03-17", email);
        String corrected = inquiry("Кравчук", "Остап", "1985-03-17", "corrected-" + email);

        // when the hotline operator clicks "save" on a correction twice: the first request is about to send its record
        // while the second comes in on the same instance
        SendPause sends = first.getBean(SendPause.class);
        sends.arm(Topics.INQUIRIES.name(), inquiryId, value -> value != null);
        Future<MockHttpServletResponse> firstClick = requests.submit(() -> hotline(first,
                put("/api/v1/inquiries/" + inquiryId).contentType(MediaType.APPLICATION_JSON).content(corrected)));
        assertThat(sends.awaitPaused()).as("the first click reached its send").isTrue();
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        Future<MockHttpServletResponse> secondClick = requests.submit(() -> {
            secondThread.set(Thread.currentThread());
            return hotline(first, put("/api/v1/inquiries/" + inquiryId).contentType(MediaType.APPLICATION_JSON).content(corrected));
        });
        // the second request waits inside the fence, on something of the service's own (not on the broker)
        await().atMost(TIMEOUT).until(() -> waitsInTheFence(secondThread.get()));
        sends.release();

        // then both are answered 200 with the corrected revision, and the correction is on the topic once
        MockHttpServletResponse one = firstClick.get(60, TimeUnit.SECONDS);
        MockHttpServletResponse two = secondClick.get(60, TimeUnit.SECONDS);
        assertThat(one.getStatus()).as("the first click: " + one.getContentAsString()).isEqualTo(200);
        assertThat(two.getStatus()).as("the second click: " + two.getContentAsString()).isEqualTo(200);
        assertThat(one.getContentAsString()).contains("\"revision\":2");
        assertThat(two.getContentAsString()).contains("\"revision\":2");
        List<ConsumerRecord<String, byte[]>> records = TopicProbe.readRaw(Topics.INQUIRIES.name()).stream()
                .filter(record -> record.key().equals(inquiryId)).toList();
        assertThat(records).as("the inquiry's records: registered, then corrected once").hasSize(2);
        assertThat(auditOf(inquiryId)).as("one update on the audit trail")
                .filteredOn(event -> event.getAction() == AuditAction.INQUIRY_UPDATED).hasSize(1);
    }

    @Test
    void shouldRecordEveryCorrectionOfAnInquiryMadeOneAfterAnother() throws Exception {
        // given an inquiry registered through the second instance
        String email = "fence-" + UUID.randomUUID() + "@example.org";
        String inquiryId = register(second, "Лисенко", "Марко", "1979-11-02", email);

        // when the hotline corrects the relative's address ten times in a row on the same instance
        long[] took = new long[10];
        for (int i = 0; i < took.length; i++) {
            long start = System.nanoTime();
            MockHttpServletResponse answer = hotline(second, put("/api/v1/inquiries/" + inquiryId)
                    .contentType(MediaType.APPLICATION_JSON).content(inquiry("Лисенко", "Марко", "1979-11-02", i + "-" + email)));
            took[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            // then each is a new revision
            assertThat(answer.getStatus()).as("correction " + i + ": " + answer.getContentAsString()).isEqualTo(200);
            assertThat(answer.getContentAsString()).contains("\"revision\":" + (i + 2));
        }
        // measured, not asserted (targets are for benchmarks): one fenced write, through MockMvc, on this machine
        long[] sorted = took.clone();
        Arrays.sort(sorted);
        log.info("Ten fenced corrections of one inquiry took {} ms (median {} ms, max {} ms)", Arrays.toString(took),
                sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }

    @Test
    void shouldRefuseTheLaterOfTwoCaseworkersDecidingOneMatchOnTwoInstances() throws Exception {
        // given an inquiry with two namesakes in review, the queue seen on both instances
        String inquiryId = inquiryInReview(first, "Марченко", "Ярема", LocalDate.of(1983, 8, 9));
        String matchId = AlertRules.matchId(inquiryId, personOf(inquiryId, 1));
        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            await().atMost(TIMEOUT).until(() -> queue(instance).contains(matchId));
        }

        // when a caseworker rejects it on the second instance, her request checked and about to take the inquiry's
        // fence, while another caseworker confirms it on the first
        FencePause fences = second.getBean(FencePause.class);
        fences.arm(FENCE.formatted(inquiryId));
        Future<MockHttpServletResponse> rejection = requests.submit(() -> decide(second, matchId, "reject", "caseworker-second"));
        assertThat(fences.awaitPaused()).as("the rejection reached the fence").isTrue();
        MockHttpServletResponse confirmed = decide(first, matchId, "confirm", "caseworker-first");
        fences.release();
        MockHttpServletResponse rejected = rejection.get(60, TimeUnit.SECONDS);

        // then the confirmation stands and the rejection is refused 409, not retryable: the match changed since she
        // read it, and the same request sent again must not override a decision she has not seen
        assertThat(confirmed.getStatus()).as("the confirmation: " + confirmed.getContentAsString()).isEqualTo(202);
        assertThat(rejected.getStatus()).as("the rejection: " + rejected.getContentAsString()).isEqualTo(409);
        assertThat(rejected.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(rejected.getContentAsString()).contains("CONFIRMED").doesNotContain("retryable");
        List<MatchDecided> decisions = TopicProbe.readAll(Topics.MATCHES).stream().map(ConsumerRecord::value)
                .filter(decided -> decided.getMatchId().equals(matchId)
                        && Set.of("caseworker-first", "caseworker-second").contains(decided.getDecidedBy())).toList();
        assertThat(decisions).as("the caseworkers' decisions recorded on the match")
                .extracting(MatchDecided::getStatus).containsExactly(MatchStatus.CONFIRMED);
        assertThat(auditOf(matchId)).as("no rejection on the audit trail")
                .noneMatch(event -> event.getAction() == AuditAction.MATCH_REJECTED);
    }

    @Test
    void shouldRefuseAConfirmationOfAMatchAnotherCaseworkerRejectedAfterItWasRead() throws Exception {
        // given a match in review that two caseworkers have open, one on each instance
        String inquiryId = inquiryInReview(first, "Кравчук", "Северин", LocalDate.of(1986, 2, 17));
        String matchId = AlertRules.matchId(inquiryId, personOf(inquiryId, 1));
        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            await().atMost(TIMEOUT).until(() -> queue(instance).contains(matchId));
        }
        String readByTheSecond = versionOf(first, matchId);

        // when the first rejects it on the second instance, and a moment later, once the rejection is known
        // everywhere, the other confirms it on the first instance from her screen, which still shows it in review
        MockHttpServletResponse rejected = decide(second, matchId, "reject", "caseworker-rejects");
        assertThat(rejected.getStatus()).as("the rejection: " + rejected.getContentAsString()).isEqualTo(202);
        await().atMost(TIMEOUT).until(() -> !queue(first).contains(matchId));
        MockHttpServletResponse confirmed = decide(first, matchId, "confirm", "caseworker-confirms", readByTheSecond);
        // and sent again without the version, as a client retrying blindly would
        MockHttpServletResponse blindly = decide(first, matchId, "confirm", "caseworker-confirms", null);

        // then the confirmation is refused 409, not retryable, and sent blindly it is refused 400: the rejection stands
        assertThat(confirmed.getStatus()).as("the confirmation: " + confirmed.getContentAsString()).isEqualTo(409);
        assertThat(confirmed.getContentAsString()).contains("REJECTED").doesNotContain("retryable");
        assertThat(blindly.getStatus()).as("the confirmation without a version: " + blindly.getContentAsString()).isEqualTo(400);
        assertThat(blindly.getContentAsString()).contains("version");
        List<MatchDecided> decisions = TopicProbe.readAll(Topics.MATCHES).stream().map(ConsumerRecord::value)
                .filter(decided -> decided.getMatchId().equals(matchId)
                        && Set.of("caseworker-rejects", "caseworker-confirms").contains(decided.getDecidedBy())).toList();
        assertThat(decisions).as("the caseworkers' decisions recorded on the match")
                .extracting(MatchDecided::getStatus).containsExactly(MatchStatus.REJECTED);
        assertThat(auditOf(matchId)).as("no confirmation on the audit trail")
                .noneMatch(event -> event.getAction() == AuditAction.MATCH_CONFIRMED);
    }

    @Test
    void shouldAnswerADecisionSentAgainAtOnceWhileAnotherWriteOfTheInquiryHoldsItsTurn() throws Exception {
        // given a match a caseworker confirmed on the first instance
        String inquiryId = inquiryInReview(first, "Бондар", "Остап", LocalDate.of(1977, 6, 3));
        String matchId = AlertRules.matchId(inquiryId, personOf(inquiryId, 1));
        await().atMost(TIMEOUT).until(() -> queue(first).contains(matchId));
        String version = versionOf(first, matchId);
        MockHttpServletResponse confirmed = decide(first, matchId, "confirm", "caseworker-twice", version);
        assertThat(confirmed.getStatus()).as("the confirmation: " + confirmed.getContentAsString()).isEqualTo(202);

        // when her client sends it again (a double-click, a resend after a timeout) while another write of the inquiry
        // holds its turn on the instance (a contact correction held at its send, as by a broker slow to answer)
        SendPause sends = first.getBean(SendPause.class);
        sends.arm(Topics.INQUIRIES.name(), inquiryId, value -> value != null);
        Future<MockHttpServletResponse> correction = requests.submit(() -> hotline(first, put("/api/v1/inquiries/" + inquiryId)
                .contentType(MediaType.APPLICATION_JSON)
                .content(inquiry("Бондар", "Остап", "1977-06-03", "fence-again-" + UUID.randomUUID() + "@example.org"))));
        try {
            assertThat(sends.awaitPaused()).as("the correction reached its send").isTrue();
            Future<MockHttpServletResponse> again = requests.submit(() -> decide(first, matchId, "confirm", "caseworker-twice", version));

            // then it is answered 202 without waiting for that write to end (before, it waited its turn, and after
            // 10 s was refused 409), and the confirmation is recorded once
            MockHttpServletResponse repeated = again.get(8, TimeUnit.SECONDS);
            assertThat(repeated.getStatus()).as("the confirmation sent again: " + repeated.getContentAsString()).isEqualTo(202);
            assertThat(correction.isDone()).as("the correction still holds the inquiry's turn").isFalse();
        } finally {
            sends.release();
        }
        assertThat(correction.get(60, TimeUnit.SECONDS).getStatus()).as("the correction, once released").isEqualTo(200);
        assertThat(TopicProbe.readAll(Topics.MATCHES).stream().map(ConsumerRecord::value)
                .filter(decided -> decided.getMatchId().equals(matchId) && "caseworker-twice".equals(decided.getDecidedBy())))
                .as("the caseworker's confirmations recorded").hasSize(1);
    }

    @Test
    void shouldDecideAMatchOfOneInquiryWhileADecisionOnAnotherWaitsForTheBroker() throws Exception {
        // given two inquiries, each with two namesakes in review, seen on the first instance
        String held = inquiryInReview(second, "Гончаренко", "Лук'ян", LocalDate.of(1975, 4, 30));
        String other = inquiryInReview(second, "Ткачук", "Мирослав", LocalDate.of(1991, 12, 12));
        String heldMatch = AlertRules.matchId(held, personOf(held, 1));
        String otherMatch = AlertRules.matchId(other, personOf(other, 1));
        await().atMost(TIMEOUT).until(() -> queue(first).contains(heldMatch) && queue(first).contains(otherMatch));

        // when a caseworker's confirmation on the first instance waits for the broker as it takes its inquiry's fence
        // (a transaction coordinator failing over holds it up to a minute), and another caseworker decides a match
        // of the other inquiry on the same instance
        FencePause fences = first.getBean(FencePause.class);
        fences.arm(FENCE.formatted(held));
        Future<MockHttpServletResponse> waiting = requests.submit(() -> decide(first, heldMatch, "confirm", "caseworker-held"));
        assertThat(fences.awaitPaused()).as("the first confirmation reached the fence").isTrue();
        Future<MockHttpServletResponse> meanwhile = requests.submit(() -> decide(first, otherMatch, "reject", "caseworker-free"));

        // then the other decision is taken while the first still waits, and the first is taken once the broker answers
        MockHttpServletResponse free = meanwhile.get(60, TimeUnit.SECONDS);
        assertThat(free.getStatus()).as("the decision on the other inquiry: " + free.getContentAsString()).isEqualTo(202);
        assertThat(waiting.isDone()).as("the first confirmation still waits for the broker").isFalse();
        fences.release();
        MockHttpServletResponse confirmed = waiting.get(60, TimeUnit.SECONDS);
        assertThat(confirmed.getStatus()).as("the held confirmation: " + confirmed.getContentAsString()).isEqualTo(202);
    }

    @Test
    void shouldCorrectAnInquiryWhileAKilledInstanceLeftAWriteOfAnotherInquiryOpenOnItsPartition() throws Exception {
        // given an inquiry registered through the first instance
        String email = "left-open-" + UUID.randomUUID() + "@example.org";
        String inquiryId = register(first, "Гнатюк", "Роман", "1981-06-14", email);
        // and an instance killed inside a write of another inquiry on the same partition: it took that inquiry's fence,
        // sent its record and never committed (its transaction would outlast this test)
        int partition = InquiryPartitions.of(inquiryId);
        String other = Stream.generate(() -> UUID.randomUUID().toString())
                .filter(id -> InquiryPartitions.of(id) == partition).findFirst().orElseThrow();
        try (KafkaProducer<byte[], byte[]> killed = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, FENCE.formatted(other),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            killed.initTransactions();
            killed.beginTransaction();
            killed.send(new ProducerRecord<>(Topics.INQUIRIES.name(), partition, other.getBytes(StandardCharsets.UTF_8),
                    "a write its instance never committed".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);

            // when the hotline corrects the relative's address through the second instance, sending it again while it
            // is answered 503 "not read yet" (as the console does)
            List<Integer> statuses = new ArrayList<>();
            AtomicReference<MockHttpServletResponse> answer = new AtomicReference<>();
            String corrected = inquiry("Гнатюк", "Роман", "1981-06-14", "corrected-" + email);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                answer.set(hotline(second, put("/api/v1/inquiries/" + inquiryId)
                        .contentType(MediaType.APPLICATION_JSON).content(corrected)));
                statuses.add(answer.get().getStatus());
                return answer.get().getStatus() != 503;
            });

            // then the correction is written within the minute (before, every write of every inquiry on the partition
            // was answered 503 until the broker timed the dead instance's transaction out)
            log.info("The correction behind a write left open was answered {}", statuses);
            assertThat(answer.get().getStatus()).as("the correction: " + answer.get().getContentAsString()).isEqualTo(200);
            assertThat(answer.get().getContentAsString()).contains("\"revision\":2");
        }
    }

    @Test
    void shouldAnswer409WithNothingWrittenToACorrectionStalledInItsTransactionUntilAnotherWriteEndedItAsLeftOpen()
            throws Exception {
        // given two inquiries on the same partition, registered through the first instance
        Map<Integer, String> byPartition = new java.util.HashMap<>();
        String[] pair = null;
        for (int i = 0; pair == null && i <= Topics.INQUIRIES.partitions(); i++) {
            String registered = register(first, "Стах", "Ілля" + (char) ('а' + i), "1977-02-0" + (1 + i % 9),
                    "stalled-" + i + "-" + UUID.randomUUID() + "@example.org");
            String earlier = byPartition.putIfAbsent(InquiryPartitions.of(registered), registered);
            if (earlier != null) {
                pair = new String[] {earlier, registered};
            }
        }
        assertThat(pair).as("two inquiries on one partition").isNotNull();
        String stalled = pair[0];
        String other = pair[1];

        // and a correction of the first on the first instance that sent its record and stalls before its audit entry
        // (a broker failover, a long pause), its transaction open on the partition
        SendPause sends = first.getBean(SendPause.class);
        sends.arm(Topics.AUDIT_EVENTS.name(), stalled, value -> true);
        Future<MockHttpServletResponse> stalledCorrection = requests.submit(() -> hotline(first,
                put("/api/v1/inquiries/" + stalled).contentType(MediaType.APPLICATION_JSON)
                        .content(inquiry("Стах", "Ілля", "1977-02-01", "stalled-correction@example.org"))));
        assertThat(sends.awaitPaused()).as("the correction sent its record and stalled").isTrue();

        // when the other inquiry is corrected through the second instance, sent again while answered 503, until the
        // stalled correction is taken for one left open by a killed instance and ended
        AtomicReference<MockHttpServletResponse> answer = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            answer.set(hotline(second, put("/api/v1/inquiries/" + other).contentType(MediaType.APPLICATION_JSON)
                    .content(inquiry("Стах", "Ілля", "1977-02-02", "other-correction@example.org"))));
            return answer.get().getStatus() != 503;
        });
        assertThat(answer.get().getStatus()).as("the other correction: " + answer.get().getContentAsString()).isEqualTo(200);
        sends.release();

        // then the stalled correction is answered 409, retryable, saying nothing was written; and nothing of it was
        MockHttpServletResponse refused = stalledCorrection.get(60, TimeUnit.SECONDS);
        assertThat(refused.getStatus()).as("the stalled correction: " + refused.getContentAsString()).isEqualTo(409);
        assertThat(refused.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(refused.getContentAsString()).contains("nothing of this request was written").contains("\"retryable\":true");
        assertThat(TopicProbe.readRaw(Topics.INQUIRIES.name())).as("the stalled inquiry's records: its registration only")
                .filteredOn(record -> record.key().equals(stalled)).hasSize(1);
        assertThat(auditOf(stalled)).as("no update of the stalled inquiry on the audit trail")
                .noneMatch(event -> event.getAction() == AuditAction.INQUIRY_UPDATED);
    }

    @Test
    void shouldEraseAWithdrawnInquiryAtTheEndOfItsRetentionWithoutTakingItsFence() throws Exception {
        // given an inquiry registered and withdrawn through the first instance (whose retention after a withdrawal is 0)
        String inquiryId = register(first, "Приходько", "Семен", "1969-09-21", "fence-" + UUID.randomUUID() + "@example.org");
        MockHttpServletResponse withdrawal = hotline(first, delete("/api/v1/inquiries/" + inquiryId));
        assertThat(withdrawal.getStatus()).as("the withdrawal: " + withdrawal.getContentAsString()).isEqualTo(204);
        int epoch = fenceEpoch(inquiryId);

        // when the retention sweep runs
        first.getBean(ContactDataRetention.class).sweep();

        // then its contact data is erased and audited, and its transactional id was not taken again (same epoch)
        assertThat(read(first, inquiryId).getContentAsString()).contains("\"status\":\"ERASED\"");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(auditOf(inquiryId)).as("the erasure on the audit trail")
                .anyMatch(event -> event.getAction() == AuditAction.ERASED));
        assertThat(fenceEpoch(inquiryId)).as("the epoch of the inquiry's transactional id after the sweep").isEqualTo(epoch);
    }

    /** The producer epoch of the inquiry's transactional id: every producer that takes the id raises it. */
    private static int fenceEpoch(String inquiryId) throws Exception {
        String id = FENCE.formatted(inquiryId);
        return admin.describeTransactions(List.of(id)).all().get(30, TimeUnit.SECONDS).get(id).producerEpoch();
    }

    /**
     * Whether the thread waits (parked or blocked) inside the inquiry fence on a lock of the service's own, not in a
     * Kafka client or the producer factory (taking the transactional id).
     */
    private static boolean waitsInTheFence(Thread thread) {
        if (thread == null || !Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.BLOCKED)
                .contains(thread.getState())) {
            return false;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        return Arrays.stream(stack).anyMatch(frame -> frame.getClassName().contains("InquiryFence"))
                && Arrays.stream(stack).noneMatch(frame -> frame.getClassName().startsWith("org.apache.kafka")
                        || frame.getClassName().startsWith("org.springframework.kafka"));
    }

    /** Two namesakes listed, then an inquiry for that name registered: both pairs go to review. */
    private static String inquiryInReview(ConfigurableApplicationContext instance, String surname, String givenName,
                                          LocalDate born) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String email = "fence-" + suffix + "@example.org";
        List<RecordMetadata> listed = new ArrayList<>();
        String prefix = "p-fence-" + suffix + "-";
        for (int i = 1; i <= 2; i++) {
            listed.add(TopicProbe.produce(Topics.LISTED_PERSONS, prefix + i,
                    ReunificationIntegrationTest.listed(prefix + i, surname, givenName, born)));
        }
        for (RecordMetadata record : listed) {
            TopicProbe.awaitProcessed(PairingListener.GROUP, record, TIMEOUT);
        }
        String inquiryId = register(instance, surname, givenName, born.toString(), email);
        PERSONS.put(inquiryId, prefix);
        return inquiryId;
    }

    private static final Map<String, String> PERSONS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String personOf(String inquiryId, int i) {
        return PERSONS.get(inquiryId) + i;
    }

    private static String queue(ConfigurableApplicationContext instance) throws Exception {
        return perform(instance, get("/api/v1/matches").param("status", "REVIEW")
                .with(user("caseworker-queue").roles(Roles.CASEWORKER))).getContentAsString();
    }

    /** A caseworker's decision on the match as she reads it now on that instance, sending its version. */
    private static MockHttpServletResponse decide(ConfigurableApplicationContext instance, String matchId, String decision,
                                                  String caseworker) throws Exception {
        return decide(instance, matchId, decision, caseworker, versionOf(instance, matchId));
    }

    /** A caseworker's decision on the match as she read it ({@code version}; null: sent without one). */
    private static MockHttpServletResponse decide(ConfigurableApplicationContext instance, String matchId, String decision,
                                                  String caseworker, String version) {
        String body = version == null ? "{\"reason\": \"unit and capture place checked\"}"
                : "{\"reason\": \"unit and capture place checked\", \"version\": \"" + version + "\"}";
        return perform(instance, post("/api/v1/matches/" + matchId + "/" + decision)
                .with(user(caseworker).roles(Roles.CASEWORKER))
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** The version of the match in the review queue of that instance, as a caseworker's screen holds it. */
    private static String versionOf(ConfigurableApplicationContext instance, String matchId) throws Exception {
        List<String> versions = com.jayway.jsonpath.JsonPath.read(queue(instance), "$[?(@.matchId == '" + matchId + "')].version");
        assertThat(versions).as("match " + matchId + " in the review queue").hasSize(1);
        return versions.get(0);
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
        return perform(instance, request.with(user("hotline-fence").roles(Roles.HOTLINE_OPERATOR)));
    }

    private static MockHttpServletResponse perform(ConfigurableApplicationContext instance, MockHttpServletRequestBuilder request) {
        try {
            return TwoInstancesIntegrationTest.mvc(instance).perform(request).andReturn().getResponse();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ReunificationApplication.class, Pauses.class)
                .properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0", "--spring.jmx.enabled=false", "--reunification.retention.first-sweep-after=PT1H",
                        "--reunification.retention.after-withdrawal=PT0S",
                        "--logging.level.org.homecoming.reunification.inquiries.InquiryFence=DEBUG");
    }

    /** Registered as a source of each instance: its producers can be held before they take their id, or send. */
    static class Pauses {
        @Bean
        SendPause sendPause() {
            return new SendPause();
        }

        @Bean
        FencePause fencePause() {
            return new FencePause();
        }

        @Bean
        DefaultKafkaProducerFactoryCustomizer pauseTheProducers(SendPause sends, FencePause fences) {
            return factory -> factory.updateConfigs(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
                    PausingInterceptor.class.getName(), SendPause.CONFIG, sends, FencePause.CONFIG, fences));
        }
    }

    /**
     * Holds the making of the next producer with a transactional id the test names, in the thread that makes it, until
     * the test lets it go: the request has been checked as far as it is before the fence, and has not taken the id.
     */
    static final class FencePause {
        static final String CONFIG = "homecoming.test.fence-pause";

        private CountDownLatch paused = new CountDownLatch(1);
        private CountDownLatch released = new CountDownLatch(1);
        private String transactionalId;

        synchronized void arm(String transactionalId) {
            paused = new CountDownLatch(1);
            released = new CountDownLatch(1);
            this.transactionalId = transactionalId;
        }

        boolean awaitPaused() throws InterruptedException {
            CountDownLatch reached;
            synchronized (this) {
                reached = paused;
            }
            return reached.await(60, TimeUnit.SECONDS);
        }

        synchronized void release() {
            transactionalId = null;
            released.countDown();
        }

        void pauseIfArmed(Object id) {
            CountDownLatch reached;
            CountDownLatch release;
            synchronized (this) {
                if (transactionalId == null || !transactionalId.equals(id)) {
                    return;
                }
                transactionalId = null;
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

    /**
     * Kafka makes it from the producer's configuration, with the instance's pauses: it is configured as the producer
     * is made, before the producer takes its transactional id (the fence pause), and sees every send (the send pause).
     */
    public static final class PausingInterceptor implements ProducerInterceptor<Object, Object> {
        private SendPause sends;

        @Override
        public void configure(Map<String, ?> configs) {
            sends = (SendPause) configs.get(SendPause.CONFIG);
            FencePause fences = (FencePause) configs.get(FencePause.CONFIG);
            if (fences != null) {
                fences.pauseIfArmed(configs.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
            }
        }

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            if (sends != null) {
                sends.pauseIfArmed(record);
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

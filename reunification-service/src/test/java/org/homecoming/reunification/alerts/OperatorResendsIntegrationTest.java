package org.homecoming.reunification.alerts;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.reunification.ReunificationApplication;
import org.homecoming.reunification.contactkeys.TestContactKeys;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.homecoming.reunification.pairing.AlertBook;
import org.homecoming.reunification.pairing.AlertRules;
import org.homecoming.reunification.pairing.DecisionsElsewhere;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TransactionPause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Hotline operators resending alerts on exchange day, against the real broker and registry, with GreenMail as the mail
 * server and the JDK's HTTP server as the SMS gateway. The service's context provides the Kafka plumbing (templates,
 * the transactional producer factory the fences use, the topics, the schemas), its mail channel and its audit trail;
 * each "instance" is the alerts package's own objects (its delivery ledger reading the real topic, its delivery, its
 * held alerts) built on it, so that two instances can be made to decide at the same moment. The inquiries and the
 * matches are plain books: no pairing runs here ({@code reunification.delivery.enabled=false} keeps the lanes stopped).
 */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = {ReunificationApplication.CONFIG_NAME, "reunification.delivery.enabled=false",
        "reunification.retention.first-sweep-after=PT1H"})
@DirtiesContext
class OperatorResendsIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> greenMail.getSmtp().getPort());
    }

    @Autowired
    KafkaTemplate<String, Object> kafka;
    @Autowired
    ProducerFactory<String, Object> producers;
    @Autowired
    KafkaProperties kafkaProperties;
    @Autowired
    EmailChannel email;
    @Autowired
    AuditTrail audit;
    @Autowired
    DeadLetters deadLetters;

    final Clock clock = Clock.systemUTC();
    /** Every instance's view of the inquiries (every instance keeps every inquiry in its book). */
    final InquiryBook inquiries = new InquiryBook();
    final ExecutorService operators = Executors.newFixedThreadPool(4);
    /** The SMS gateway stand-in's request threads. */
    final ExecutorService gatewayThreads = Executors.newFixedThreadPool(2);
    HttpServer gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(0);
        }
        gatewayThreads.shutdownNow();
        operators.shutdownNow();
    }

    @Test
    void shouldSendTheNewsOnceWhenTwoOperatorsResendAFamilysTwoAlertsOnTwoInstancesAtTheSameMoment() throws Exception {
        // given: a mother registered twice for her son; the first inquiry's "arrived" failed (the mail server refused it
        // on every attempt), and the second's was withheld as already told while the first was being sent
        String run = UUID.randomUUID().toString();
        String person = "p-twice-" + run;
        String firstInquiry = "inq-twice-a-" + run;
        String secondInquiry = "inq-twice-b-" + run;
        String address = "mother-" + run + "@example.org";
        register(firstInquiry, address, null);
        register(secondInquiry, address, null);
        AlertIssued firstAlert = alert(firstInquiry, person, AlertChannel.EMAIL);
        AlertIssued secondAlert = alert(secondInquiry, person, AlertChannel.EMAIL);
        MatchStandings bothPaired = pairedWith(Set.of(firstInquiry, secondInquiry));
        Rendezvous rendezvous = new Rendezvous();
        TransactionPause pause = new TransactionPause();
        Instance first = new Instance(bothPaired, List.of(firstAlert, secondAlert), rendezvous, pause, null);
        Instance second = new Instance(bothPaired, List.of(firstAlert, secondAlert), rendezvous, null, null);
        first.ledger.record(attempt(firstAlert, 3, DeliveryOutcome.FAILED, "email not accepted: a test's 452"));
        first.ledger.record(attempt(secondAlert, AlertDelivery.WITHHELD, DeliveryOutcome.FAILED, AlertDelivery.ALREADY_TOLD));
        for (Instance instance : List.of(first, second)) {
            instance.ledger.rebuild();
            assertThat(instance.ledger.isFailed(firstAlert.getAlertId())).as("the first alert, failed").isTrue();
            assertThat(instance.ledger.isWithheldAsAlreadyTold(secondAlert.getAlertId())).as("the second, withheld").isTrue();
        }

        // when: an operator on the first instance resends the first alert, and while its decision is inside its
        // transaction an operator on the second instance resends the second; each delivery, once its claim is
        // committed, reads the ledger when the other's has been committed too (or the other operator was answered)
        pause.arm();
        Future<AlertDeliveryAttempted> onFirst = operators.submit(() -> first.held.resend(firstAlert.getAlertId(), "operator-first"));
        rendezvous.first = onFirst;
        assertThat(pause.awaitPaused()).as("the first resend reached its transaction").isTrue();
        Future<AlertDeliveryAttempted> onSecond = operators.submit(() -> second.held.resend(secondAlert.getAlertId(), "operator-second"));
        rendezvous.second = onSecond;
        assertThat(rendezvous.arrived.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || onSecond.isDone())
                .as("the second resend reached its delivery, or was answered").isTrue();
        pause.release();
        Answer firstAnswer = Answer.of(onFirst);
        Answer secondAnswer = Answer.of(onSecond);
        // an operator whose resend lost its write to the other's (fenced under the person's id) is told nothing was
        // recorded and the alert is still held (503): she sends it again, as told, and is answered on the ledger as it
        // is now
        if (firstAnswer.lost()) {
            firstAnswer = Answer.of(operators.submit(() -> first.held.resend(firstAlert.getAlertId(), "operator-first")));
        }
        if (secondAnswer.lost()) {
            secondAnswer = Answer.of(operators.submit(() -> second.held.resend(secondAlert.getAlertId(), "operator-second")));
        }

        // then: the mother gets the news once, one operator is told it went out and the other is answered 409
        await().atMost(TIMEOUT).alias("the mother's e-mail (operators: " + firstAnswer + ", " + secondAnswer + ")")
                .until(() -> received(address).size() >= 1);
        assertThat(List.of(firstAnswer, secondAnswer)).as("the two operators' answers")
                .filteredOn(answer -> answer.delivered()).hasSize(1);
        assertThat(List.of(firstAnswer, secondAnswer)).as("the two operators' answers")
                .filteredOn(answer -> answer.conflict()).hasSize(1);
        second.ledger.rebuild();
        assertThat(List.of(firstAlert, secondAlert)).as("alerts delivered, as the ledger reads the topic")
                .filteredOn(alert -> second.ledger.isDelivered(alert.getAlertId())).hasSize(1);
        assertThat(received(address)).as("still exactly one e-mail").hasSize(1);
    }

    @Test
    void shouldResendAnEmailAlertWhileAnotherOperatorsSmsResendWaitsForAGatewayThatDoesNotAnswer() throws Exception {
        // given: an SMS gateway that takes requests and does not answer (it answers once the test lets it), one failed
        // SMS alert and one failed e-mail alert of two other families
        CountDownLatch requestReached = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/sms", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requestReached.countDown();
            try {
                answer.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        gateway.setExecutor(gatewayThreads);
        gateway.start();
        String run = UUID.randomUUID().toString();
        String bySms = "inq-sms-" + run;
        String byEmail = "inq-mail-" + run;
        String address = "wife-" + run + "@example.org";
        register(bySms, null, "+380501112233");
        register(byEmail, address, null);
        AlertIssued smsAlert = alert(bySms, "p-sms-" + run, AlertChannel.SMS);
        AlertIssued emailAlert = alert(byEmail, "p-mail-" + run, AlertChannel.EMAIL);
        SmsChannel sms = new SmsChannel("http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms",
                TestContactKeys.vault(TestContactKeys.newDirectory()), TIMEOUT.multipliedBy(2));
        Instance instance = new Instance(MatchStandings.ALL_STAND, List.of(smsAlert, emailAlert), null, null, sms);
        instance.ledger.record(attempt(smsAlert, 3, DeliveryOutcome.FAILED, "SMS gateway answered 400"));
        instance.ledger.record(attempt(emailAlert, 3, DeliveryOutcome.FAILED, "email not accepted: a test's 452"));

        // when: an operator resends the SMS alert, and while the gateway keeps it waiting another operator on the same
        // instance resends the e-mail alert
        Future<AlertDeliveryAttempted> smsResend = operators.submit(() -> instance.held.resend(smsAlert.getAlertId(), "operator-sms"));
        assertThat(requestReached.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the SMS reached the gateway").isTrue();
        Future<AlertDeliveryAttempted> emailResend = operators.submit(() -> instance.held.resend(emailAlert.getAlertId(), "operator-mail"));

        // then: the e-mail goes out at once, while the SMS still waits for the gateway's answer
        AlertDeliveryAttempted emailed;
        try {
            emailed = emailResend.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            answer.countDown();
            throw new AssertionError("the e-mail resend waited behind the SMS resend's gateway for 20 s", e);
        }
        assertThat(emailed.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(received(address)).as("the wife's e-mail").hasSize(1);
        assertThat(smsResend.isDone()).as("the SMS resend, still waiting for the gateway").isFalse();

        // and once the gateway answers, the SMS is delivered too
        answer.countDown();
        assertThat(smsResend.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    }

    @Test
    void shouldNotDecideAResendWhileAWriteToTheLedgerBelowAnotherOperatorsClaimIsStillOpen() throws Exception {
        // given: a mother registered twice for her son, and both inquiries' "arrived" failed; each instance read that
        String run = UUID.randomUUID().toString();
        String person = "p-open-" + run;
        String firstInquiry = "inq-open-a-" + run;
        String secondInquiry = "inq-open-b-" + run;
        String address = "mother-open-" + run + "@example.org";
        register(firstInquiry, address, null);
        register(secondInquiry, address, null);
        AlertIssued firstAlert = alert(firstInquiry, person, AlertChannel.EMAIL);
        AlertIssued secondAlert = alert(secondInquiry, person, AlertChannel.EMAIL);
        MatchStandings bothPaired = pairedWith(Set.of(firstInquiry, secondInquiry));
        Instance first = new Instance(bothPaired, List.of(firstAlert, secondAlert), null, null, null);
        Instance second = new Instance(bothPaired, List.of(firstAlert, secondAlert), null, null, null);
        first.ledger.record(attempt(firstAlert, 3, DeliveryOutcome.FAILED, "email not accepted: a test's 452"));
        first.ledger.record(attempt(secondAlert, 3, DeliveryOutcome.FAILED, "email not accepted: a test's 452"));
        second.ledger.rebuild();
        assertThat(second.ledger.isFailed(secondAlert.getAlertId())).as("the second alert, failed, as the second instance reads it").isTrue();

        // and: an instance killed mid-write left a transaction open on the news's partition of the ledger, and above
        // it the first instance committed an operator's claim of the first alert (its e-mail is on its way)
        AlertDeliveryAttempted claim = AlertDeliveryAttempted.newBuilder(attempt(firstAlert, 3, DeliveryOutcome.SENDING, null))
                .setDecidedBy("operator-first").build();
        ProducerFactory<String, Object> killedInstance = producers.copyWithConfigurationOverride(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-killed-instance-" + run + "-"));
        Integer newsPartition = kafka.executeInTransaction(operations -> DeliveryLedger.partition(claim, operations));
        Producer<String, Object> openWrite = killedInstance.createProducer();
        try {
            openWrite.beginTransaction();
            AlertIssued unrelated = alert("inq-unrelated-" + run, "p-unrelated-" + run, AlertChannel.EMAIL);
            openWrite.send(new ProducerRecord<>(Topics.ALERT_DELIVERIES.name(), newsPartition,
                    unrelated.getAlertId(), attempt(unrelated, 1, DeliveryOutcome.SENDING, null))).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            first.ledger.record(claim);

            // when: an operator on the second instance resends the second alert
            Throwable answer = catchThrowable(() -> second.held.resend(secondAlert.getAlertId(), "operator-second"));

            // then: nothing is decided on a ledger that cannot be read to its end: 503, to try again; nothing sent or recorded
            assertThat(answer).as("the second operator's answer").isInstanceOf(DeliveryLedger.LedgerInDoubtException.class);
            assertThat(received(address)).as("the mother's e-mails").isEmpty();
            assertThat(second.ledger.latest(secondAlert.getAlertId())).hasValueSatisfying(latest ->
                    assertThat(latest.getOutcome()).as("the second alert, still failed").isEqualTo(DeliveryOutcome.FAILED));
        } finally {
            openWrite.abortTransaction();
            openWrite.close();
            killedInstance.reset();
        }

        // and once the open write has ended, the resend sees the first operator's claim: 409, and still no second e-mail
        assertThatThrownBy(() -> second.held.resend(secondAlert.getAlertId(), "operator-second"))
                .isInstanceOf(HeldAlerts.AlreadyToldException.class);
        assertThat(received(address)).as("the mother's e-mails").isEmpty();
    }

    @Test
    void shouldSettleAHeldAlertSoonAfterAnInstanceWasKilledInsideAnotherPersonsSettlement() throws Exception {
        // given: two families' alerts held with an unknown outcome (the service stopped while sending them)
        String run = UUID.randomUUID().toString();
        register("inq-killed-" + run, "wife-killed-" + run + "@example.org", null);
        register("inq-held-" + run, "wife-held-" + run + "@example.org", null);
        AlertIssued killedAlert = alert("inq-killed-" + run, "p-killed-" + run, AlertChannel.EMAIL);
        AlertIssued heldAlert = alert("inq-held-" + run, "p-held-" + run, AlertChannel.EMAIL);
        Instance instance = new Instance(MatchStandings.ALL_STAND, List.of(killedAlert, heldAlert), null, null, null);
        instance.ledger.record(attempt(killedAlert, 1, DeliveryOutcome.UNKNOWN, DeliveryLedger.INTERRUPTED));
        instance.ledger.record(attempt(heldAlert, 1, DeliveryOutcome.UNKNOWN, DeliveryLedger.INTERRUPTED));

        // and: an instance was killed inside an operator's mark of the first family's alert: it had taken that person's
        // fence and sent the DELIVERED record to the news's partition, and never committed (its transaction would be
        // timed out by the broker only after 120 s)
        AlertDeliveryAttempted mark = AlertDeliveryAttempted.newBuilder(attempt(killedAlert, 1, DeliveryOutcome.DELIVERED,
                HeldAlerts.CONFIRMED)).setDecidedBy("operator-killed").build();
        ProducerFactory<String, Object> killedInstance = producers.copyWithConfigurationOverride(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, instance.held.fenceOf(killedAlert.getAlertId()) + "-",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) KILLED_TRANSACTION_TIMEOUT.toMillis()));
        Integer newsPartition = kafka.executeInTransaction(operations -> DeliveryLedger.partition(mark, operations));
        Producer<String, Object> killed = killedInstance.createProducer();
        try {
            killed.beginTransaction();
            killed.send(new ProducerRecord<>(Topics.ALERT_DELIVERIES.name(), newsPartition, killedAlert.getAlertId(), mark))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            // when: an operator marks the other family's alert delivered (they confirmed it), trying again after each 503
            Settled settled = settleRetrying(() -> instance.held.markDelivered(heldAlert.getAlertId(), "operator-1"));

            // then: it is recorded well within the killed transaction's timeout
            assertThat(settled.outcome()).as("the operator's mark within " + WITHIN + " (the killed transaction's timeout: "
                    + KILLED_TRANSACTION_TIMEOUT + "); answered 503 " + settled.inDoubt() + " times, last: " + settled.last())
                    .isNotNull();
            assertThat(settled.outcome().getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
            // and the killed instance's mark was ended, never committed: the first family's alert is still held
            Instance another = new Instance(MatchStandings.ALL_STAND, List.of(killedAlert, heldAlert), null, null, null);
            another.ledger.rebuild();
            assertThat(another.ledger.isHeld(killedAlert.getAlertId())).as("the alert the killed instance was marking, held").isTrue();
            assertThat(another.ledger.isDelivered(heldAlert.getAlertId())).as("the alert the operator marked, delivered").isTrue();
            assertThat(catchThrowable(killed::commitTransaction)).as("the killed instance's commit, had it come back").isNotNull();
        } finally {
            try {
                killed.abortTransaction();
            } catch (RuntimeException fenced) {
                // ended already: the point of the test
            }
            killed.close(Duration.ZERO);
            killedInstance.reset();
        }
    }

    @Test
    void shouldTellAnOperatorWhoseSettlementStalledPastTheAbandonedThresholdThatTheAlertIsStillHeldToTryAgain() throws Exception {
        // given: two families' alerts held with an unknown outcome
        String run = UUID.randomUUID().toString();
        register("inq-stalled-" + run, "wife-stalled-" + run + "@example.org", null);
        register("inq-other-" + run, "wife-other-" + run + "@example.org", null);
        AlertIssued stalledAlert = alert("inq-stalled-" + run, "p-stalled-" + run, AlertChannel.EMAIL);
        AlertIssued otherAlert = alert("inq-other-" + run, "p-other-" + run, AlertChannel.EMAIL);
        TransactionPause pause = new TransactionPause();
        Instance stalling = new Instance(MatchStandings.ALL_STAND, List.of(stalledAlert, otherAlert), null, pause, null);
        Instance other = new Instance(MatchStandings.ALL_STAND, List.of(stalledAlert, otherAlert), null, null, null);
        stalling.ledger.record(attempt(stalledAlert, 1, DeliveryOutcome.UNKNOWN, DeliveryLedger.INTERRUPTED));
        stalling.ledger.record(attempt(otherAlert, 1, DeliveryOutcome.UNKNOWN, DeliveryLedger.INTERRUPTED));

        // when: an operator's mark of the first stalls inside its transaction (a long pause of its instance), and
        // meanwhile an operator on the other instance marks the second, trying again after each 503 until the stalled
        // transaction is old enough to be taken for abandoned and ended
        pause.arm();
        Future<AlertDeliveryAttempted> stalled = operators.submit(() -> stalling.held.markDelivered(stalledAlert.getAlertId(), "operator-stalled"));
        assertThat(pause.awaitPaused()).as("the first mark reached its transaction").isTrue();
        Settled settled = settleRetrying(() -> other.held.markDelivered(otherAlert.getAlertId(), "operator-other"));
        pause.release();
        Answer stalledAnswer = Answer.of(stalled);

        // then: the second is recorded, and the operator whose mark stalled is told it was not, that the alert is still
        // held and to try again (a 503), never that another operator settled it (a 409, and the operator moves on)
        assertThat(settled.outcome()).as("the other operator's mark; answered 503 " + settled.inDoubt() + " times, last: "
                + settled.last()).isNotNull();
        assertThat(stalledAnswer.refusal()).as("the stalled operator's answer: " + stalledAnswer)
                .isInstanceOf(HeldAlerts.SettlementLostException.class)
                .hasMessageContaining("still held").hasMessageContaining("nothing was recorded").hasMessageContaining("try again")
                .hasMessageNotContaining("another operator settled it");
        Instance another = new Instance(MatchStandings.ALL_STAND, List.of(stalledAlert, otherAlert), null, null, null);
        another.ledger.rebuild();
        assertThat(another.ledger.isHeld(stalledAlert.getAlertId())).as("the stalled mark's alert, still held").isTrue();
        assertThat(another.ledger.isDelivered(otherAlert.getAlertId())).isTrue();
    }

    /** How long an operator keeps trying a settlement answered 503 ("try again"): far below the killed transaction's timeout. */
    static final Duration WITHIN = Duration.ofSeconds(60);
    static final Duration KILLED_TRANSACTION_TIMEOUT = Duration.ofSeconds(120);

    /** A settlement as an operator who tries again after each 503 sees it: its outcome within {@link #WITHIN}, or none. */
    record Settled(AlertDeliveryAttempted outcome, int inDoubt, Throwable last) {
    }

    private static Settled settleRetrying(java.util.concurrent.Callable<AlertDeliveryAttempted> settlement) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        int inDoubt = 0;
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                return new Settled(settlement.call(), inDoubt, last);
            } catch (DeliveryLedger.LedgerInDoubtException e) {
                // each answer already waited for the ledger (STABLE_WAIT): tried again at once, as an operator would
                inDoubt++;
                last = e;
            }
        }
        return new Settled(null, inDoubt, last);
    }

    @Test
    void shouldAnswerAnUnknownAlertWithoutTakingATransactionalIdForItOnTheBroker() throws Exception {
        // given: an alert id no delivery was ever recorded for
        String unknown = UUID.randomUUID().toString();
        Instance instance = new Instance(MatchStandings.ALL_STAND, List.of(), null, null, null);

        // when: an operator resends it, or marks it delivered
        assertThatThrownBy(() -> instance.held.resend(unknown, "operator-1")).isInstanceOf(HeldAlerts.UnknownAlertException.class);
        assertThatThrownBy(() -> instance.held.markDelivered(unknown, "operator-1")).isInstanceOf(HeldAlerts.UnknownAlertException.class);

        // then: 404, and the broker holds no transactional id made for it (operators cannot mint ids without limit)
        try (Admin admin = Admin.create(kafkaProperties.buildAdminProperties())) {
            assertThat(admin.listTransactions().all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .extracting(TransactionListing::transactionalId).as("transactional ids on the broker")
                    .noneMatch(id -> id.contains(unknown));
        }
    }

    /** One instance's alerts objects on the context's Kafka plumbing. */
    final class Instance {
        final GatedLedger ledger;
        final AlertDelivery delivery;
        final HeldAlerts held;

        @SuppressWarnings("unchecked")
        Instance(MatchStandings standings, List<AlertIssued> issued, Rendezvous rendezvous, TransactionPause pause, SmsChannel sms) {
            ledger = new GatedLedger(kafka, kafkaProperties, clock, rendezvous);
            delivery = new AlertDelivery(ledger, inquiries, AlertTemplatesTest.TEMPLATES, email,
                    sms == null ? new SmsChannel("", TestContactKeys.vault(TestContactKeys.newDirectory()), Duration.ofSeconds(1))
                            : sms, deadLetters, new SimpleMeterRegistry(), clock, 3,
                    Duration.ofMillis(50), TestContactKeys.seal(clock), InquiryReads.CAUGHT_UP, Duration.ZERO, standings);
            AlertBook alerts = mock(AlertBook.class);
            when(alerts.alertsOf(anyString())).thenAnswer(call -> issued.stream()
                    .filter(alert -> alert.getInquiryId().equals(call.getArgument(0))).toList());
            ObjectProvider<ProducerFactory<String, Object>> fences = mock(ObjectProvider.class);
            when(fences.getIfAvailable()).thenReturn(producers);
            ObjectProvider<HeldAlertSettlementHook> hook = mock(ObjectProvider.class);
            if (pause != null) {
                org.mockito.Mockito.doAnswer(call -> {
                    ((java.util.function.Consumer<HeldAlertSettlementHook>) call.getArgument(0)).accept(pause::pauseIfArmed);
                    return null;
                }).when(hook).ifAvailable(org.mockito.ArgumentMatchers.any());
            }
            held = new HeldAlerts(ledger, alerts, delivery, audit, clock, kafka, fences, hook,
                    (ObjectProvider<DecisionsElsewhere>) mock(ObjectProvider.class));
        }
    }

    /**
     * The real ledger; once this instance has committed an operator's claim, the next read of the topic (the delivery's
     * look at the family's other alerts) begins only when the other instance's has begun too, and its decision follows
     * only when both have read, unless the other operator was answered first: the two deliveries at the same moment.
     */
    static final class GatedLedger extends DeliveryLedger {
        private final Rendezvous rendezvous;
        private final AtomicBoolean claimed = new AtomicBoolean();

        GatedLedger(KafkaTemplate<String, Object> kafka, KafkaProperties properties, Clock clock, Rendezvous rendezvous) {
            super(kafka, properties, clock);
            this.rendezvous = rendezvous;
        }

        @Override
        void settled(AlertDeliveryAttempted attempt) {
            super.settled(attempt);
            if (attempt.getOutcome() == DeliveryOutcome.SENDING && attempt.getDecidedBy() != null) {
                claimed.set(true);
            }
        }

        @Override
        public void rebuild() {
            if (rendezvous == null || !claimed.getAndSet(false)) {
                super.rebuild();
                return;
            }
            rendezvous.arrived.countDown();
            rendezvous.meet(rendezvous.beforeRead);
            super.rebuild();
            rendezvous.meet(rendezvous.afterRead);
        }
    }

    /** Where the two instances' deliveries meet; each stops waiting once an operator's call has ended. */
    static final class Rendezvous {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch beforeRead = new CountDownLatch(2);
        final CountDownLatch afterRead = new CountDownLatch(2);
        volatile Future<?> first;
        volatile Future<?> second;

        void meet(CountDownLatch both) {
            both.countDown();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            try {
                while (!both.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                    if ((first != null && first.isDone()) || (second != null && second.isDone())) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What an operator was answered: the resend's outcome, or the refusal the controller answers 409. */
    record Answer(AlertDeliveryAttempted outcome, Throwable refusal) {
        static Answer of(Future<AlertDeliveryAttempted> call) throws InterruptedException, TimeoutException {
            try {
                return new Answer(call.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), null);
            } catch (ExecutionException e) {
                return new Answer(null, e.getCause());
            }
        }

        boolean delivered() {
            return outcome != null && outcome.getOutcome() == DeliveryOutcome.DELIVERED;
        }

        boolean conflict() {
            return refusal instanceof HeldAlerts.NotHeldException;
        }

        /** Answered 503: the settlement lost its write before its commit, nothing recorded, the alert still held. */
        boolean lost() {
            return refusal instanceof HeldAlerts.SettlementLostException;
        }

        @Override
        public String toString() {
            return outcome != null ? outcome.getOutcome() + " " + outcome.getFailureReason() : String.valueOf(refusal);
        }
    }

    private void register(String inquiryId, String mail, String phone) {
        inquiries.apply(inquiryId, new InquiryRegistered(inquiryId, 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName("Ткаченко", "Олег", null))).build(),
                Relative.newBuilder().setName("Synthetic relative").setRelationship("mother").setLanguage(Language.UK)
                        .setConsentGiven(true).setEmail(mail).setPhone(phone).build(), Instant.now(), Instant.now(), null));
    }

    private static MatchStandings pairedWith(Set<String> inquiries) {
        return new MatchStandings() {
            @Override
            public Standing of(String inquiryId, String personId) {
                return Standing.STANDS;
            }

            @Override
            public Set<String> inquiriesPairedWith(String personId) {
                return inquiries;
            }
        };
    }

    private static AlertIssued alert(String inquiryId, String personId, AlertChannel channel) {
        return new AlertIssued(AlertRules.alertId(inquiryId, personId, Milestone.ARRIVED), inquiryId, personId, Milestone.ARRIVED,
                Language.UK, channel, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private AlertDeliveryAttempted attempt(AlertIssued alert, int attempt, DeliveryOutcome outcome, String reason) {
        return AlertDeliveryAttempted.newBuilder().setAlertId(alert.getAlertId()).setInquiryId(alert.getInquiryId())
                .setAttempt(attempt).setChannel(alert.getChannel()).setOutcome(outcome).setFailureReason(reason)
                .setAttemptedAt(clock.instant()).setMessageId(alert.getChannel() == AlertChannel.EMAIL
                        ? EmailChannel.messageId(alert.getAlertId()) : null)
                .setPersonId(alert.getPersonId()).setMilestone(alert.getMilestone()).build();
    }

    private static List<MimeMessage> received(String address) {
        return List.of(greenMail.getReceivedMessagesForDomain(address));
    }
}

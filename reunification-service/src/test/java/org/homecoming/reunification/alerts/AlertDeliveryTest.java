package org.homecoming.reunification.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.deadletter.Outage;
import org.homecoming.reunification.contactkeys.TestContactKeys;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Delivery's rules with the channels, the ledger's Kafka writes and the dead-letter publisher replaced by mocks. */
class AlertDeliveryTest {

    static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    final DeliveryLedger ledger = mock(DeliveryLedger.class);
    final InquiryBook book = new InquiryBook();
    final EmailChannel email = mock(EmailChannel.class);
    final SmsChannel sms = mock(SmsChannel.class);
    final DeadLetters deadLetters = mock(DeadLetters.class);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The alert's match, as delivery reads it when the alert is about to go out. */
    MatchStandings.Standing standing = MatchStandings.Standing.STANDS;
    final AlertDelivery delivery = new AlertDelivery(ledger, book, AlertTemplatesTest.TEMPLATES, email, sms, deadLetters, meters,
            Clock.fixed(NOW, ZoneOffset.UTC), 3, Duration.ofMillis(1), TestContactKeys.seal(Clock.fixed(NOW, ZoneOffset.UTC)),
            InquiryReads.CAUGHT_UP, Duration.ZERO, (inquiryId, personId) -> standing);

    static AlertIssued alert(AlertChannel channel) {
        return new AlertIssued("alert-1", "inq-1", "p-1", Milestone.ARRIVED, Language.RU, channel, "Chernihiv Regional Hospital", NOW);
    }

    static ConsumerRecord<String, AlertIssued> record(AlertIssued alert) {
        return new ConsumerRecord<>(Topics.ALERTS.name(), 0, 7L, alert.getInquiryId(), alert);
    }

    void register(String mail, String phone) {
        book.apply("inq-1", new InquiryRegistered("inq-1", 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName("Ткаченко", "Оксана", null))).build(),
                Relative.newBuilder().setName("Synthetic").setRelationship("mother").setLanguage(Language.RU)
                        .setConsentGiven(true).setEmail(mail).setPhone(phone).build(), NOW, NOW, null));
    }

    List<AlertDeliveryAttempted> recorded(int times) {
        ArgumentCaptor<AlertDeliveryAttempted> attempts = ArgumentCaptor.forClass(AlertDeliveryAttempted.class);
        verify(ledger, times(times)).record(attempts.capture());
        return attempts.getAllValues();
    }

    double counted(String outcome) {
        return meters.find("reunification.alert.deliveries").tag("outcome", outcome).counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    @Test
    void shouldEmailInTheRelativesLanguageAndRecordTheDelivery() throws Exception {
        register("mother@example.org", null);

        delivery.on(record(alert(AlertChannel.EMAIL)));

        verify(email).send(eq("alert-1"), eq("mother@example.org"), eq("Человек, которого вы ищете, прибыл"), anyString());
        assertThat(recorded(2)).extracting(AlertDeliveryAttempted::getOutcome, AlertDeliveryAttempted::getAttempt,
                        AlertDeliveryAttempted::getMessageId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DeliveryOutcome.SENDING, 1, "<alert-1@homecoming>"),
                        org.assertj.core.groups.Tuple.tuple(DeliveryOutcome.DELIVERED, 1, "<alert-1@homecoming>"));
        assertThat(counted("delivered")).isEqualTo(1.0);
    }

    @Test
    void shouldWriteInTheLanguageTheRelativeAskedForSinceTheAlertWasIssued() throws Exception {
        // given an alert issued while the mother's inquiry said Russian, and her update since: she reads Ukrainian
        book.apply("inq-1", new InquiryRegistered("inq-1", 2,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName("Ткаченко", "Оксана", null))).build(),
                Relative.newBuilder().setName("Synthetic").setRelationship("mother").setLanguage(Language.UK)
                        .setConsentGiven(true).setEmail("mother@example.org").build(), NOW, NOW, null));

        // when the alert goes out
        delivery.on(record(alert(AlertChannel.EMAIL)));

        // then it is in Ukrainian, as it goes to the address she gave last
        verify(email).send(eq("alert-1"), eq("mother@example.org"), eq("Людина, яку ви шукаєте, прибула"), anyString());
    }

    @Test
    void shouldNotSendAnAlertThatWasDeliveredBefore() throws Exception {
        register("mother@example.org", null);
        when(ledger.isDelivered("alert-1")).thenReturn(true);

        delivery.on(record(alert(AlertChannel.EMAIL)));

        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        verify(ledger, never()).record(any());
    }

    @Test
    void shouldSendNothingForAWithdrawnInquiryAndRecordWhy() throws Exception {
        register("mother@example.org", null);
        book.apply("inq-1", null);

        delivery.on(record(alert(AlertChannel.EMAIL)));

        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(recorded(1)).singleElement().satisfies(attempt -> {
            assertThat(attempt.getOutcome()).isEqualTo(DeliveryOutcome.FAILED);
            assertThat(attempt.getFailureReason()).isEqualTo(AlertDelivery.WITHDRAWN);
        });
        verify(deadLetters, never()).accept(any(), any());
    }

    @Test
    void shouldWithholdAnAlertWhoseMatchFellBeforeItWentOutAndRecordWhy() throws Exception {
        // given: a caseworker rejected the auto-match while its alert waited behind a mail outage
        register("mother@example.org", null);
        standing = MatchStandings.Standing.FELL;

        delivery.on(record(alert(AlertChannel.EMAIL)));

        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(recorded(1)).singleElement().satisfies(attempt -> {
            assertThat(attempt.getOutcome()).isEqualTo(DeliveryOutcome.FAILED);
            assertThat(attempt.getAttempt()).as("withheld: neither retried nor resendable").isEqualTo(AlertDelivery.WITHHELD);
            assertThat(attempt.getFailureReason()).isEqualTo(AlertDelivery.MATCH_FELL);
        });
        assertThat(AlertDelivery.withheld(recorded(1).get(0))).isTrue();
        verify(deadLetters, never()).accept(any(), any());
    }

    @Test
    void shouldWithholdAnEarlierMilestoneThatWaitedWhileALaterOneWasDelivered() throws Exception {
        // given: "listed" waited behind an SMS gateway outage while "arrived" went out by e-mail
        register("mother@example.org", null);
        when(ledger.isDelivered(org.homecoming.reunification.pairing.AlertRules.alertId("inq-1", "p-1", Milestone.ARRIVED)))
                .thenReturn(true);
        AlertIssued listed = new AlertIssued("alert-listed", "inq-1", "p-1", Milestone.LISTED_FOR_RELEASE, Language.RU,
                AlertChannel.SMS, null, NOW);

        delivery.on(record(listed));

        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        verify(sms, never()).send(anyString(), anyString(), anyString());
        assertThat(recorded(1)).singleElement().satisfies(attempt -> {
            assertThat(attempt.getAttempt()).as("withheld: neither retried nor resendable").isEqualTo(AlertDelivery.WITHHELD);
            assertThat(attempt.getFailureReason()).isEqualTo(AlertDelivery.SUPERSEDED);
        });
        verify(deadLetters, never()).accept(any(), any());
    }

    @Test
    void shouldRecordNothingAndTryAgainWhileTheAlertsMatchIsNotReadYet() throws Exception {
        register("mother@example.org", null);
        standing = MatchStandings.Standing.UNKNOWN;
        ConsumerRecord<String, AlertIssued> record = record(alert(AlertChannel.EMAIL));

        assertThatThrownBy(() -> delivery.on(record)).isInstanceOf(AlertDelivery.MatchNotReadYet.class);
        verify(ledger, never()).record(any());
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());

        // then, once the match is read as standing, the next try e-mails the relative
        standing = MatchStandings.Standing.STANDS;
        delivery.on(record);
        verify(email).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
    }

    @Test
    void shouldWaitForAMatchThisInstanceIsStillReadingAndThenSend() throws Exception {
        // given: an instance whose follower of the matches topic reads the alert's match a moment after the alert arrives
        register("mother@example.org", null);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        AlertDelivery patient = new AlertDelivery(ledger, book, AlertTemplatesTest.TEMPLATES, email, sms, deadLetters, meters,
                Clock.fixed(NOW, ZoneOffset.UTC), 3, Duration.ofMillis(1), TestContactKeys.seal(Clock.fixed(NOW, ZoneOffset.UTC)),
                InquiryReads.CAUGHT_UP, Duration.ofSeconds(30),
                (inquiryId, personId) -> asked.incrementAndGet() < 3 ? MatchStandings.Standing.UNKNOWN : MatchStandings.Standing.STANDS);

        patient.on(record(alert(AlertChannel.EMAIL)));

        verify(email).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
        assertThat(asked.get()).isEqualTo(3);
    }

    @Test
    void shouldRecordAFailureNotAnErasureWhenTheVaultDoesNotHoldTheInquirysKey() throws Exception {
        // given an inquiry sealed with a key of another vault (this service's vault was lost, or points elsewhere)
        register("mother@example.org", null);
        InquiryRegistered sealedElsewhere = TestContactKeys.seal(Clock.fixed(NOW, ZoneOffset.UTC)).seal(book.find("inq-1").orElseThrow());
        book.apply("inq-1", sealedElsewhere);

        delivery.on(record(alert(AlertChannel.EMAIL)));

        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(recorded(1)).singleElement().satisfies(attempt -> {
            assertThat(attempt.getOutcome()).isEqualTo(DeliveryOutcome.FAILED);
            assertThat(attempt.getAttempt()).as("a failure an operator may resend, not a withheld alert").isEqualTo(1);
            assertThat(attempt.getFailureReason()).isEqualTo(AlertDelivery.NO_KEY);
        });
        assertThat(counted("erased")).isZero();
    }

    @Test
    void shouldRecordAnAlertGivenUpUnreadAsFailedSoAnOperatorCanResendIt() {
        // given an alert whose inquiry this instance never read in all its tries: the container gives it up
        ConsumerRecord<String, AlertIssued> record = record(alert(AlertChannel.EMAIL));
        Exception spent = new ListenerExecutionFailedException("Listener failed", new AlertDelivery.InquiryNotReadYet("inq-1"));

        delivery.gaveUp(record, spent);

        // then the ledger knows it as a failure an operator may resend (attempt 1), not as withheld, and not as unknown
        assertThat(recorded(1)).singleElement().satisfies(attempt -> {
            assertThat(attempt.getOutcome()).isEqualTo(DeliveryOutcome.FAILED);
            assertThat(attempt.getAttempt()).isEqualTo(1);
            assertThat(attempt.getFailureReason()).isEqualTo(AlertDelivery.NOT_READ);
        });
        assertThat(AlertDelivery.withheld(recorded(1).get(0))).isFalse();
    }

    @Test
    void shouldLeaveTheRecordOfAnAlertGivenUpAsItIs() {
        // an alert given up for another cause, and one that has a record already (its SENDING stands: held, never resent)
        ConsumerRecord<String, AlertIssued> record = record(alert(AlertChannel.EMAIL));
        delivery.gaveUp(record, new ListenerExecutionFailedException("Listener failed", new IllegalStateException("bug")));
        when(ledger.latest("alert-1")).thenReturn(java.util.Optional.of(AlertDeliveryAttempted.newBuilder()
                .setAlertId("alert-1").setInquiryId("inq-1").setAttempt(1).setChannel(AlertChannel.EMAIL)
                .setOutcome(DeliveryOutcome.SENDING).setAttemptedAt(NOW).build()));
        delivery.gaveUp(record, new ListenerExecutionFailedException("Listener failed", new AlertDelivery.MatchNotReadYet("inq-1")));

        verify(ledger, never()).record(any());
    }

    @Test
    void shouldNotTakeAnInquiryItHasNotReadForAWithdrawnOneAndSendOnceItIsRead() throws Exception {
        // given: an alert whose inquiry this instance has not read (its book is behind, or being rebuilt)
        ConsumerRecord<String, AlertIssued> record = record(alert(AlertChannel.EMAIL));

        // when it is delivered, it fails without a record, so the container tries it again
        assertThatThrownBy(() -> delivery.on(record)).isInstanceOf(AlertDelivery.InquiryNotReadYet.class)
                .hasMessageNotContaining("mother@example.org");
        verify(ledger, never()).record(any());
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());

        // then, once the inquiry is read, the next try e-mails the relative
        register("mother@example.org", null);
        delivery.on(record);
        verify(email).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
        assertThat(recorded(2)).extracting(AlertDeliveryAttempted::getOutcome)
                .containsExactly(DeliveryOutcome.SENDING, DeliveryOutcome.DELIVERED);
    }

    @Test
    void shouldWaitForAnInquiryThisInstanceReadsWhileTheAlertWaits() throws Exception {
        // given: an instance that reads the inquiry a moment after the alert arrives (its state was being rebuilt)
        AlertDelivery patient = new AlertDelivery(ledger, book, AlertTemplatesTest.TEMPLATES, email, sms, deadLetters, meters,
                Clock.fixed(NOW, ZoneOffset.UTC), 3, Duration.ofMillis(1), TestContactKeys.seal(Clock.fixed(NOW, ZoneOffset.UTC)),
                inquiryId -> {
                    register("mother@example.org", null);
                    return true;
                }, Duration.ofSeconds(30), MatchStandings.ALL_STAND);

        // when
        patient.on(record(alert(AlertChannel.EMAIL)));

        // then: the relative is e-mailed, nothing was recorded as withdrawn
        verify(email).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
        assertThat(recorded(2)).extracting(AlertDeliveryAttempted::getOutcome)
                .containsExactly(DeliveryOutcome.SENDING, DeliveryOutcome.DELIVERED);
    }

    @Test
    void shouldRetryABoundedNumberOfTimesRecordEveryAttemptAndDeadLetterTheAlert() throws Exception {
        register(null, "+380501234567");
        // the gateway refuses this message (it is up: an outage of the gateway is waited out, see below)
        doThrow(new DeliveryFailure("SMS gateway answered 400")).when(sms).send(anyString(), anyString(), anyString());
        ConsumerRecord<String, AlertIssued> record = record(alert(AlertChannel.SMS));

        delivery.on(record);

        verify(sms, times(3)).send(eq("alert-1"), eq("+380501234567"), anyString());
        assertThat(recorded(6)).extracting(AlertDeliveryAttempted::getAttempt, AlertDeliveryAttempted::getOutcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, DeliveryOutcome.SENDING),
                org.assertj.core.groups.Tuple.tuple(1, DeliveryOutcome.RETRYING),
                org.assertj.core.groups.Tuple.tuple(2, DeliveryOutcome.SENDING),
                org.assertj.core.groups.Tuple.tuple(2, DeliveryOutcome.RETRYING),
                org.assertj.core.groups.Tuple.tuple(3, DeliveryOutcome.SENDING),
                org.assertj.core.groups.Tuple.tuple(3, DeliveryOutcome.FAILED));
        verify(deadLetters).accept(eq(record), any(DeliveryFailure.class));
        assertThat(meters.find("reunification.alerts.dead-lettered").counter().count()).as("visible to ops").isEqualTo(1.0);
        assertThat(counted("failed")).isEqualTo(1.0);
        assertThat(counted("retrying")).isEqualTo(2.0);
    }

    @Test
    void shouldKeepAnAlertWaitingWhileItsChannelIsAwayAndSendItOnceWhenTheChannelIsBack() throws Exception {
        // given: the SMS gateway is down for every attempt of the first round, and back afterwards
        register(null, "+380501234567");
        doThrow(new ChannelUnavailable("SMS gateway answered 503")).doThrow(new ChannelUnavailable("SMS gateway answered 503"))
                .doThrow(new ChannelUnavailable("SMS gateway unreachable: ConnectException")).doNothing()
                .when(sms).send(anyString(), anyString(), anyString());
        ConsumerRecord<String, AlertIssued> record = record(alert(AlertChannel.SMS));

        // when: the listener meets the outage, the alert is handed back to the container as an outage, not given up
        assertThatThrownBy(() -> delivery.on(record)).isInstanceOf(AlertDelivery.WaitingForChannel.class)
                .satisfies(waiting -> assertThat(Outage.isBehind(waiting)).as("read again, never dead-lettered").isTrue());
        verify(deadLetters, never()).accept(any(), any());
        assertThat(recorded(6)).last().satisfies(last -> {
            assertThat(last.getOutcome()).as("not FAILED: an operator need not resend it").isEqualTo(DeliveryOutcome.RETRYING);
            assertThat(last.getFailureReason()).endsWith(AlertDelivery.WAITS_FOR_CHANNEL);
        });

        // and when the container reads it again, the gateway is back: sent once, delivered
        delivery.on(record);

        verify(sms, times(4)).send(eq("alert-1"), eq("+380501234567"), anyString());
        assertThat(recorded(8)).last().extracting(AlertDeliveryAttempted::getOutcome).isEqualTo(DeliveryOutcome.DELIVERED);
        verify(deadLetters, never()).accept(any(), any());
        assertThat(counted("waiting")).isEqualTo(1.0);
        assertThat(counted("failed")).isEqualTo(0.0);
    }

    @Test
    void shouldNotHoldUpAnOperatorsResendAtAChannelThatIsAway() {
        register(null, "+380501234567");
        try {
            doThrow(new ChannelUnavailable("SMS gateway answered 503")).when(sms).send(anyString(), anyString(), anyString());
        } catch (DeliveryFailure | OutcomeUnknown e) {
            throw new IllegalStateException(e);
        }

        AlertDelivery.Attempts attempts = delivery.deliver(alert(AlertChannel.SMS), "operator-1");

        assertThat(attempts.last().getOutcome()).as("the operator sees it failed and may resend it later")
                .isEqualTo(DeliveryOutcome.FAILED);
    }

    @Test
    void shouldHoldAnSmsWhoseGatewayTookTheRequestAndTimedOutAndNeverSendItAgain() throws Exception {
        // given: the gateway took the request and did not answer in time; it may have sent the SMS
        register(null, "+380501234567");
        doThrow(new OutcomeUnknown("SMS gateway did not answer in time after the request was sent: HttpTimeoutException", null))
                .when(sms).send(anyString(), anyString(), anyString());
        ConsumerRecord<String, AlertIssued> record = record(alert(AlertChannel.SMS));

        // when
        delivery.on(record);

        // then: sent once, held for an operator as after a crash mid-send, not retried and not dead-lettered
        verify(sms, times(1)).send(eq("alert-1"), eq("+380501234567"), anyString());
        assertThat(recorded(2)).extracting(AlertDeliveryAttempted::getAttempt, AlertDeliveryAttempted::getOutcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, DeliveryOutcome.SENDING),
                org.assertj.core.groups.Tuple.tuple(1, DeliveryOutcome.UNKNOWN));
        verify(deadLetters, never()).accept(any(), any());
        assertThat(counted("unknown")).isEqualTo(1.0);
        assertThat(counted("retrying")).isEqualTo(0.0);
    }

    @Test
    void shouldStopRetryingOnceAnAttemptSucceeds() throws Exception {
        register(null, "+380501234567");
        doThrow(new DeliveryFailure("SMS gateway unreachable")).doNothing().when(sms).send(anyString(), anyString(), anyString());

        delivery.on(record(alert(AlertChannel.SMS)));

        assertThat(recorded(4)).extracting(AlertDeliveryAttempted::getOutcome)
                .containsExactly(DeliveryOutcome.SENDING, DeliveryOutcome.RETRYING, DeliveryOutcome.SENDING, DeliveryOutcome.DELIVERED);
        verify(deadLetters, never()).accept(any(), any());
    }

    @Test
    void shouldRecordSendingBeforeTheMessageLeaves() throws Exception {
        // given
        register("mother@example.org", null);

        // when
        delivery.on(record(alert(AlertChannel.EMAIL)));

        // then: nothing leaves before the ledger has the SENDING record
        InOrder order = inOrder(ledger, email);
        order.verify(ledger).record(argThat(attempt -> attempt.getOutcome() == DeliveryOutcome.SENDING));
        order.verify(email).send(eq("alert-1"), anyString(), anyString(), anyString());
        order.verify(ledger).record(argThat(attempt -> attempt.getOutcome() == DeliveryOutcome.DELIVERED));
    }

    @Test
    void shouldHoldAnAlertWhoseSendWasInterruptedAndNeverSendItAgain() throws Exception {
        // given: this instance recorded SENDING, then the send threw something that is not a delivery failure
        register("mother@example.org", null);
        AlertDeliveryAttempted sending = AlertDeliveryAttempted.newBuilder().setAlertId("alert-1").setInquiryId("inq-1").setAttempt(1)
                .setChannel(AlertChannel.EMAIL).setOutcome(DeliveryOutcome.SENDING).setAttemptedAt(NOW).build();
        when(ledger.latest("alert-1")).thenReturn(java.util.Optional.of(sending));

        // when: the container hands the alert over again
        delivery.on(record(alert(AlertChannel.EMAIL)));

        // then
        verify(ledger).holdForOperator(sending);
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(counted("unknown")).isEqualTo(1.0);
    }

    @Test
    void shouldNotSendAnAlertHeldForAnOperator() throws Exception {
        // given
        register("mother@example.org", null);
        when(ledger.latest("alert-1")).thenReturn(java.util.Optional.of(AlertDeliveryAttempted.newBuilder().setAlertId("alert-1")
                .setInquiryId("inq-1").setAttempt(1).setChannel(AlertChannel.EMAIL).setOutcome(DeliveryOutcome.UNKNOWN)
                .setAttemptedAt(NOW).build()));

        // when
        delivery.on(record(alert(AlertChannel.EMAIL)));

        // then
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        verify(ledger, never()).record(any());
        verify(ledger, never()).holdForOperator(any());
    }
}

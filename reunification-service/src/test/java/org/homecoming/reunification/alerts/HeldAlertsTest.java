package org.homecoming.reunification.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.PartitionInfo;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.reunification.contactkeys.TestContactKeys;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.homecoming.reunification.pairing.AlertBook;
import org.homecoming.reunification.pairing.AlertRules;
import org.homecoming.reunification.pairing.DecisionsElsewhere;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.homecoming.reunification.alerts.AlertDeliveryTest.NOW;
import static org.homecoming.reunification.alerts.AlertDeliveryTest.alert;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * An operator's resend with Kafka replaced: the ledger keeps what is recorded (its real rules decide what is held or
 * failed), the settling transaction runs its callback on mocked operations, the audit trail and the channels are mocks.
 */
class HeldAlertsTest {

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
    @SuppressWarnings("unchecked")
    final KafkaOperations<String, Object> operations = mock(KafkaOperations.class);
    final DeliveryLedger ledger = spy(new DeliveryLedger(kafka, new KafkaProperties(), clock));
    /** Every record written to reunification.alert-deliveries, by delivery and by a settlement, in order. */
    final List<AlertDeliveryAttempted> records = new ArrayList<>();
    final InquiryBook book = new InquiryBook();
    final AlertBook alerts = mock(AlertBook.class);
    final EmailChannel email = mock(EmailChannel.class);
    final SmsChannel sms = mock(SmsChannel.class);
    final AuditTrail audit = mock(AuditTrail.class);
    /** How this instance reads the alert's match; a test may change it. */
    MatchStandings.Standing standing = MatchStandings.Standing.STANDS;
    HeldAlerts held;
    AlertDelivery delivery;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void wire() {
        doNothing().when(ledger).rebuild();
        doNothing().when(ledger).awaitStableEnd(); // no broker: nothing is open on the stand-in topic
        doAnswer(call -> {
            AlertDeliveryAttempted attempt = call.getArgument(0);
            records.add(attempt);
            ledger.settled(attempt);
            return null;
        }).when(ledger).record(any());
        when(kafka.executeInTransaction(any())).thenAnswer(call ->
                ((KafkaOperations.OperationsCallback<String, Object, Object>) call.getArgument(0)).doInOperations(operations));
        when(operations.send(eq(Topics.ALERT_DELIVERIES.name()), any(), anyString(), any())).thenAnswer(call -> {
            records.add(call.getArgument(3));
            return null;
        });
        // a settlement of an attempt that names its news sends it to that news's partition: the topic has one here
        when(operations.partitionsFor(Topics.ALERT_DELIVERIES.name()))
                .thenReturn(List.of(new PartitionInfo(Topics.ALERT_DELIVERIES.name(), 0, null, null, null)));
        when(audit.writingWith(any())).thenReturn(audit);
        when(alerts.alertsOf("inq-1")).thenReturn(List.of(alert(AlertChannel.EMAIL)));
        book.apply("inq-1", new InquiryRegistered("inq-1", 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName("Ткаченко", "Оксана", null))).build(),
                Relative.newBuilder().setName("Synthetic").setRelationship("mother").setLanguage(Language.RU)
                        .setConsentGiven(true).setEmail("mother@example.org").build(), NOW, NOW, null));
        delivery = new AlertDelivery(ledger, book, AlertTemplatesTest.TEMPLATES, email, sms,
                mock(DeadLetters.class), new SimpleMeterRegistry(), clock, 3, Duration.ofMillis(1), TestContactKeys.seal(clock),
                InquiryReads.CAUGHT_UP, Duration.ZERO, (inquiryId, personId) -> standing);
        ObjectProvider<ProducerFactory<String, Object>> noFencing = mock(ObjectProvider.class);
        held = new HeldAlerts(ledger, alerts, delivery, audit, clock, kafka, noFencing, mock(ObjectProvider.class), elsewhere);
    }

    /** The alerts of inquiries other instances own, as this one has read them; none unless a test says so. */
    @SuppressWarnings("unchecked")
    final ObjectProvider<DecisionsElsewhere> elsewhere = mock(ObjectProvider.class);

    /** What the ledger has read: the alert's latest record. */
    void lastRecorded(DeliveryOutcome outcome, String reason) {
        lastRecorded(outcome, reason, 3);
    }

    void lastRecorded(DeliveryOutcome outcome, String reason, int attempt) {
        ledger.settled(AlertDeliveryAttempted.newBuilder().setAlertId("alert-1").setInquiryId("inq-1").setAttempt(attempt)
                .setChannel(AlertChannel.EMAIL).setOutcome(outcome).setFailureReason(reason).setAttemptedAt(NOW)
                .setMessageId(EmailChannel.messageId("alert-1")).build());
    }

    @Test
    void shouldDeliverAFailedAlertOnceWhenAnOperatorResendsItAfterTheOutage() throws Exception {
        // given: every attempt failed while the mail server was down, and the alert went to the dead-letter topic
        lastRecorded(DeliveryOutcome.FAILED, "email not accepted: MailSendException caused by ConnectException");

        // when: the mail server is back and a hotline operator resends it
        AlertDeliveryAttempted outcome = held.resend("alert-1", "operator-1");

        // then: one email, recorded DELIVERED, the resend audited and claimed (SENDING) before anything left
        verify(email, times(1)).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
        assertThat(outcome.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(outcome.getDecidedBy()).isEqualTo("operator-1");
        verify(audit).recorded(AuditAction.ALERT_RESENT, AuditSubject.ALERT, "alert-1", AuditOutcome.SUCCEEDED);
        assertThat(records).extracting(AlertDeliveryAttempted::getOutcome)
                .containsExactly(DeliveryOutcome.SENDING, DeliveryOutcome.SENDING, DeliveryOutcome.DELIVERED);
        assertThat(ledger.isDelivered("alert-1")).isTrue();

        // and a second resend is refused: it was delivered
        assertThatThrownBy(() -> held.resend("alert-1", "operator-2")).isInstanceOf(HeldAlerts.NotHeldException.class);
        verify(email, times(1)).send(anyString(), anyString(), anyString(), anyString());
    }

    @Test
    void shouldResendAFailedAlertOfAnInquiryThatAnotherInstanceOwns() throws Exception {
        // given an alert issued by the instance that owns inq-1, whose delivery failed; this instance's own book has none
        lastRecorded(DeliveryOutcome.FAILED, "email not accepted: MailSendException caused by ConnectException");
        when(alerts.alertsOf("inq-1")).thenReturn(List.of());
        DecisionsElsewhere all = mock(DecisionsElsewhere.class);
        when(all.alertsOf("inq-1")).thenReturn(List.of(alert(AlertChannel.EMAIL)));
        when(elsewhere.getIfAvailable()).thenReturn(all);

        // when the operator's resend reaches this instance
        AlertDeliveryAttempted outcome = held.resend("alert-1", "operator-1");

        // then it is delivered, not refused as if it were not held
        assertThat(outcome.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        verify(email, times(1)).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
    }

    @Test
    void shouldRefuseToResendADeliveredAlert() throws Exception {
        lastRecorded(DeliveryOutcome.DELIVERED, null);

        assertThatThrownBy(() -> held.resend("alert-1", "operator-1")).isInstanceOf(HeldAlerts.NotHeldException.class);

        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        verify(audit, never()).recorded(any(), any(), anyString(), any());
        assertThat(records).as("nothing recorded").isEmpty();
    }

    @Test
    void shouldRefuseToResendAnAlertOfAWithdrawnOrErasedInquiry() throws Exception {
        for (String reason : List.of(AlertDelivery.WITHDRAWN, AlertDelivery.ERASED, AlertDelivery.MATCH_FELL)) {
            // as delivery records them: withheld, attempt 0, never tried
            lastRecorded(DeliveryOutcome.FAILED, reason, AlertDelivery.WITHHELD);

            assertThatThrownBy(() -> held.resend("alert-1", "operator-1")).as(reason).isInstanceOf(HeldAlerts.NotHeldException.class);
        }
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(records).as("nothing recorded").isEmpty();
    }

    @Test
    void shouldAnswerThatAnAlertWithNoRecordedDeliveryIsNotKnown() {
        assertThatThrownBy(() -> held.resend("no-such-alert", "operator-1")).isInstanceOf(HeldAlerts.UnknownAlertException.class);
        assertThatThrownBy(() -> held.markDelivered("no-such-alert", "operator-1")).isInstanceOf(HeldAlerts.UnknownAlertException.class);
        assertThat(records).isEmpty();
    }

    @Test
    void shouldNotLetAnOperatorMarkAFailedAlertDelivered() {
        // only the family can say a held alert arrived; a failed one did not
        lastRecorded(DeliveryOutcome.FAILED, "SMS gateway answered 503");

        assertThatThrownBy(() -> held.markDelivered("alert-1", "operator-1")).isInstanceOf(HeldAlerts.NotHeldException.class);
        assertThat(records).isEmpty();
    }

    @Test
    void shouldStillResendAHeldAlert() throws Exception {
        lastRecorded(DeliveryOutcome.UNKNOWN, DeliveryLedger.INTERRUPTED);

        assertThat(held.resend("alert-1", "operator-1").getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);

        verify(email, times(1)).send(eq("alert-1"), anyString(), anyString(), anyString());
        ArgumentCaptor<AuditAction> action = ArgumentCaptor.forClass(AuditAction.class);
        verify(audit).recorded(action.capture(), eq(AuditSubject.ALERT), eq("alert-1"), eq(AuditOutcome.SUCCEEDED));
        assertThat(action.getValue()).isEqualTo(AuditAction.ALERT_RESENT);
    }

    @Test
    void shouldKeepAnAlertResendableWhenTheResendFindsItsMatchNotReadYet() throws Exception {
        // given: a failed alert, and an instance that has not read the alert's match yet (just after a takeover)
        lastRecorded(DeliveryOutcome.FAILED, "email not accepted: MailSendException caused by ConnectException");
        standing = MatchStandings.Standing.UNKNOWN;

        // when: an operator resends it there, the answer is "try again" (503) and nothing is sent
        assertThatThrownBy(() -> held.resend("alert-1", "operator-1")).isInstanceOf(AlertDelivery.MatchNotReadYet.class);
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());

        // then: the alert is failed as before, not stuck behind the resend's claim, and the next resend delivers it
        assertThat(ledger.latest("alert-1")).hasValueSatisfying(latest ->
                assertThat(latest.getOutcome()).isEqualTo(DeliveryOutcome.FAILED));
        assertThat(ledger.isFailed("alert-1")).isTrue();
        standing = MatchStandings.Standing.STANDS;
        assertThat(held.resend("alert-1", "operator-1").getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        verify(email, times(1)).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
    }

    @Test
    void shouldHoldAnAlertForAnOperatorWhenItsResendStoppedMidSend() throws Exception {
        // given: a held alert, and a mail channel that stops with something that is not a delivery failure
        lastRecorded(DeliveryOutcome.UNKNOWN, DeliveryLedger.INTERRUPTED);
        doThrow(new IllegalStateException("the channel broke")).when(email).send(anyString(), anyString(), anyString(), anyString());

        assertThatThrownBy(() -> held.resend("alert-1", "operator-1")).isInstanceOf(IllegalStateException.class);

        // then: the message may have left, so the alert is held again (unknown outcome), not left as SENDING
        assertThat(ledger.latest("alert-1")).hasValueSatisfying(latest ->
                assertThat(latest.getOutcome()).isEqualTo(DeliveryOutcome.UNKNOWN));
        assertThat(held.held()).extracting(AlertDeliveryAttempted::getAlertId).containsExactly("alert-1");
    }

    /** The delivery lane gives the alert up: this instance never read its inquiry in all its tries. */
    void givenUpUnread() {
        delivery.gaveUp(AlertDeliveryTest.record(alert(AlertChannel.EMAIL)),
                new ListenerExecutionFailedException("Listener failed", new AlertDelivery.InquiryNotReadYet("inq-1")));
    }

    @Test
    void shouldLetAnOperatorResendAnAlertGivenUpUnreadWhileItWaitedForItsChannel() throws Exception {
        // given: a round of the alert waited for the mail server, then the alert's partition went to an instance that
        // never read its inquiry in all its tries, and the lane gave it up
        lastRecorded(DeliveryOutcome.RETRYING, "email not accepted: MailSendException" + AlertDelivery.WAITS_FOR_CHANNEL);

        givenUpUnread();

        // then: it is a failure an operator sees and may resend, not an alert waiting for good
        assertThat(ledger.isFailed("alert-1")).as("failed, so listed and resendable").isTrue();
        assertThat(ledger.latest("alert-1")).hasValueSatisfying(latest ->
                assertThat(latest.getFailureReason()).isEqualTo(AlertDelivery.NOT_READ));
        assertThat(held.resend("alert-1", "operator-1").getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        verify(email, times(1)).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
    }

    @Test
    void shouldLetAnOperatorResendAnAlertGivenUpUnreadThatAnEarlierIssueHadWithheld() throws Exception {
        // given: the alert was withheld once (its match fell), the match stands again and the same alert id is issued
        // again, and this instance never reads its inquiry in all its tries
        lastRecorded(DeliveryOutcome.FAILED, AlertDelivery.MATCH_FELL, AlertDelivery.WITHHELD);

        givenUpUnread();

        assertThat(ledger.isFailed("alert-1")).as("failed, so listed and resendable").isTrue();
        assertThat(held.resend("alert-1", "operator-1").getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    }

    @Test
    void shouldNeverMarkFailedAnAlertGivenUpThatMayHaveGoneOut() {
        for (DeliveryOutcome mayHaveGone : List.of(DeliveryOutcome.SENDING, DeliveryOutcome.UNKNOWN, DeliveryOutcome.DELIVERED)) {
            lastRecorded(mayHaveGone, null);

            givenUpUnread();

            assertThat(ledger.latest("alert-1")).as("after %s", mayHaveGone).hasValueSatisfying(latest ->
                    assertThat(latest.getOutcome()).isEqualTo(mayHaveGone));
        }
        assertThat(records).as("nothing recorded").isEmpty();
    }

    @Test
    void shouldNotAnnounceAnEarlierMilestoneAfterALaterOneWasDeliveredWhenAnOperatorResendsIt() throws Exception {
        // given: "listed for release" failed (a wrong address, since corrected), and "arrived" reached the family
        AlertIssued listed = milestoneAlert(Milestone.LISTED_FOR_RELEASE);
        AlertIssued arrived = milestoneAlert(Milestone.ARRIVED);
        when(alerts.alertsOf("inq-1")).thenReturn(List.of(listed, arrived));
        recorded(listed, DeliveryOutcome.FAILED, "email not accepted: SMTP 550 no such mailbox", 3);
        recorded(arrived, DeliveryOutcome.DELIVERED, null, 1);

        // when: an operator resends "listed for release"
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> held.resend(listed.getAlertId(), "operator-1"));

        // then: refused with 409 problem+json saying why, and nothing goes to the family
        assertThat(refused).isInstanceOf(HeldAlerts.NotHeldException.class);
        ResponseEntity<ProblemDetail> answer = new HeldAlertsController(held).notHeld((HeldAlerts.NotHeldException) refused);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody().getDetail()).contains("later milestone").contains("ARRIVED");
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        verify(sms, never()).send(anyString(), anyString(), anyString());
        verify(audit, never()).recorded(any(), any(), anyString(), any());

        // and it is recorded withheld, so it is no longer a failure to resend (nor on the console's list)
        assertThat(records).singleElement().satisfies(withheld -> {
            assertThat(withheld.getOutcome()).isEqualTo(DeliveryOutcome.FAILED);
            assertThat(withheld.getAttempt()).isEqualTo(AlertDelivery.WITHHELD);
            assertThat(withheld.getFailureReason()).isEqualTo(AlertDelivery.SUPERSEDED);
            assertThat(withheld.getDecidedBy()).isEqualTo("operator-1");
        });
        assertThat(ledger.isFailed(listed.getAlertId())).isFalse();
        assertThatThrownBy(() -> held.resend(listed.getAlertId(), "operator-2")).isInstanceOf(HeldAlerts.NotHeldException.class);
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
    }

    @Test
    void shouldStillResendAnEarlierMilestoneWhenTheLaterOneFailedToo() throws Exception {
        // a later milestone that never reached the family supersedes nothing: the operator may resend either
        AlertIssued listed = milestoneAlert(Milestone.LISTED_FOR_RELEASE);
        AlertIssued arrived = milestoneAlert(Milestone.ARRIVED);
        when(alerts.alertsOf("inq-1")).thenReturn(List.of(listed, arrived));
        recorded(listed, DeliveryOutcome.FAILED, "email not accepted: SMTP 550 no such mailbox", 3);
        recorded(arrived, DeliveryOutcome.FAILED, "email not accepted: SMTP 550 no such mailbox", 3);

        assertThat(held.resend(listed.getAlertId(), "operator-1").getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    }

    @Test
    void shouldCommitTheWithheldRecordOfASupersededResendInItsDecision() throws Exception {
        // given: "listed for release" failed, and "arrived" reached the family
        AlertIssued listed = milestoneAlert(Milestone.LISTED_FOR_RELEASE);
        AlertIssued arrived = milestoneAlert(Milestone.ARRIVED);
        when(alerts.alertsOf("inq-1")).thenReturn(List.of(listed, arrived));
        recorded(listed, DeliveryOutcome.FAILED, "email not accepted: SMTP 550 no such mailbox", 3);
        recorded(arrived, DeliveryOutcome.DELIVERED, null, 1);

        // when: an operator resends "listed for release"
        assertThatThrownBy(() -> held.resend(listed.getAlertId(), "operator-1")).isInstanceOf(HeldAlerts.SupersededException.class);

        // then: the alert is recorded withheld by the decision's own transaction, under the person's fence, not after it
        verify(operations).send(eq(Topics.ALERT_DELIVERIES.name()), any(), eq(listed.getAlertId()),
                org.mockito.ArgumentMatchers.argThat(record -> record instanceof AlertDeliveryAttempted withheld
                        && AlertDelivery.SUPERSEDED.equals(withheld.getFailureReason())));
        verify(ledger, never()).record(any());
        assertThat(ledger.isFailed(listed.getAlertId())).as("no longer a failure to resend").isFalse();
    }

    @Test
    void shouldCommitTheWithheldRecordOfAResendWhoseFamilyHeardTheNewsThroughTheirOtherInquiryInItsDecision() throws Exception {
        // given: the mother registered twice with one address; the first inquiry's "arrived" failed, the second's reached her
        book.apply("inq-2", new InquiryRegistered("inq-2", 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName("Ткаченко", "Оксана", null))).build(),
                Relative.newBuilder().setName("Synthetic").setRelationship("mother").setLanguage(Language.RU)
                        .setConsentGiven(true).setEmail("mother@example.org").build(), NOW, NOW, null));
        AlertIssued first = milestoneAlert(Milestone.ARRIVED);
        String second = AlertRules.alertId("inq-2", "p-1", Milestone.ARRIVED);
        when(alerts.alertsOf("inq-1")).thenReturn(List.of(first));
        recorded(first, DeliveryOutcome.FAILED, "email not accepted: SMTP 452", 3);
        ledger.settled(AlertDeliveryAttempted.newBuilder().setAlertId(second).setInquiryId("inq-2").setAttempt(1)
                .setChannel(AlertChannel.EMAIL).setOutcome(DeliveryOutcome.DELIVERED).setAttemptedAt(NOW)
                .setMessageId(EmailChannel.messageId(second)).setPersonId("p-1").setMilestone(Milestone.ARRIVED).build());

        // when: an operator resends the first
        assertThatThrownBy(() -> held.resend(first.getAlertId(), "operator-1")).isInstanceOf(HeldAlerts.AlreadyToldException.class);

        // then: nothing is sent, and the alert is recorded withheld as already told by the decision's own transaction
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        verify(operations).send(eq(Topics.ALERT_DELIVERIES.name()), any(), eq(first.getAlertId()),
                org.mockito.ArgumentMatchers.argThat(record -> record instanceof AlertDeliveryAttempted withheld
                        && AlertDelivery.ALREADY_TOLD.equals(withheld.getFailureReason())));
        verify(ledger, never()).record(any());
        assertThat(ledger.isWithheldAsAlreadyTold(first.getAlertId())).isTrue();
    }

    @Test
    void shouldDecideEveryAlertAboutOnePersonUnderOneFenceThatDoesNotNameThePerson() {
        // given: three milestones of one person, through two inquiries, and an alert about another person
        for (Milestone milestone : List.of(Milestone.LISTED_FOR_RELEASE, Milestone.CROSSED_BORDER, Milestone.ARRIVED)) {
            recorded(milestoneAlert(milestone), DeliveryOutcome.FAILED, "email not accepted: SMTP 452", 3);
        }
        String otherInquiry = AlertRules.alertId("inq-2", "p-1", Milestone.ARRIVED);
        String otherPerson = AlertRules.alertId("inq-1", "p-2", Milestone.ARRIVED);
        for (String[] alert : List.of(new String[]{otherInquiry, "inq-2", "p-1"}, new String[]{otherPerson, "inq-1", "p-2"})) {
            ledger.settled(AlertDeliveryAttempted.newBuilder().setAlertId(alert[0]).setInquiryId(alert[1]).setAttempt(3)
                    .setChannel(AlertChannel.EMAIL).setOutcome(DeliveryOutcome.FAILED).setAttemptedAt(NOW)
                    .setPersonId(alert[2]).setMilestone(Milestone.ARRIVED).build());
        }

        // then: "crossed the border" and "arrived" of p-1 are never decided side by side, whichever inquiry they came through
        String fence = held.fenceOf(milestoneAlert(Milestone.ARRIVED).getAlertId());
        assertThat(List.of(Milestone.LISTED_FOR_RELEASE, Milestone.CROSSED_BORDER))
                .extracting(milestone -> held.fenceOf(milestoneAlert(milestone).getAlertId())).containsOnly(fence);
        assertThat(held.fenceOf(otherInquiry)).isEqualTo(fence);
        assertThat(held.fenceOf(otherPerson)).as("another person's").isNotEqualTo(fence);
        // and the transactional id, which the Kafka clients log as their client id, does not name the person
        assertThat(fence).startsWith("reunification-held-person-").doesNotContain("p-1");
        assertThat(held.fenceOf(otherPerson)).doesNotContain("p-2");
    }

    @Test
    void shouldAnswerAnOperatorWhoseDecisionMetAnOpenWriteToTryAgainOnceTheLedgerWouldFenceIt() {
        // when a decision could not read the ledger to its end (a write left open by a stopped instance), on a ledger
        // that fences a settlement left open after abandoned-after (5 s)
        ResponseEntity<ProblemDetail> answer = new HeldAlertsController(held)
                .inDoubt(new DeliveryLedger.LedgerInDoubtException(Duration.ofSeconds(5)));

        // then the operator is told nothing was decided, and to try again once a retry can fence it: in 5 s, not a minute
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getBody().getDetail()).contains("nothing was decided").contains("try again in 5 seconds or later");
        // and a part of a second is not rounded down to a retry that comes too early
        assertThat(new HeldAlertsController(held).inDoubt(new DeliveryLedger.LedgerInDoubtException(Duration.ofMillis(5_500)))
                .getHeaders().getFirst("Retry-After")).isEqualTo("6");
    }

    @Test
    void shouldAnswerAnOperatorWhoseSettlementLostItsWriteThatTheAlertIsStillHeldAndToTryAgain() {
        // when a settlement's transaction was ended before its commit (fenced during a broker's failover) and the ledger
        // read again shows the alert still held
        ResponseEntity<ProblemDetail> answer = new HeldAlertsController(held).lost(new HeldAlerts.SettlementLostException("alert-1"));

        // then the operator is told nothing was recorded, that the alert is still held, and to try again: not a 409
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isNotBlank();
        assertThat(answer.getBody().getProperties()).containsEntry("retryable", true);
        assertThat(answer.getBody().getDetail()).contains("still held").contains("nothing was recorded").contains("try again");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldSendAResendWhoseCommitWentThroughButWhoseAnswerWasLostOnAClockFinerThanMilliseconds() throws Exception {
        // given: a held alert, an instance whose clock has microseconds (Clock.systemUTC on Linux), and a settlement
        // whose commit reaches the ledger while its answer is lost (the producer is fenced as the commit returns)
        Clock fine = Clock.fixed(NOW.plusNanos(123_456), ZoneOffset.UTC);
        HeldAlerts onFineClock = new HeldAlerts(ledger, alerts, delivery, audit, fine, kafka,
                mock(ObjectProvider.class), mock(ObjectProvider.class), elsewhere);
        lastRecorded(DeliveryOutcome.UNKNOWN, DeliveryLedger.INTERRUPTED);
        doAnswer(call -> {
            ((KafkaOperations.OperationsCallback<String, Object, Object>) call.getArgument(0)).doInOperations(operations);
            // the ledger, read again, holds the claim as the topic gives it back: through Avro, in milliseconds
            AlertDeliveryAttempted claim = records.get(records.size() - 1);
            ledger.settled(AlertDeliveryAttempted.fromByteBuffer(claim.toByteBuffer()));
            throw new org.apache.kafka.common.errors.ProducerFencedException("the commit's answer was lost");
        }).doAnswer(call ->
                ((KafkaOperations.OperationsCallback<String, Object, Object>) call.getArgument(0)).doInOperations(operations))
                .when(kafka).executeInTransaction(any());

        // when: an operator resends it
        AlertDeliveryAttempted outcome = onFineClock.resend("alert-1", "operator-1");

        // then: the claim on the ledger is its own, so it is settled: the mail goes out once and the family is told
        assertThat(outcome.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        verify(email, times(1)).send(eq("alert-1"), eq("mother@example.org"), anyString(), anyString());
        assertThat(ledger.latest("alert-1")).map(AlertDeliveryAttempted::getOutcome).contains(DeliveryOutcome.DELIVERED);
    }

    static AlertIssued milestoneAlert(Milestone milestone) {
        return new AlertIssued(AlertRules.alertId("inq-1", "p-1", milestone), "inq-1", "p-1", milestone, Language.RU,
                AlertChannel.EMAIL, "Chernihiv Regional Hospital", NOW);
    }

    /** What the ledger has read of {@code alert}: its latest record. */
    void recorded(AlertIssued alert, DeliveryOutcome outcome, String reason, int attempt) {
        ledger.settled(AlertDeliveryAttempted.newBuilder().setAlertId(alert.getAlertId()).setInquiryId("inq-1").setAttempt(attempt)
                .setChannel(AlertChannel.EMAIL).setOutcome(outcome).setFailureReason(reason).setAttemptedAt(NOW)
                .setMessageId(EmailChannel.messageId(alert.getAlertId())).setPersonId("p-1").setMilestone(alert.getMilestone())
                .build());
    }
}

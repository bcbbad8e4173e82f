package org.homecoming.reunification.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
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
import org.homecoming.reunification.contactkeys.TestContactKeys;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.homecoming.reunification.pairing.AlertBook;
import org.homecoming.reunification.pairing.AlertRules;
import org.homecoming.platform.deadletter.Outage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A family that registered twice (a second call to the hotline, a partner organisation that registered them again, the
 * name spelled another way) is one family: each piece of news reaches their address once. Delivery's rules with the
 * real ledger; only its Kafka writes, the channels and the dead-letter publisher are stand-ins.
 */
class SameNewsOnceTest {

    static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
    /** What the ledger wrote to reunification.alert-deliveries, in order. */
    final List<AlertDeliveryAttempted> written = new ArrayList<>();
    final InquiryBook book = new InquiryBook();
    final EmailChannel email = mock(EmailChannel.class);
    final SmsChannel sms = mock(SmsChannel.class);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    SameNewsOnceTest() {
        when(kafka.executeInTransaction(any())).thenAnswer(call -> CompletableFuture.completedFuture(null));
    }

    final DeliveryLedger ledger = recordingLedger();
    final AlertDelivery delivery = delivery(ledger);

    @Test
    void shouldTellAFamilyThatRegisteredTwiceOnceAndRecordWhyTheSecondAlertWasNotSent() throws Exception {
        // given one mother, registered at the hotline twice for her son (her address typed once in capitals)
        register("inq-1", "mother@example.org", null);
        register("inq-2", "Mother@Example.ORG", null);

        // when both inquiries are matched to him and he arrives
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then she gets one e-mail, and the second alert says why it was not sent
        verify(email, times(1)).send(anyString(), anyString(), anyString(), anyString());
        assertThat(ledger.latest(alertId("inq-2", "p-1", Milestone.ARRIVED))).hasValueSatisfying(attempt -> {
            assertThat(attempt.getOutcome()).isEqualTo(DeliveryOutcome.FAILED);
            assertThat(attempt.getAttempt()).as("withheld: neither retried nor resendable").isEqualTo(AlertDelivery.WITHHELD);
            assertThat(attempt.getFailureReason()).isEqualTo(AlertDelivery.ALREADY_TOLD)
                    .as("which inquiry reached the same address is contact data").doesNotContain("inq-1");
        });
        assertThat(meters.find("reunification.alert.deliveries").tag("outcome", "already-told").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldTellAFamilyTheNewsThroughTheInquiryWhoseMatchStandsWhenTheOneThatToldThemFell() throws Exception {
        // given a mother who registered for her two sons; the second son's inquiry was matched to the first son by
        // mistake and its "listed for release" went out
        motherRegisteredTwice();
        Set<String> fell = new java.util.HashSet<>();
        AlertDelivery delivery = delivery(ledger, new MatchStandings() {
            @Override
            public Standing of(String inquiryId, String personId) {
                return fell.contains(inquiryId) ? Standing.FELL : Standing.STANDS;
            }

            @Override
            public Set<String> inquiriesPairedWith(String personId) {
                return Set.of("inq-1", "inq-2");
            }
        });
        delivery.on(record(alert("inq-2", "p-1", Milestone.LISTED_FOR_RELEASE, AlertChannel.EMAIL)));

        // when a caseworker rejects that match and confirms the first son's inquiry instead
        fell.add("inq-2");
        delivery.on(record(alert("inq-1", "p-1", Milestone.LISTED_FOR_RELEASE, AlertChannel.EMAIL)));

        // then she is told of him under the inquiry that is about him: the other told her about the wrong son
        verify(email).send(eq(alertId("inq-1", "p-1", Milestone.LISTED_FOR_RELEASE)), eq("mother@example.org"), anyString(), anyString());
        assertThat(ledger.isDelivered(alertId("inq-1", "p-1", Milestone.LISTED_FOR_RELEASE))).isTrue();
    }

    @Test
    void shouldTellEachRelativeOfOnePersonAtTheirOwnAddress() throws Exception {
        // given his mother and his wife, each with an inquiry of her own
        register("inq-1", "mother@example.org", null);
        register("inq-2", "wife@example.org", null);

        // when
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then
        verify(email).send(eq(alertId("inq-1", "p-1", Milestone.ARRIVED)), eq("mother@example.org"), anyString(), anyString());
        verify(email).send(eq(alertId("inq-2", "p-1", Milestone.ARRIVED)), eq("wife@example.org"), anyString(), anyString());
    }

    @Test
    void shouldTellAFamilyThatRegisteredTwiceEachNewsAndOfEachPerson() throws Exception {
        // given one father who registered for his two sons, and then once more for the first
        register("inq-1", null, "+380501234567");
        register("inq-2", null, "+380501234567");
        register("inq-3", null, "+380501234567");

        // when the first son crosses the border and then arrives, and the second arrives
        delivery.on(record(alert("inq-1", "p-1", Milestone.CROSSED_BORDER, AlertChannel.SMS)));
        delivery.on(record(alert("inq-3", "p-1", Milestone.CROSSED_BORDER, AlertChannel.SMS)));
        delivery.on(record(alert("inq-3", "p-1", Milestone.ARRIVED, AlertChannel.SMS)));
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.SMS)));
        delivery.on(record(alert("inq-2", "p-2", Milestone.ARRIVED, AlertChannel.SMS)));

        // then three messages: each news of each son once
        verify(sms).send(eq(alertId("inq-1", "p-1", Milestone.CROSSED_BORDER)), eq("+380501234567"), anyString());
        verify(sms).send(eq(alertId("inq-3", "p-1", Milestone.ARRIVED)), eq("+380501234567"), anyString());
        verify(sms).send(eq(alertId("inq-2", "p-2", Milestone.ARRIVED)), eq("+380501234567"), anyString());
        verify(sms, times(3)).send(anyString(), anyString(), anyString());
    }

    @Test
    void shouldSendTheNewsThroughTheSecondInquiryWhenTheFirstCouldNotDeliverIt() throws Exception {
        // given a family registered twice, and the first alert refused by the mail server on every attempt
        motherRegisteredTwice();
        mailServerRefusesTheFirstMessageOnEveryAttempt();

        // when
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then a failed alert told nobody: the second one goes out
        assertThat(ledger.isDelivered(alertId("inq-2", "p-1", Milestone.ARRIVED))).isTrue();
    }

    @Test
    void shouldLetAnOperatorTellAFamilyThroughTheirOtherInquiryOnceTheOneWhoseAlertWasUnknownIsWithdrawn() throws Exception {
        // given a mother registered twice; the e-mail of her first inquiry's alert has an unknown outcome (the mail server
        // stopped answering mid-send), so the second inquiry's alert was withheld as already told
        motherRegisteredTwice();
        mailServerDoesNotAnswerInTimeForTheFirstMessage();
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        String second = alertId("inq-2", "p-1", Milestone.ARRIVED);
        assertThat(ledger.isWithheldAsAlreadyTold(second)).isTrue();

        // when she withdraws the first inquiry (she called twice) before anyone settled its alert, and an operator
        // resends the second one
        book.apply("inq-1", null);
        AlertDeliveryAttempted resent = heldAlerts(alerts -> alerts.add(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)))
                .resend(second, "operator-1");

        // then she hears the news through the inquiry she kept
        assertThat(resent.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        verify(email).send(eq(second), eq("mother@example.org"), anyString(), anyString());
        assertThat(ledger.isDelivered(second)).isTrue();
    }

    @Test
    void shouldRefuseToResendAnAlertWithheldAsAlreadyToldWhileTheFamilysOtherAlertStillMayHaveReachedThem() throws Exception {
        // given a mother registered twice, the first inquiry's alert held with an unknown outcome and the second's
        // withheld as already told
        motherRegisteredTwice();
        mailServerDoesNotAnswerInTimeForTheFirstMessage();
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        String second = alertId("inq-2", "p-1", Milestone.ARRIVED);
        int recorded = written.size();

        // when an operator resends the second while the first may still have reached her
        HeldAlerts held = heldAlerts(alerts -> alerts.add(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then it is refused, with nothing recorded or sent, and can still be resent later
        assertThatThrownBy(() -> held.resend(second, "operator-1")).isInstanceOf(HeldAlerts.AlreadyToldException.class)
                .hasMessageNotContaining("inq-1");
        verify(email, times(1)).send(anyString(), anyString(), anyString(), anyString());
        assertThat(written).hasSize(recorded);
        assertThat(ledger.isWithheldAsAlreadyTold(second)).isTrue();
    }

    @Test
    void shouldRefuseToResendWhileTheFamilysOtherAlertMayHaveReachedThemBySmsBeforeTheyGaveAnEmailAddress() throws Exception {
        // given a mother registered twice: the first time with her phone only, and that inquiry's SMS "arrived" has an
        // unknown outcome (the gateway took it and did not answer); since then she gave the first inquiry the e-mail
        // address of her second, and the second inquiry's alert was withheld as already told
        register("inq-1", null, "+380501234567");
        register("inq-2", "mother@example.org", null);
        doThrow(new OutcomeUnknown("SMS gateway did not answer in time", null)).when(sms).send(anyString(), anyString(), anyString());
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.SMS)));
        register("inq-1", "mother@example.org", "+380501234567");
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        String second = alertId("inq-2", "p-1", Milestone.ARRIVED);
        assertThat(ledger.isWithheldAsAlreadyTold(second)).isTrue();
        int recorded = written.size();

        // when an operator resends the second while the SMS may have reached her
        HeldAlerts held = heldAlerts(alerts -> alerts.add(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then it is refused before anything is claimed, recorded or sent: the SMS went to the same family, over
        // another channel (before, only an unknown outcome on the channel she has now counted, and the resend claimed
        // the news and was withheld only by the family's first claim, after its audit entry and its claim were written)
        assertThatThrownBy(() -> held.resend(second, "operator-1")).isInstanceOf(HeldAlerts.AlreadyToldException.class);
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(written).as("records written by the refused resend").hasSize(recorded);
        assertThat(ledger.isWithheldAsAlreadyTold(second)).isTrue();
    }

    @Test
    void shouldRefuseToResendAnAlertWithheldAsAlreadyToldWhenTheInquiryThatToldTheFamilyWasWithdrawnSince() throws Exception {
        // given a mother registered twice: the first inquiry's alert reached her, the second's was withheld as already told
        motherRegisteredTwice();
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        String second = alertId("inq-2", "p-1", Milestone.ARRIVED);
        assertThat(ledger.isWithheldAsAlreadyTold(second)).isTrue();

        // when the hotline withdraws the first inquiry as her duplicate, and an operator resends the second
        book.apply("inq-1", null);
        int recorded = written.size();
        HeldAlerts held = heldAlerts(alerts -> alerts.add(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then it is refused: she heard the news once, and a withdrawn inquiry no longer says where its alert went
        assertThatThrownBy(() -> held.resend(second, "operator-1")).isInstanceOf(HeldAlerts.AlreadyToldException.class);
        verify(email, times(1)).send(anyString(), anyString(), anyString(), anyString());
        assertThat(written).hasSize(recorded);
    }

    @Test
    void shouldWithholdAFailedAlertAnOperatorResendsWhenTheFamilyHeardTheNewsSinceSoItLeavesTheListToResend() throws Exception {
        // given a mother registered twice: the first alert to reach the mail server failed on every attempt, and the
        // second inquiry's alert, issued later, reached her
        motherRegisteredTwice();
        mailServerRefusesTheFirstMessageOnEveryAttempt();
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        String first = alertId("inq-1", "p-1", Milestone.ARRIVED);
        assertThat(ledger.isFailed(first)).isTrue();

        // when an operator, working through the failed alerts, resends the first
        HeldAlerts held = heldAlerts(alerts -> alerts.add(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then nothing is sent, and the alert is recorded withheld as already told: no longer failed, nothing left to do
        assertThatThrownBy(() -> held.resend(first, "operator-1")).isInstanceOf(HeldAlerts.AlreadyToldException.class);
        verify(email, times(4)).send(anyString(), anyString(), anyString(), anyString());
        assertThat(ledger.isFailed(first)).isFalse();
        assertThat(ledger.isWithheldAsAlreadyTold(first)).isTrue();
    }

    @Test
    void shouldNotSendNewsThatIsBeingSentToTheSameAddressAtThisMoment() throws Exception {
        // given the first alert's e-mail is on its way (the mail server has not answered yet)
        motherRegisteredTwice();
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        doAnswer(call -> {
            sending.countDown();
            answer.await(30, TimeUnit.SECONDS);
            return null;
        }).when(email).send(eq(alertId("inq-1", "p-1", Milestone.ARRIVED)), anyString(), anyString(), anyString());
        Thread first = new Thread(() -> delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL))));
        first.start();
        assertThat(sending.await(30, TimeUnit.SECONDS)).isTrue();

        // when the second alert comes meanwhile, on another partition's consumer
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        answer.countDown();
        first.join();

        // then it is not sent: the message that may be arriving now is the one she gets
        verify(email, times(1)).send(anyString(), anyString(), anyString(), anyString());
        assertThat(ledger.latest(alertId("inq-2", "p-1", Milestone.ARRIVED))).get()
                .extracting(AlertDeliveryAttempted::getAttempt).isEqualTo(AlertDelivery.WITHHELD);
    }

    @Test
    void shouldNotSendNewsWhileTheFamilysOtherAlertIsBetweenTwoOfItsAttempts() throws Exception {
        // given another instance claimed the news for the family's first inquiry, and its first attempt met a busy mail
        // server: it pauses before its next attempt (RETRYING), which goes on with the same claim
        motherRegisteredTwice();
        written.add(sending("inq-1", "p-1", Milestone.ARRIVED));
        written.add(AlertDeliveryAttempted.newBuilder(sending("inq-1", "p-1", Milestone.ARRIVED))
                .setOutcome(DeliveryOutcome.RETRYING).setFailureReason("mail server busy").build());
        DeliveryLedger thisInstance = recordingLedger();

        // when this instance delivers the second inquiry's alert in that pause
        delivery(thisInstance, bothPairedWith("inq-1", "inq-2"))
                .on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then it sends nothing: the other instance's next attempt is the one she gets
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(thisInstance.latest(alertId("inq-2", "p-1", Milestone.ARRIVED))).get()
                .extracting(AlertDeliveryAttempted::getFailureReason).isEqualTo(AlertDelivery.ALREADY_TOLD);
    }

    @Test
    void shouldReleaseItsClaimAndTryAgainLaterWhenTheLedgerCannotBeReadToItsEnd() throws Exception {
        // given a family registered twice, and a write to the deliveries topic left open by an instance that stopped
        motherRegisteredTwice();
        DeliveryLedger inDoubt = new DeliveryLedger(kafka, new KafkaProperties(), Clock.fixed(NOW, ZoneOffset.UTC)) {
            @Override
            public void rebuild() {
                rebuildFrom(topic());
            }

            @Override
            void awaitStableEnd() {
                throw new LedgerInDoubtException();
            }
        };

        // when the lane delivers the second inquiry's alert
        // then it waits for the ledger as for a channel that is away (read again after a pause, never dead-lettered)
        assertThatThrownBy(() -> delivery(inDoubt, bothPairedWith("inq-1", "inq-2"))
                .on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL))))
                .satisfies(failure -> assertThat(Outage.isBehind(failure)).as("an outage, read again").isTrue());
        // and nothing was sent, and its claim is released rather than left to be held for an operator as "stopped mid-send"
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(inDoubt.latest(alertId("inq-2", "p-1", Milestone.ARRIVED))).get().satisfies(latest -> {
            assertThat(latest.getOutcome()).isEqualTo(DeliveryOutcome.RETRYING);
            assertThat(latest.getFailureReason()).isEqualTo(AlertDelivery.LEDGER_IN_DOUBT);
        });
    }

    @Test
    void shouldRememberWhatWasSentAfterARestart() throws Exception {
        // given the first alert delivered by an instance that has stopped since
        motherRegisteredTwice();
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        List<AlertDeliveryAttempted> onTheTopic = List.copyOf(written);

        // when an instance that read the ledger from the topic delivers the second
        DeliveryLedger readBack = recordingLedger();
        readBack.rebuild();
        assertThat(onTheTopic).isNotEmpty();
        delivery(readBack).on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then
        verify(email, times(1)).send(anyString(), anyString(), anyString(), anyString());
        assertThat(readBack.latest(alertId("inq-2", "p-1", Milestone.ARRIVED))).get()
                .extracting(AlertDeliveryAttempted::getFailureReason).isEqualTo(AlertDelivery.ALREADY_TOLD);
    }

    @Test
    void shouldNotSendNewsAnotherInstanceDeliveredSinceThisOneReadTheLedger() throws Exception {
        // given two instances, each of which read the ledger when it started; the first delivers its inquiry's alert
        motherRegisteredTwice();
        delivery.on(record(alert("inq-1", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        DeliveryLedger otherInstance = recordingLedger();
        MatchStandings bothPaired = bothPairedWith("inq-1", "inq-2");

        // when the other instance, whose ledger has not seen that delivery, delivers the second inquiry's alert
        delivery(otherInstance, bothPaired).on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then it reads the ledger again, finds the delivery, and sends nothing
        verify(email, times(1)).send(anyString(), anyString(), anyString(), anyString());
        assertThat(otherInstance.latest(alertId("inq-2", "p-1", Milestone.ARRIVED))).get()
                .extracting(AlertDeliveryAttempted::getFailureReason).isEqualTo(AlertDelivery.ALREADY_TOLD);
    }

    @Test
    void shouldSendOnceWhenAnotherInstanceClaimsTheSameNewsForTheFamilyAtTheSameMoment() throws Exception {
        // given a family registered twice, and another instance that is about to send the first inquiry's alert: its
        // claim (SENDING) is committed after this instance looked at the ledger and before this instance's own claim
        motherRegisteredTwice();
        String otherInstancesAlert = alertId("inq-1", "p-1", Milestone.ARRIVED);
        AlertDeliveryAttempted otherInstancesClaim = AlertDeliveryAttempted.newBuilder().setAlertId(otherInstancesAlert)
                .setInquiryId("inq-1").setAttempt(1).setChannel(AlertChannel.EMAIL).setOutcome(DeliveryOutcome.SENDING)
                .setAttemptedAt(NOW).setPersonId("p-1").setMilestone(Milestone.ARRIVED).build();
        DeliveryLedger thisInstance = recordingLedger(attempt -> {
            if (attempt.getOutcome() == DeliveryOutcome.SENDING && written.isEmpty()) {
                written.add(otherInstancesClaim);
            }
        });
        MatchStandings bothPaired = bothPairedWith("inq-1", "inq-2");

        // when this instance delivers the second inquiry's alert
        delivery(thisInstance, bothPaired).on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));

        // then it sends nothing: the other instance's claim came first on the news's partition
        verify(email, never()).send(anyString(), anyString(), anyString(), anyString());
        assertThat(thisInstance.latest(alertId("inq-2", "p-1", Milestone.ARRIVED))).get()
                .extracting(AlertDeliveryAttempted::getFailureReason).isEqualTo(AlertDelivery.ALREADY_TOLD);
        // and the other instance, reading the same partition, finds its own claim first: it sends
        assertThat(recordingLedger().firstClaim(Set.of(otherInstancesAlert, alertId("inq-2", "p-1", Milestone.ARRIVED))))
                .hasValue(otherInstancesAlert);
    }

    @Test
    void shouldTellTheFamilyOnceWhenAnOperatorsResendAndTheLaneSendingTheirOtherAlertClaimTheNewsAtTheSameMoment() throws Exception {
        // given a mother registered twice: the second inquiry's "arrived" failed on every attempt (the first inquiry's
        // alert was not issued yet), and on another instance the lane is about to send the first inquiry's
        motherRegisteredTwice();
        mailServerRefusesTheFirstMessageOnEveryAttempt();
        delivery.on(record(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        String resent = alertId("inq-2", "p-1", Milestone.ARRIVED);
        String lanes = alertId("inq-1", "p-1", Milestone.ARRIVED);
        assertThat(ledger.isFailed(resent)).isTrue();
        // the other instance's lane looked at the ledger before the operator's claim, found nothing, and commits its
        // claim (SENDING) just after it, before this instance's delivery of the resend reads the ledger
        AlertDeliveryAttempted lanesClaim = sending("inq-1", "p-1", Milestone.ARRIVED);
        java.util.concurrent.atomic.AtomicBoolean lanesClaimed = new java.util.concurrent.atomic.AtomicBoolean();
        DeliveryLedger thisInstance = new DeliveryLedger(kafka, new KafkaProperties(), Clock.fixed(NOW, ZoneOffset.UTC)) {
            @Override
            void record(AlertDeliveryAttempted attempt) {
                synchronized (written) {
                    written.add(attempt);
                }
                super.record(attempt);
            }

            @Override
            public void rebuild() {
                synchronized (written) {
                    boolean operatorClaimed = written.stream().anyMatch(attempt -> attempt.getAlertId().equals(resent)
                            && attempt.getOutcome() == DeliveryOutcome.SENDING && "operator-1".equals(attempt.getDecidedBy()));
                    if (operatorClaimed && lanesClaimed.compareAndSet(false, true)) {
                        written.add(lanesClaim);
                    }
                }
                rebuildFrom(topic());
            }

            @Override
            void awaitStableEnd() {
                // the stand-in topic has no open transactions
            }
        };

        // when an operator resends the second inquiry's alert on this instance
        AlertDeliveryAttempted outcome = operatorsResends(thisInstance, bothPairedWith("inq-1", "inq-2"))
                .resend(resent, "operator-1");

        // then exactly one of the two goes out: the resend, whose claim came first on the news's partition; the other
        // instance's lane, reading the same partition, finds the resend's claim first and withholds its own
        assertThat(lanesClaimed).as("the lane's claim came between").isTrue();
        assertThat(outcome.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        verify(email, times(4)).send(anyString(), anyString(), anyString(), anyString());
        DeliveryLedger otherInstance = recordingLedger();
        assertThat(otherInstance.firstClaim(Set.of(lanes, resent))).as("the claim the other instance finds first").hasValue(resent);
    }

    /**
     * An operator's resends on an instance with {@code ledger}, whose settling transaction writes to {@link #written}
     * as the topic (a settlement's claim is on the topic, for every instance to read).
     */
    @SuppressWarnings("unchecked")
    private HeldAlerts operatorsResends(DeliveryLedger ledger, MatchStandings standings) {
        KafkaTemplate<String, Object> settling = mock(KafkaTemplate.class);
        KafkaOperations<String, Object> operations = mock(KafkaOperations.class);
        when(operations.partitionsFor(Topics.ALERT_DELIVERIES.name()))
                .thenReturn(List.of(new PartitionInfo(Topics.ALERT_DELIVERIES.name(), 0, null, null, null)));
        when(operations.send(eq(Topics.ALERT_DELIVERIES.name()), any(), anyString(), any())).thenAnswer(call -> {
            synchronized (written) {
                written.add(call.getArgument(3));
            }
            return null;
        });
        when(settling.executeInTransaction(any())).thenAnswer(call ->
                ((KafkaOperations.OperationsCallback<String, Object, Object>) call.getArgument(0)).doInOperations(operations));
        AlertBook alerts = mock(AlertBook.class);
        when(alerts.alertsOf("inq-2")).thenReturn(List.of(alert("inq-2", "p-1", Milestone.ARRIVED, AlertChannel.EMAIL)));
        AuditTrail audit = mock(AuditTrail.class);
        when(audit.writingWith(any())).thenReturn(audit);
        return new HeldAlerts(ledger, alerts, delivery(ledger, standings), audit, Clock.fixed(NOW, ZoneOffset.UTC), settling,
                mock(ObjectProvider.class), mock(ObjectProvider.class), mock(ObjectProvider.class));
    }

    @Test
    void shouldPutEveryAttemptAtOneNewsOnOnePartitionWhicheverInquiryItCameThrough() {
        // given a deliveries topic of six partitions
        @SuppressWarnings("unchecked")
        KafkaOperations<String, Object> operations = mock(KafkaOperations.class);
        when(operations.partitionsFor(Topics.ALERT_DELIVERIES.name())).thenReturn(java.util.stream.IntStream.range(0, 6)
                .mapToObj(partition -> new PartitionInfo(Topics.ALERT_DELIVERIES.name(), partition, null, null, null)).toList());

        // when / then the mother's two inquiries' attempts at one news share a partition, and an attempt recorded before
        // v3 (no news) goes where its key, the alert id, sends it
        Set<Integer> partitions = new java.util.HashSet<>();
        for (String inquiry : List.of("inq-1", "inq-2", "inq-3")) {
            partitions.add(DeliveryLedger.partition(sending(inquiry, "p-1", Milestone.ARRIVED), operations));
        }
        assertThat(partitions).singleElement().satisfies(partition -> assertThat(partition).isBetween(0, 5));
        AlertDeliveryAttempted beforeV3 = AlertDeliveryAttempted.newBuilder(sending("inq-1", "p-1", Milestone.ARRIVED))
                .setPersonId(null).setMilestone(null).build();
        assertThat(DeliveryLedger.partition(beforeV3, operations)).isNull();
    }

    private static AlertDeliveryAttempted sending(String inquiryId, String personId, Milestone milestone) {
        return AlertDeliveryAttempted.newBuilder().setAlertId(alertId(inquiryId, personId, milestone)).setInquiryId(inquiryId)
                .setAttempt(1).setChannel(AlertChannel.EMAIL).setOutcome(DeliveryOutcome.SENDING).setAttemptedAt(NOW)
                .setPersonId(personId).setMilestone(milestone).build();
    }

    private static MatchStandings bothPairedWith(String... inquiries) {
        return new MatchStandings() {
            @Override
            public Standing of(String inquiryId, String personId) {
                return Standing.STANDS;
            }

            @Override
            public Set<String> inquiriesPairedWith(String personId) {
                return Set.of(inquiries);
            }
        };
    }

    /** A ledger whose topic is {@link #written}: what every instance's ledger wrote, read back by a rebuild. */
    private DeliveryLedger recordingLedger() {
        return recordingLedger(attempt -> { });
    }

    /** @param othersFirst what other instances commit to the topic just before this one writes {@code attempt} */
    private DeliveryLedger recordingLedger(java.util.function.Consumer<AlertDeliveryAttempted> othersFirst) {
        return new DeliveryLedger(kafka, new KafkaProperties(), Clock.fixed(NOW, ZoneOffset.UTC)) {
            @Override
            void record(AlertDeliveryAttempted attempt) {
                synchronized (written) {
                    othersFirst.accept(attempt);
                    written.add(attempt);
                }
                super.record(attempt);
            }

            @Override
            public void rebuild() {
                rebuildFrom(topic());
            }

            @Override
            void awaitStableEnd() {
                // the stand-in topic has no open transactions
            }
        };
    }

    /** The deliveries topic as it is now: one partition, as the attempts of one news share one (DeliveryLedger#partition). */
    private DeliveryLedger.Replay topic() {
        List<AlertDeliveryAttempted> onTheTopic;
        synchronized (written) {
            onTheTopic = List.copyOf(written);
        }
        return onRecord -> {
            for (int offset = 0; offset < onTheTopic.size(); offset++) {
                AlertDeliveryAttempted attempt = onTheTopic.get(offset);
                onRecord.accept(new ConsumerRecord<>(Topics.ALERT_DELIVERIES.name(), 0, offset, attempt.getAlertId(), attempt));
            }
            return onTheTopic.size();
        };
    }

    /** An operator's resends on this instance, whose alert book holds what {@code issued} adds. */
    @SuppressWarnings("unchecked")
    private HeldAlerts heldAlerts(java.util.function.Consumer<List<AlertIssued>> issued) {
        List<AlertIssued> alerts = new ArrayList<>();
        issued.accept(alerts);
        AlertBook book = mock(AlertBook.class);
        when(book.alertsOf(anyString())).thenAnswer(call -> alerts.stream()
                .filter(alert -> alert.getInquiryId().equals(call.getArgument(0))).toList());
        AuditTrail audit = mock(AuditTrail.class);
        when(audit.writingWith(any())).thenReturn(audit);
        return new HeldAlerts(ledger, book, delivery, audit, Clock.fixed(NOW, ZoneOffset.UTC), kafka,
                mock(ObjectProvider.class), mock(ObjectProvider.class), mock(ObjectProvider.class));
    }

    private AlertDelivery delivery(DeliveryLedger ledger) {
        return delivery(ledger, MatchStandings.ALL_STAND);
    }

    private AlertDelivery delivery(DeliveryLedger ledger, MatchStandings standings) {
        return new AlertDelivery(ledger, book, AlertTemplatesTest.TEMPLATES, email, sms, mock(DeadLetters.class), meters,
                Clock.fixed(NOW, ZoneOffset.UTC), 3, Duration.ofMillis(1), TestContactKeys.seal(Clock.fixed(NOW, ZoneOffset.UTC)),
                InquiryReads.CAUGHT_UP, Duration.ZERO, standings);
    }

    /** One mother, registered at the hotline twice with the same address: inquiries inq-1 and inq-2. */
    private void motherRegisteredTwice() {
        register("inq-1", "mother@example.org", null);
        register("inq-2", "mother@example.org", null);
    }

    /** The mail server refuses the first message on each of its three attempts (452), and takes the next one. */
    private void mailServerRefusesTheFirstMessageOnEveryAttempt() throws Exception {
        doThrow(new DeliveryFailure("mail server answered 452")).doThrow(new DeliveryFailure("mail server answered 452"))
                .doThrow(new DeliveryFailure("mail server answered 452")).doNothing()
                .when(email).send(anyString(), anyString(), anyString(), anyString());
    }

    /** The mail server stops answering while it takes the first message (its outcome is unknown), and takes the next. */
    private void mailServerDoesNotAnswerInTimeForTheFirstMessage() throws Exception {
        doThrow(new OutcomeUnknown("mail server did not answer in time", null)).doNothing()
                .when(email).send(anyString(), anyString(), anyString(), anyString());
    }

    private void register(String inquiryId, String mail, String phone) {
        book.apply(inquiryId, new InquiryRegistered(inquiryId, 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName("Ткаченко", "Олег", null))).build(),
                Relative.newBuilder().setName("Synthetic").setRelationship("mother").setLanguage(Language.UK)
                        .setConsentGiven(true).setEmail(mail).setPhone(phone).build(), NOW, NOW, null));
    }

    private static String alertId(String inquiryId, String personId, Milestone milestone) {
        return AlertRules.alertId(inquiryId, personId, milestone);
    }

    private static AlertIssued alert(String inquiryId, String personId, Milestone milestone, AlertChannel channel) {
        return new AlertIssued(alertId(inquiryId, personId, milestone), inquiryId, personId, milestone, Language.UK, channel, null, NOW);
    }

    private static ConsumerRecord<String, AlertIssued> record(AlertIssued alert) {
        return new ConsumerRecord<>(Topics.ALERTS.name(), 0, 7L, alert.getInquiryId(), alert);
    }
}

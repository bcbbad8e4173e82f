package org.homecoming.reunification.alerts;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The ledger's rebuild from reunification.alert-deliveries, with the topic replaced by the records a test gives it. */
class DeliveryLedgerTest {

    static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

    @SuppressWarnings("unchecked")
    final DeliveryLedger ledger = new DeliveryLedger(mock(KafkaTemplate.class), new KafkaProperties(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldNotPutBackAnOlderAttemptOverOneKeptWhileTheRebuildRead() {
        // given: the topic's last record of the alert is SENDING, and while a rebuild reads it (another lane's
        // rebalance) the delivering lane records the outcome: unknown, held for an operator
        ledger.rebuildFrom(onRecord -> {
            ledger.settled(attempt("alert-1", DeliveryOutcome.UNKNOWN));
            onRecord.accept(record(attempt("alert-1", DeliveryOutcome.SENDING)));
            return 1;
        });

        // then: the ledger still holds it for an operator, as the topic says once the outcome is read
        assertThat(ledger.latest("alert-1")).map(AlertDeliveryAttempted::getOutcome).contains(DeliveryOutcome.UNKNOWN);
        assertThat(ledger.isHeld("alert-1")).isTrue();
        assertThat(ledger.held()).extracting(AlertDeliveryAttempted::getAlertId).containsExactly("alert-1");
    }

    @Test
    void shouldTakeWhatTheTopicSaysOverWhatWasKeptBeforeTheRebuildBegan() {
        // given: this instance kept a failed round, and another instance (the partition moved) delivered it since
        ledger.settled(attempt("alert-2", DeliveryOutcome.FAILED));

        ledger.rebuildFrom(onRecord -> {
            onRecord.accept(record(attempt("alert-2", DeliveryOutcome.SENDING)));
            onRecord.accept(record(attempt("alert-2", DeliveryOutcome.DELIVERED)));
            return 2;
        });

        // then: the topic's latest wins: delivered, never sent again, not failed
        assertThat(ledger.isDelivered("alert-2")).isTrue();
        assertThat(ledger.isFailed("alert-2")).isFalse();
        assertThat(ledger.latest("alert-2")).map(AlertDeliveryAttempted::getOutcome).contains(DeliveryOutcome.DELIVERED);
    }

    @Test
    void shouldReadTheLedgerOnceForTheConsumersOfOneRebalanceAndAgainForALaterOne() {
        // given: a rebalance hands partitions to every consumer of the lanes at the same moment
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        DeliveryLedger.Replay topic = onRecord -> {
            reads.incrementAndGet();
            onRecord.accept(record(attempt("alert-4", DeliveryOutcome.DELIVERED)));
            return 1;
        };
        long rebalance = System.nanoTime();

        // when: each consumer asks for the ledger to be read
        for (int consumer = 0; consumer < 12; consumer++) {
            ledger.rebuildUnlessReadSince(rebalance, topic);
        }

        // then: one read served them all
        assertThat(reads).hasValue(1);
        assertThat(ledger.isDelivered("alert-4")).isTrue();

        // and partitions given after that read began are read for again (their former owner may have recorded since)
        ledger.rebuildUnlessReadSince(System.nanoTime(), topic);
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldListHeldOnlyTheAlertsWhoseLatestRecordIsUnknown() {
        ledger.rebuildFrom(onRecord -> {
            List.of(attempt("alert-3", DeliveryOutcome.UNKNOWN), attempt("alert-4", DeliveryOutcome.SENDING),
                    attempt("alert-4", DeliveryOutcome.UNKNOWN), attempt("alert-4", DeliveryOutcome.DELIVERED))
                    .forEach(attempt -> onRecord.accept(record(attempt)));
            return 4;
        });

        assertThat(ledger.held()).extracting(AlertDeliveryAttempted::getAlertId).containsExactly("alert-3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldWriteAnOutcomeItCouldNotWriteBeforeItsAlertGoesToAnotherInstance() {
        // given a delivered alert whose outcome could not be written: the broker was away a moment
        KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
        when(kafka.executeInTransaction(any())).thenThrow(new KafkaException("the broker is away"))
                .thenReturn(CompletableFuture.completedFuture(null));
        DeliveryLedger delivering = new DeliveryLedger(kafka, new KafkaProperties(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> delivering.record(attempt("alert-5", DeliveryOutcome.DELIVERED))).isInstanceOf(KafkaException.class);

        // when its partition is taken away (a rebalance, or this instance stopping)
        int written = delivering.recordAllUnrecorded();

        // then the outcome is on the topic before the alert's next owner reads it: delivered, not held as unknown
        assertThat(written).isEqualTo(1);
        verify(kafka, times(2)).executeInTransaction(any());
        assertThat(delivering.isDelivered("alert-5")).isTrue();
        assertThat(delivering.recordAllUnrecorded()).as("written once").isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldNotHoldTheRebalanceUpWhileTheBrokerIsStillAway() {
        // given two outcomes that could not be written, and a broker still away
        KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
        when(kafka.executeInTransaction(any())).thenThrow(new KafkaException("the broker is away"));
        DeliveryLedger delivering = new DeliveryLedger(kafka, new KafkaProperties(), Clock.fixed(NOW, ZoneOffset.UTC));
        for (String alertId : List.of("alert-6", "alert-7")) {
            assertThatThrownBy(() -> delivering.record(attempt(alertId, DeliveryOutcome.DELIVERED))).isInstanceOf(KafkaException.class);
        }

        // when the partitions are revoked, then it tries once, not once per outcome (each try waits out a timeout)
        assertThat(delivering.recordAllUnrecorded()).isZero();
        verify(kafka, times(3)).executeInTransaction(any());
    }

    private static AlertDeliveryAttempted attempt(String alertId, DeliveryOutcome outcome) {
        return AlertDeliveryAttempted.newBuilder().setAlertId(alertId).setInquiryId("inq-1").setAttempt(1)
                .setChannel(AlertChannel.EMAIL).setOutcome(outcome).setAttemptedAt(NOW)
                .setMessageId(EmailChannel.messageId(alertId)).build();
    }

    private static ConsumerRecord<String, AlertDeliveryAttempted> record(AlertDeliveryAttempted attempt) {
        return new ConsumerRecord<>(Topics.ALERT_DELIVERIES.name(), 0, 0L, attempt.getAlertId(), attempt);
    }
}

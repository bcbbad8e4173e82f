package org.homecoming.platform.holding;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.observability.MetricNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A record that made no sense within its window is dead-lettered; a fact among them is still watched, and processed
 * when what explains it is read, however late: the roster office that adds a person to the list after the bus arrived
 * must still make the family hear of the arrival.
 */
class HeldRecordsTest {

    static final Duration WINDOW = Duration.ofMinutes(2);

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    final DeadLetters deadLetters = mock(DeadLetters.class);
    final MeterRegistry meters = new SimpleMeterRegistry();
    /** The persons the holder's service knows: a record of anyone else makes no sense yet. */
    final Set<String> listed = new HashSet<>();
    final List<String> processed = new ArrayList<>();
    HeldRecords holder;

    @BeforeEach
    void holder() {
        holder = holder(10);
    }

    @Test
    void shouldProcessAnArrivalExplainedOnlyAfterItsDeadLetterOnceAndCountItLate() {
        // given: the arrival of a person nobody listed, held for its window and dead-lettered
        ConsumerRecord<String, String> arrival = record("arrivals", 3, "p-late");
        deadLettered(arrival, "arrival of person p-late, who was never listed");
        verify(deadLetters).accept(any(), any());

        // when: the roster office lists the person an hour later, and the next batch tries what is held and watched
        clock.pass(Duration.ofHours(1));
        listed.add("p-late");
        int tried = holder.retry(this::attempt);

        // then: the arrival is processed once, and the late processing is counted
        assertThat(tried).isEqualTo(1);
        assertThat(processed).containsExactly("arrivals-3@0");
        assertThat(holder.watched()).isZero();
        assertThat(holder.retry(this::attempt)).as("processed once").isZero();
        assertThat(meters.get(MetricNames.LATE_RECORDS).tag("holder", "test").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldSayInTheDeadLetterReasonThatTheRecordIsStillWatched() {
        // given
        holder.hold(record("arrivals", 0, "p-never"), "arrival of person p-never, who was never listed");

        // when
        clock.pass(WINDOW);
        holder.expire();

        // then: the operator reads what is wrong and that fixing it is still enough
        ArgumentCaptor<Exception> reason = ArgumentCaptor.forClass(Exception.class);
        verify(deadLetters).accept(any(), reason.capture());
        assertThat(reason.getValue()).isInstanceOf(UnresolvedRecordException.class);
        assertThat(reason.getValue().getMessage()).isEqualTo("arrival of person p-never, who was never listed; it was held "
                + "for PT2M and still made no sense; it is still watched, and processed if what explains it is read later");
        assertThat(meters.get(MetricNames.WATCHED_RECORDS).tag("holder", "test").gauge().value()).isEqualTo(1);
    }

    @Test
    void shouldNeverProcessARecordTheHolderDoesNotWatchOnceItIsDeadLettered() {
        // given: a caseworker's decision about a match nobody proposed, which this holder does not watch
        ConsumerRecord<String, String> decision = record("matches", 1, "p-decided");
        deadLettered(decision, "decision about a match never proposed");

        // when: the match is proposed later
        listed.add("p-decided");

        // then: the forged or stale decision never becomes one
        assertThat(holder.retry(this::attempt)).isZero();
        assertThat(processed).isEmpty();
        ArgumentCaptor<Exception> reason = ArgumentCaptor.forClass(Exception.class);
        verify(deadLetters).accept(any(), reason.capture());
        assertThat(reason.getValue().getMessage()).doesNotContain("watched");
    }

    @Test
    void shouldWatchAgainAfterARestartWhatWasDeadLetteredAndHoldTheRestWithAFreshWindow() {
        // given: one record dead-lettered before the restart, one still within its window when the service stopped
        ConsumerRecord<String, String> dead = record("arrivals", 0, "p-dead");
        ConsumerRecord<String, String> waiting = record("arrivals", 1, "p-waiting");
        when(deadLetters.wasDeadLettered(dead)).thenReturn(true);

        // when: the rebuild finds both still making no sense
        holder.holdAgain(dead, "arrival of person p-dead, who was never listed");
        holder.holdAgain(waiting, "arrival of person p-waiting, who was never listed");

        // then: the first is watched and never dead-lettered twice, the second held and dead-lettered when its time is up
        assertThat(holder.watched()).isEqualTo(1);
        assertThat(holder.size()).isEqualTo(1);
        clock.pass(WINDOW);
        holder.expire();
        verify(deadLetters, times(1)).accept(any(), any());
        listed.add("p-dead");
        holder.retry(this::attempt);
        assertThat(processed).containsExactly("arrivals-0@0");
    }

    @Test
    void shouldNotDeadLetterAWatchedRecordAgainWhenItsBatchIsReadAgain() {
        // given: a record dead-lettered and watched
        ConsumerRecord<String, String> arrival = record("arrivals", 2, "p-twice");
        deadLettered(arrival, "arrival of person p-twice, who was never listed");

        // when: its batch is read again after a rollback, and another window passes
        deadLettered(arrival, "arrival of person p-twice, who was never listed");

        // then
        verify(deadLetters, times(1)).accept(any(), any());
        assertThat(holder.size()).isZero();
        assertThat(holder.watched()).isEqualTo(1);
    }

    @Test
    void shouldGiveUpWatchingTheOldestRecordBeyondTheBound() {
        // given: a holder that watches two records at most
        holder = holder(2);
        for (int i = 0; i < 3; i++) {
            holder.hold(record("arrivals", i, "p-" + i), "never listed");
        }

        // when
        clock.pass(WINDOW);
        holder.expire();
        listed.addAll(List.of("p-0", "p-1", "p-2"));
        holder.retry(this::attempt);

        // then: a flood of nonsense cannot exhaust the heap; the two newest are still processed
        assertThat(processed).containsExactly("arrivals-1@0", "arrivals-2@0");
    }

    @Test
    void shouldWatchNothingWhenTheBoundIsZero() {
        // given
        holder = holder(0);
        deadLettered(record("arrivals", 0, "p-0"), "never listed");

        // when
        listed.add("p-0");

        // then
        assertThat(holder.retry(this::attempt)).isZero();
        assertThat(holder.watchesAfterDeadLetter(record("arrivals", 0, "p-0"))).isFalse();
    }

    /** Holds the record, lets its window pass, and has the holder dead-letter what is due. */
    void deadLettered(ConsumerRecord<String, String> record, String reason) {
        holder.hold(record, reason);
        clock.pass(WINDOW);
        holder.expire();
    }

    HeldRecords holder(int watched) {
        HoldingSettings settings = new HoldingSettings(WINDOW, 100, Duration.ofSeconds(5), watched);
        return new HeldRecords("test", settings, deadLetters, meters, clock)
                .watchingAfterDeadLetter(record -> record.topic().equals("arrivals"));
    }

    boolean attempt(ConsumerRecord<?, ?> record) {
        if (!listed.contains((String) record.key())) {
            return false;
        }
        processed.add(record.topic() + "-" + record.partition() + "@" + record.offset());
        return true;
    }

    static ConsumerRecord<String, String> record(String topic, int partition, String personId) {
        return new ConsumerRecord<>(topic, partition, 0, personId, "value of " + personId);
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void pass(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

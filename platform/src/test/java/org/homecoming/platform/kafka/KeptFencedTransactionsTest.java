package org.homecoming.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.homecoming.platform.kafka.FencedTransactions.FencedOutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

class KeptFencedTransactionsTest {

    /** What the decision's state read throws when another holder's open transaction keeps it from the log's end. */
    static class Behind extends RuntimeException {
    }

    @SuppressWarnings("unchecked")
    final ProducerFactory<String, Object> producers = mock(ProducerFactory.class);
    @SuppressWarnings("unchecked")
    final ProducerFactory<String, Object> holding = mock(ProducerFactory.class);
    /** What each run of the decision does, in turn: null to succeed, or the failure it throws. */
    final Deque<RuntimeException> outcomes = new ArrayDeque<>();
    int runs;
    final Function<KafkaTemplate<String, Object>, String> decision = template -> {
        runs++;
        RuntimeException failure = outcomes.isEmpty() ? null : outcomes.poll();
        if (failure != null) {
            throw failure;
        }
        return "decided";
    };
    KeptFencedTransactions fence;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void givenAFactoryForTheId() {
        when(producers.copyWithConfigurationOverride(anyMap())).thenReturn(holding);
        when(holding.createProducer()).thenAnswer(call -> mock(Producer.class));
        fence = new KeptFencedTransactions(producers, "decisions-test", failure -> failure instanceof Behind);
    }

    @Test
    void shouldKeepTheProducerFromOneDecisionToTheNext() {
        // when two decisions are taken one after the other
        assertThat(fence.run(decision)).isEqualTo("decided");
        assertThat(fence.run(decision)).isEqualTo("decided");

        // then the producers hold the decision's id, and the one holding it was never dropped
        verify(producers).copyWithConfigurationOverride(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "decisions-test-"));
        verify(holding, never()).reset();
    }

    @Test
    void shouldTakeTheIdAfreshAndDecideOnceMoreWhenTheKeptProducerWasFenced() {
        // given a kept producer, fenced since by a decision on another instance
        fence.run(decision);
        outcomes.add(new ProducerFencedException("fenced by another instance"));

        // when the next decision is taken, then it is taken once more with the id taken afresh, and succeeds
        assertThat(fence.run(decision)).isEqualTo("decided");
        assertThat(runs).isEqualTo(3);
        verify(holding, times(1)).reset();
    }

    @Test
    void shouldFailAsFencedOutWhenAProducerThatTookTheIdForTheDecisionIsFenced() {
        // given a decision whose commit is fenced with a producer that took the id for it
        outcomes.add(new ProducerFencedException("another instance took the id first"));

        // when it is taken, then it lost the race: it is not retried, and the producer is dropped
        assertThatThrownBy(() -> fence.run(decision)).isInstanceOf(FencedOutException.class)
                .hasCauseInstanceOf(ProducerFencedException.class);
        assertThat(runs).isEqualTo(1);
        verify(holding, times(1)).reset();
    }

    @Test
    void shouldRetryABlockedDecisionOnlyWhenItsProducerWasKept() {
        // given no kept producer, when the state cannot be read to its end, then the failure is the caller's
        outcomes.add(new Behind());
        assertThatThrownBy(() -> fence.run(decision)).isInstanceOf(Behind.class);
        verify(holding, never()).reset();

        // given a kept producer, when the state cannot be read to its end, then the id is taken afresh and it succeeds
        fence.run(decision);
        outcomes.add(new Behind());
        assertThat(fence.run(decision)).isEqualTo("decided");
        assertThat(runs).isEqualTo(4);
        verify(holding, times(1)).reset();
    }

    @Test
    void shouldThrowAnyOtherFailureAsItIsAndKeepTheProducer() {
        // given a kept producer
        fence.run(decision);
        outcomes.add(new IllegalArgumentException("refused"));

        // when a decision is refused, then the refusal reaches the caller, once, and the producer stays
        assertThatThrownBy(() -> fence.run(decision)).isInstanceOf(IllegalArgumentException.class);
        assertThat(runs).isEqualTo(2);
        verify(holding, never()).reset();
    }
}

package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the brokers cannot be reached (here: none listens at the address) a fence's admin calls get no answer. A wait
 * that fences must not take longer than the caller gave it, nor queue behind another caller's fence.
 */
class AbandonedTransactionsTest {

    static final List<TopicPartition> LEDGER = List.of(new TopicPartition("reunification.alert-deliveries", 0));

    final AbandonedTransactions abandoned = new AbandonedTransactions(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000), Duration.ofSeconds(5), id -> true);
    final ExecutorService callers = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        callers.shutdownNow();
        abandoned.close();
    }

    @Test
    void shouldGiveUpAFenceWithinTheCallersWaitWhileNoBrokerAnswers() {
        // when: a wait with 1 s left fences while no broker answers
        long start = System.nanoTime();
        List<String> fenced = abandoned.fenceHolding(LEDGER, Duration.ofSeconds(1));

        // then: nothing is fenced, and the caller has its answer in about its 1 s, not after the admin's 10 s
        assertThat(fenced).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void shouldNotQueueAWaitBehindAnotherWaitsFenceInFlight() throws Exception {
        // given: one wait's fence in flight, its broker not answering
        Future<List<String>> first = callers.submit(() -> abandoned.fenceHolding(LEDGER, Duration.ofSeconds(3)));
        TimeUnit.MILLISECONDS.sleep(300);

        // when: a second wait with 1 s left fences the same partitions
        long start = System.nanoTime();
        Future<List<String>> second = callers.submit(() -> abandoned.fenceHolding(LEDGER, Duration.ofSeconds(1)));

        // then: it has its answer within its own second, not after the first's admin calls end
        assertThat(second.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(first.get(15, TimeUnit.SECONDS)).isEmpty();
    }
}

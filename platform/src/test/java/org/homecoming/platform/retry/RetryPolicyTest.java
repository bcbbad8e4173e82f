package org.homecoming.platform.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    @Test
    void shouldGiveListenersTheSameBoundedDoublingPausesAsCodeThatRetriesByItself() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500));

        BackOffExecution execution = policy.backOff().start();

        assertThat(execution.nextBackOff()).as("first retry").isEqualTo(500L);
        assertThat(execution.nextBackOff()).as("second retry").isEqualTo(1000L);
        assertThat(execution.nextBackOff()).as("three attempts in all, then stop").isEqualTo(BackOffExecution.STOP);
        assertThat(policy.pauseAfter(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.pauseAfter(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.isLast(2)).isFalse();
        assertThat(policy.isLast(3)).isTrue();
    }

    @Test
    void shouldTryAtLeastOnceAndNeverRetryWhenOneAttemptIsAllowed() {
        RetryPolicy policy = new RetryPolicy(0, Duration.ZERO);

        BackOff backOff = policy.backOff();

        assertThat(policy.attempts()).isEqualTo(1);
        assertThat(backOff.start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
        assertThat(policy.isLast(1)).isTrue();
    }
}

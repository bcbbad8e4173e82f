package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class CauseChainTest {

    @Test
    void shouldSayWhyNotOnlyWhatFailed() {
        Exception failure = new IllegalStateException("Cannot set up the broker's principals, topics and ACLs",
                new TimeoutException("Timed out waiting for a node assignment. Call: describeUserScramCredentials"));

        assertThat(CauseChain.describe(failure)).isEqualTo("IllegalStateException: Cannot set up the broker's principals,"
                + " topics and ACLs; caused by TimeoutException: Timed out waiting for a node assignment."
                + " Call: describeUserScramCredentials");
    }

    @Test
    void shouldNameAnExceptionWithoutAMessageInsteadOfPrintingNull() {
        assertThat(CauseChain.describe(new IllegalStateException("Kafka did not start", new NullPointerException())))
                .isEqualTo("IllegalStateException: Kafka did not start; caused by NullPointerException")
                .doesNotContain("null");
    }

    @Test
    void shouldSayAWrappedCausesMessageOnce() {
        Exception wrapped = new ExecutionException(new java.net.ConnectException("Connection refused"));

        assertThat(CauseChain.describe(new RuntimeException(wrapped)))
                .isEqualTo("RuntimeException; caused by ExecutionException; caused by ConnectException: Connection refused");
    }

    @Test
    void shouldEndAtACycleInTheChain() {
        Exception first = new Exception("first");
        Exception second = new Exception("second", first);
        first.initCause(second);

        assertThat(CauseChain.describe(first)).isEqualTo("Exception: first; caused by Exception: second");
    }
}

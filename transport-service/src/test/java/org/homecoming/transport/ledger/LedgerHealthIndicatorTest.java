package org.homecoming.transport.ledger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerHealthIndicatorTest {

    @Test
    void shouldSayNotReadyUntilTheLedgerHasReplayedItsTopics() {
        TransportLedger ledger = new TransportLedger();
        LedgerHealthIndicator health = new LedgerHealthIndicator(ledger);

        Status whileReplaying = health.health().getStatus();
        ledger.markCaughtUp();

        assertThat(whileReplaying).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}

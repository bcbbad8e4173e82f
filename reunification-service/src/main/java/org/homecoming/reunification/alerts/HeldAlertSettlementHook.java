package org.homecoming.reunification.alerts;

import org.springframework.kafka.core.KafkaOperations;

/**
 * A test seam inside the transaction that settles a held alert, after its record was sent and before the commit: the
 * two-instance test pauses one operator's settlement there to race another against it. No bean in production.
 */
@FunctionalInterface
public interface HeldAlertSettlementHook {

    void afterSend(KafkaOperations<String, Object> transaction);
}

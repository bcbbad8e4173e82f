package org.homecoming.transport.handovers;

import org.springframework.kafka.core.KafkaOperations;

/**
 * A test seam inside the transaction of a hand-over, an admission or a close, after its records were sent and before
 * the commit: the two-instance test pauses one decision there to race another against it. No bean in production.
 */
@FunctionalInterface
public interface HandoverPublicationHook {

    void afterSend(KafkaOperations<String, Object> transaction);
}

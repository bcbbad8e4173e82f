package org.homecoming.reunification.pairing;

import org.springframework.kafka.core.KafkaOperations;

/**
 * A test seam inside a pairing batch's transaction, after the batch sent an alert and before the commit: the
 * two-instance test holds an instance there as if it died inside its transaction. No bean in production.
 */
@FunctionalInterface
public interface PairingTransactionHook {

    void afterAlertSent(KafkaOperations<String, Object> transaction);
}

package org.homecoming.roster.lists;

import org.springframework.kafka.core.KafkaOperations;

/**
 * Called inside the list's Kafka transaction before the first record is sent (with 0) and after each record is sent.
 * Production has none; tests use one to make the service fail or wait in the middle of a publication and prove that
 * nothing of it becomes visible.
 */
@FunctionalInterface
public interface ListPublicationHook {

    void afterSend(KafkaOperations<String, Object> transaction, int sentSoFar);
}

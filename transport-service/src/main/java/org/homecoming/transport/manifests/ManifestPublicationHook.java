package org.homecoming.transport.manifests;

import org.springframework.kafka.core.KafkaOperations;

/**
 * A test seam inside a manifest's transaction, after the manifest was sent and before the commit: the two-instance
 * test pauses one registration there to race another against it. No bean in production.
 */
@FunctionalInterface
public interface ManifestPublicationHook {

    void afterSend(KafkaOperations<String, Object> transaction);
}

package org.homecoming.catalogue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A topic of the catalogue, typed by its key and value, so that code reading or writing it needs no cast and
 * no hand-built serde. Keys are the entity id as a UTF-8 string, so a client in any language can partition and
 * join by it; values are Avro records in the Confluent wire format.
 *
 * @param <K>        the key type
 * @param <V>        the value type
 * @param name       the topic name; its dead-letter topic is {@code name + "-dlt"}
 * @param owner      the only service that writes to it; {@link Owner#SERVICES} for the audit trail, which every
 *                   service writes (each records what its own callers did)
 * @param keyType    the class of the keys
 * @param valueType  the Avro class of the values
 * @param partitions partition count; the dead-letter topic gets the same
 * @param compacted  whether the topic holds the latest state per key rather than a history
 * @param retention  how long records are kept (-1 ms: forever), or empty for the broker default
 * @param bytesPerPartition what a partition keeps at most ({@code retention.bytes}), its dead-letter topic's too; empty
 *                   for no bound (the broker default): only topics that others than the services write are bounded
 */
public record Topic<K, V>(String name, Owner owner, Class<K> keyType, Class<V> valueType, int partitions, boolean compacted,
                          Optional<Duration> retention, Optional<Long> bytesPerPartition) {

    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    public String deadLetterTopic() {
        return name + DEAD_LETTER_SUFFIX;
    }

    /** A value read from this topic, as its type ({@code null} stays null: a tombstone). */
    public V value(Object value) {
        return valueType.cast(value);
    }

    /** The Confluent subject of the value schema, by the default TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    /**
     * The topic's settings as it is created, by the services' provisioning and by the local stack's launcher alike (one
     * rule, so the launcher's cluster never differs from what a service checks at start-up): compaction, retention, the
     * size bound, and {@code min.insync.replicas} when above 0 (0 leaves the broker's default).
     */
    public Map<String, String> settings(int minInsyncReplicas) {
        Map<String, String> settings = deadLetterSettings(minInsyncReplicas);
        if (compacted) {
            settings.put("cleanup.policy", "compact");
        }
        retention.ifPresent(kept -> settings.put("retention.ms", Long.toString(kept.toMillis())));
        return settings;
    }

    /** Its dead-letter topic's settings: a history (never compacted, the broker's retention), with the same size bound. */
    public Map<String, String> deadLetterSettings(int minInsyncReplicas) {
        Map<String, String> settings = new HashMap<>();
        if (minInsyncReplicas > 0) {
            settings.put("min.insync.replicas", Integer.toString(minInsyncReplicas));
        }
        bytesPerPartition.ifPresent(bytes -> settings.put("retention.bytes", Long.toString(bytes)));
        return settings;
    }

    /**
     * Who writes to a topic. Partner systems write only to intake topics. {@code SERVICES} is the one exception to
     * the one-writer rule: the audit trail, an append-only record of what callers did, which each service (the
     * console too) writes about its own callers; it holds no domain state, so no service reads it to decide anything.
     */
    public enum Owner {
        ROSTER, TRANSPORT, REUNIFICATION, PARTNERS,
        /** The ops console: it writes only its operators' acknowledgements (and, like every service, the audit trail). */
        CONSOLE,
        SERVICES
    }
}

package org.homecoming.catalogue;

import java.time.Duration;
import java.util.Optional;

/**
 * A topic of the catalogue. Keys are always the entity id as a UTF-8 string, so a client in any
 * language can partition and join by it; values are Avro records in the Confluent wire format.
 *
 * @param name       the topic name; its dead-letter topic is {@code name + "-dlt"}
 * @param owner      the only service that writes to it
 * @param valueType  the Avro class of the values
 * @param partitions partition count; the dead-letter topic gets the same
 * @param compacted  whether the topic holds the latest state per key rather than a history
 * @param retention  how long records are kept (-1 ms: forever), or empty for the broker default
 */
public record Topic<V>(String name, Owner owner, Class<V> valueType, int partitions, boolean compacted,
                       Optional<Duration> retention) {

    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    public String deadLetterTopic() {
        return name + DEAD_LETTER_SUFFIX;
    }

    /** The Confluent subject of the value schema, by the default TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    /** Who writes to a topic. Partner systems write only to intake topics. */
    public enum Owner { ROSTER, TRANSPORT, REUNIFICATION, PARTNERS }
}

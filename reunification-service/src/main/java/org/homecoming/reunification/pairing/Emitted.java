package org.homecoming.reunification.pairing;

import org.apache.avro.specific.SpecificRecord;
import org.homecoming.catalogue.Topic;

/** A record pairing asks its caller to write, in the same transaction as the consumed offsets. */
public record Emitted(Topic<?, ?> topic, String key, SpecificRecord value) {
}

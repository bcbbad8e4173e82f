package org.homecoming.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.platform.registry.RegistryOutage;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * A record the ErrorHandlingDeserializer could not read. Its value is null, like a tombstone's, so the header is the
 * only way to tell the two apart. Not every such record is poison: one that could not be read because the schema
 * registry was unavailable is fine and must be read again ({@link #registryUnavailable}).
 */
public final class Poison {

    private static final LogAccessor LOG = new LogAccessor(Poison.class);

    private Poison() {
    }

    /** The deserialization failure of this record's value, or null when it was read. */
    public static DeserializationException of(ConsumerRecord<?, ?> record) {
        if (record.value() != null || record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) == null) {
            return null;
        }
        return SerializationUtils.getExceptionFromHeader(record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
    }

    /** Whether the record could not be read because the schema registry was unavailable: not poison, read it again. */
    public static boolean registryUnavailable(ConsumerRecord<?, ?> record) {
        DeserializationException failure = of(record);
        return failure != null && RegistryOutage.isCause(failure);
    }
}

package org.homecoming.platform.kafka;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.platform.registry.RegistryConnection;
import org.homecoming.platform.registry.RegistryOutage;
import org.homecoming.platform.registry.RegistryUnavailableException;

/**
 * The registry's Avro deserializer (the error-handling deserializer's delegate in every service), which says when a
 * record could not be read because the registry could not be asked: it throws {@link RegistryUnavailableException}
 * then, and whatever the registry's deserializer threw otherwise, unchanged (so a bad record is dead-lettered with the
 * same reason as before).
 *
 * <p>The classification has to happen here, while the registry client's exception is at hand: the error-handling
 * deserializer hands the failure to the listener by Java serialization, and the client's exceptions do not serialize
 * (Kiota's response headers, Netty's DNS codes), so Spring replaces them by a RuntimeException with a message, and a 404
 * then looks like a 500.
 */
public class RegistryAvroDeserializer<T> implements Deserializer<T> {

    private Deserializer<T> registry;

    /** The registry's deserializer, whose look-ups wait no longer than {@code homecoming.registry.timeout} ({@link RegistryConnection}). */
    public RegistryAvroDeserializer() {
    }

    RegistryAvroDeserializer(Deserializer<T> registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new AvroKafkaDeserializer<>(RegistryConnection.facade(configs));
        }
        registry.configure(configs, isKey);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        try {
            return registry.deserialize(topic, data);
        } catch (RuntimeException e) {
            throw classified(e);
        }
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        try {
            return registry.deserialize(topic, headers, data);
        } catch (RuntimeException e) {
            throw classified(e);
        }
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private static RuntimeException classified(RuntimeException failure) {
        if (failure instanceof RegistryUnavailableException || !RegistryOutage.isCause(failure)) {
            return failure;
        }
        return new RegistryUnavailableException("schema registry unavailable: " + RegistryOutage.describe(failure));
    }
}

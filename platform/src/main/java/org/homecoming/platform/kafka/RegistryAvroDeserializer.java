package org.homecoming.platform.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
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
 *
 * <p>It also refuses a record whose writer schema is another event type than its catalogue topic carries, as a bad
 * record (dead-lettered): the registry resolves any registered schema id, so a partner could copy a manifest onto
 * its intake, and the reader's cast would fail on every retry, stopping the stream thread or listener that reads it.
 * A topic outside the catalogue (an internal Kafka Streams topic, a dead-letter topic) is read as the registry says.
 */
public class RegistryAvroDeserializer<T> implements Deserializer<T> {

    /** Each topic's value class once, not a catalogue search per record: the intake hop reads 100,000s a second. */
    private final Map<String, Class<?>> carried = new ConcurrentHashMap<>();
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
        T value;
        try {
            value = registry.deserialize(topic, data);
        } catch (RuntimeException e) {
            throw classified(e);
        }
        return carriedBy(topic, value);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        T value;
        try {
            value = registry.deserialize(topic, headers, data);
        } catch (RuntimeException e) {
            throw classified(e);
        }
        return carriedBy(topic, value);
    }

    private T carriedBy(String topic, T value) {
        if (value == null || topic == null) {
            return value;
        }
        Class<?> type = carried.computeIfAbsent(topic, name -> Topics.find(name).<Class<?>>map(Topic::valueType).orElse(Object.class));
        if (!type.isInstance(value)) {
            throw new SerializationException("The record is a " + value.getClass().getSimpleName() + " event, and " + topic
                    + " carries " + type.getSimpleName() + " events only");
        }
        return value;
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

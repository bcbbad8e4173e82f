package org.homecoming.platform.kafka;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.platform.registry.RegistryConnection;
import org.homecoming.platform.registry.RegistryOutage;
import org.homecoming.platform.registry.RegistryUnavailableException;

/**
 * The registry's Avro serializer (every service's producers, dead letters and Kafka Streams), whose schema look-ups
 * wait no longer than {@code homecoming.registry.timeout} ({@link RegistryConnection}): a producer or stream thread is
 * not held by a registry that accepts connections and never answers.
 */
public class RegistryAvroSerializer<T> implements Serializer<T> {

    private Serializer<T> registry;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registry = new AvroKafkaSerializer<>(RegistryConnection.facade(configs));
        registry.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        try {
            return registry.serialize(topic, data);
        } catch (RuntimeException e) {
            throw outageOr(topic, e);
        }
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        try {
            return registry.serialize(topic, headers, data);
        } catch (RuntimeException e) {
            throw outageOr(topic, e);
        }
    }

    /**
     * A value that could not be written because the registry could not be asked is said so: a REST call answers 503
     * (the platform's problem responses), a listener reads its record again instead of giving it up after its retries.
     */
    private static RuntimeException outageOr(String topic, RuntimeException failure) {
        if (failure instanceof RegistryUnavailableException || !RegistryOutage.isCause(failure)) {
            return failure;
        }
        return new RegistryUnavailableException("Cannot write a value of " + topic + ": schema registry unavailable ("
                + RegistryOutage.describe(failure) + ")", failure);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}

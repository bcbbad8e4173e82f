package org.homecoming.platform.kafka;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.platform.registry.RegistryConnection;

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
        return registry.serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return registry.serialize(topic, headers, data);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}

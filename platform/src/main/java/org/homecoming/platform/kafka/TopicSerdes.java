package org.homecoming.platform.kafka;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.homecoming.catalogue.Topic;

/**
 * The serdes of a catalogue topic, from its key and value types, for Kafka Streams code: a topology asks for
 * {@code consumed(topic)} or {@code produced(topic)} and builds no serde by hand. Production uses {@link #registry}
 * (the registry's Avro serde, Confluent wire format); a topology test passes plain Avro serdes instead.
 */
public interface TopicSerdes {

    /** The value serde of a topic. */
    <V> Serde<V> values(Topic<?, V> topic);

    /** The key serde of a topic: keys are entity ids as UTF-8 strings. */
    @SuppressWarnings("unchecked")
    default <K> Serde<K> keys(Topic<K, ?> topic) {
        if (topic.keyType() != String.class) {
            throw new IllegalArgumentException("Keys of " + topic.name() + " are " + topic.keyType().getName() + ", not strings");
        }
        return (Serde<K>) Serdes.String();
    }

    default <K, V> Consumed<K, V> consumed(Topic<K, V> topic) {
        return Consumed.with(keys(topic), values(topic));
    }

    default <K, V> Produced<K, V> produced(Topic<K, V> topic) {
        return Produced.with(keys(topic), values(topic));
    }

    /**
     * The registry's Avro serdes, configured like the services' clients ({@code KafkaProperties} streams properties), with
     * their look-ups bounded by {@code homecoming.registry.timeout}; a value unread because the registry could not be
     * asked fails as a {@code RegistryUnavailableException} (see {@link RegistryAvroDeserializer}).
     */
    static TopicSerdes registry(Map<String, Object> config) {
        return new TopicSerdes() {
            @Override
            public <V> Serde<V> values(Topic<?, V> topic) {
                Serde<V> serde = Serdes.serdeFrom(new RegistryAvroSerializer<>(), new RegistryAvroDeserializer<>());
                serde.configure(config, false);
                return serde;
            }
        };
    }
}

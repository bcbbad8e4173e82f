package org.homecoming.reunification.pairing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.PersonHandedOver;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serdes of the service's clients look up the arrival path's schemas before readiness: every serializer the
 * producer factory handed out has met an alert, every deserializer the consumer factory handed out has decoded a
 * hand-over as the serializer encodes it, and nothing went anywhere but through those serdes.
 */
class SchemaLookupsTest {

    /** Clients made by the factories but never used: no broker is there, and none is needed. */
    static final Map<String, Object> PRODUCER = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    static final Map<String, Object> CONSUMER = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);

    final List<RecordingSerializer> serializers = new ArrayList<>();
    final List<RecordingDeserializer> deserializers = new ArrayList<>();
    final SchemaLookups lookups = new SchemaLookups(() -> {
        RecordingSerializer serializer = new RecordingSerializer();
        serializers.add(serializer);
        return serializer;
    }, () -> {
        RecordingDeserializer deserializer = new RecordingDeserializer();
        deserializers.add(deserializer);
        return deserializer;
    }, true);

    @Test
    void shouldLookUpTheAlertAndHandOverSchemasInEverySerdeTheFactoriesMade() {
        DefaultKafkaProducerFactory<String, Object> producers = new DefaultKafkaProducerFactory<>(PRODUCER);
        DefaultKafkaConsumerFactory<String, Object> consumers = new DefaultKafkaConsumerFactory<>(CONSUMER);
        lookups.customize(producers);
        lookups.customize(consumers);
        // two producers one after the other (as after a fence), made the way the factory makes them; nothing connects
        producers.createProducer().close(Duration.ZERO);
        producers.reset();
        try (Producer<String, Object> producer = producers.createProducer();
             Consumer<String, Object> consumer = consumers.createConsumer()) {
            lookups.runOnce();
        }

        assertThat(serializers).as("each producer has a serializer of its own, as before").hasSize(2).doesNotHaveDuplicates().allSatisfy(serializer -> assertThat(serializer.topics)
                .as("every producer's serializer met an alert of the alerts topic").contains(Topics.ALERTS.name()));
        assertThat(serializers).allSatisfy(serializer -> assertThat(serializer.configured)
                .as("configured by the factory, as a client configures a serde it made from the class name").isTrue());
        assertThat(deserializers).singleElement().satisfies(deserializer -> {
            assertThat(deserializer.topics).containsExactly(Topics.PERSON_ARRIVALS.name());
            assertThat(new String(deserializer.data.get(0), StandardCharsets.UTF_8))
                    .as("it decoded a hand-over as the registry's schema encodes it").startsWith(Topics.PERSON_ARRIVALS.name() + ":" + PersonHandedOver.class.getSimpleName());
        });
        assertThat(lookups.result()).hasValueSatisfying(result -> {
            assertThat(result.serializers()).isEqualTo(2);
            assertThat(result.deserializers()).isEqualTo(1);
            assertThat(result.failed()).isZero();
        });
        assertThat(consumers.getValueDeserializer()).as("a poison record still goes through the error-handling deserializer")
                .isInstanceOf(ErrorHandlingDeserializer.class);
    }

    @Test
    void shouldLookUpOnceAndNotAtAllWhenTheWarmUpIsOff() {
        DefaultKafkaProducerFactory<String, Object> producers = new DefaultKafkaProducerFactory<>(PRODUCER);
        lookups.customize(producers);
        producers.createProducer().close(Duration.ZERO);
        lookups.runOnce();
        lookups.runOnce();
        assertThat(serializers.get(0).topics).as("once per JVM").containsOnlyOnce(Topics.ALERTS.name());

        List<RecordingSerializer> offSerializers = new ArrayList<>();
        SchemaLookups off = new SchemaLookups(() -> {
            RecordingSerializer serializer = new RecordingSerializer();
            offSerializers.add(serializer);
            return serializer;
        }, RecordingDeserializer::new, false);
        DefaultKafkaProducerFactory<String, Object> offProducers = new DefaultKafkaProducerFactory<>(PRODUCER);
        off.customize(offProducers);
        offProducers.createProducer().close(Duration.ZERO);
        off.runOnce();
        assertThat(offSerializers.get(0).topics).isEmpty();
        assertThat(off.result()).isEmpty();
    }

    @Test
    void shouldGoOnWhenALookUpFails() {
        SchemaLookups failing = new SchemaLookups(() -> new RecordingSerializer() {
            @Override
            public byte[] serialize(String topic, Object data) {
                throw new IllegalStateException("registry unreachable");
            }
        }, RecordingDeserializer::new, true);
        DefaultKafkaProducerFactory<String, Object> producers = new DefaultKafkaProducerFactory<>(PRODUCER);
        failing.customize(producers);
        producers.createProducer().close(Duration.ZERO);

        failing.runOnce();

        assertThat(failing.result()).hasValueSatisfying(result -> {
            assertThat(result.serializers()).isZero();
            assertThat(result.failed()).isEqualTo(1);
        });
    }

    static class RecordingSerializer implements Serializer<Object> {
        final List<String> topics = new ArrayList<>();
        boolean configured;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            configured = true;
        }

        @Override
        public byte[] serialize(String topic, Object data) {
            topics.add(topic);
            return (topic + ":" + data.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8);
        }
    }

    static class RecordingDeserializer implements Deserializer<Object> {
        final List<String> topics = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();

        @Override
        public Object deserialize(String topic, byte[] bytes) {
            topics.add(topic);
            data.add(bytes);
            return null;
        }
    }
}

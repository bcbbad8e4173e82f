package org.homecoming.reunification;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.testkit.TopicProbe;

/**
 * Produces a typed record like an outside client. (TopicProbe.produce hands KafkaProducer a serializer instance that
 * nobody configures, so Apicurio's serializer has no schema resolver; this configures it first.)
 */
public final class Records {

    private Records() {
    }

    public static <V> void produce(Topic<V> topic, String key, V value) {
        Map<String, Object> config = TopicProbe.avroProducerConfig();
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot produce to " + topic.name(), e);
        }
    }
}

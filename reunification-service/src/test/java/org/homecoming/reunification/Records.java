package org.homecoming.reunification;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.homecoming.platform.registry.SchemaRegistry;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;

/**
 * Produces a typed record like an outside client. (TopicProbe.produce hands KafkaProducer a serializer instance that
 * nobody configures, so Apicurio's serializer has no schema resolver; this configures it first.)
 */
public final class Records {

    private Records() {
    }

    /** Waits until a consumer group has committed past a record, i.e. has processed it. */
    public static void awaitProcessed(String group, RecordMetadata record, java.time.Duration timeout) {
        org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(record.topic(), record.partition());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            org.awaitility.Awaitility.await().atMost(timeout).until(() -> {
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }

    /** Produces and waits for the broker's ack; answers where the record landed. */
    public static <V> RecordMetadata produce(Topic<V> topic, String key, V value) {
        // Registered through the Confluent API, as the services do (idempotent), then looked up: the serializer's own
        // auto-registration is refused once a service has registered the subject.
        new SchemaRegistry(KafkaAndRegistry.registryUrl()).register(topic.valueSubject(), ((SpecificRecord) value).getSchema());
        Map<String, Object> config = new java.util.HashMap<>(TopicProbe.avroProducerConfig());
        config.put("apicurio.registry.auto-register", false);
        config.put("apicurio.registry.find-latest", true);
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            return producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot produce to " + topic.name(), e);
        }
    }
}

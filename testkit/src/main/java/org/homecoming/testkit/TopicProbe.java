package org.homecoming.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;

import static org.awaitility.Awaitility.await;

/**
 * Writes and reads catalogue topics the way an outside client would: string keys, Avro values in the
 * Confluent wire format, and {@code read_committed}. Each read starts from the beginning of the topic.
 */
public final class TopicProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicProbe() {
    }

    /** Produces one typed record, registering its schema if needed, and waits for the broker's ack. */
    public static <V> RecordMetadata produce(Topic<String, V> topic, String key, V value) {
        return produce(topic, key, value, new RecordHeaders());
    }

    /** Produces one typed record with the given headers, as a partner may add them. */
    public static <V> RecordMetadata produce(Topic<String, V> topic, String key, V value, Headers headers) {
        return produce(topic, key, value, headers, null);
    }

    /** Produces one typed record with the given headers and record timestamp ({@code null}: the producer's clock). */
    public static <V> RecordMetadata produce(Topic<String, V> topic, String key, V value, Headers headers, Instant timestamp) {
        // Registered through the Confluent API, as the services and partners do (idempotent), then looked up: the
        // serializer's own auto-registration is refused once a service has registered the subject.
        register(topic.valueSubject(), ((SpecificRecord) value).getSchema());
        Map<String, Object> config = avroProducerConfig();
        config.put("apicurio.registry.auto-register", false);
        config.put("apicurio.registry.find-latest", true);
        // Kafka configures only the serializers it creates itself from class names, not instances passed in.
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            return producer.send(new ProducerRecord<>(topic.name(), null,
                    timestamp == null ? null : timestamp.toEpochMilli(), key, value, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot produce to " + topic.name(), e);
        }
    }

    /** Waits until a consumer group has committed past a record, that is, has processed it. */
    public static void awaitProcessed(String group, RecordMetadata record, Duration timeout) {
        org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            await().atMost(timeout).until(() -> {
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }

    private static void register(String subject, Schema schema) {
        try {
            String body = JSON.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema.toString()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(KafkaAndRegistry.registryUrl()
                            + "/apis/ccompat/v7/subjects/" + subject + "/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("The registry refused " + subject + ": " + response.statusCode() + " " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot register " + subject, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while registering " + subject, e);
        }
    }

    /** Produces raw bytes, for example a record that is not valid Avro. */
    public static void produceRaw(String topicName, String key, byte[] value) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topicName, key == null ? null : key.getBytes(), value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot produce to " + topicName, e);
        }
    }

    /** Every committed record of the topic, typed, as of now; records that are not readable Avro are skipped. */
    public static <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic) {
        return read(topic.name(), new AvroKafkaDeserializer<V>(), avroConsumerConfig());
    }

    /** Waits until the committed records of a topic satisfy a condition, and returns them. */
    public static <V> List<ConsumerRecord<String, V>> awaitRecords(Topic<String, V> topic, Duration timeout,
                                                                  Predicate<List<ConsumerRecord<String, V>>> condition) {
        List<List<ConsumerRecord<String, V>>> last = new ArrayList<>();
        await().atMost(timeout).pollInterval(Duration.ofMillis(300)).until(() -> {
            List<ConsumerRecord<String, V>> records = readAll(topic);
            last.clear();
            last.add(records);
            return condition.test(records);
        });
        return last.get(0);
    }

    /** Every committed record of a topic as raw bytes, headers included. */
    public static List<ConsumerRecord<String, byte[]>> readRaw(String topicName) {
        return read(topicName, new ByteArrayDeserializer(), new HashMap<>());
    }

    private static <V> List<ConsumerRecord<String, V>> read(String topicName,
            org.apache.kafka.common.serialization.Deserializer<V> valueDeserializer, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        valueDeserializer.configure(config, false);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer)) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topicName, Duration.ofSeconds(10))
                    .stream().map(info -> new org.apache.kafka.common.TopicPartition(topicName, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = settledEnd(consumer, partitions);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                } catch (org.apache.kafka.common.errors.RecordDeserializationException unreadable) {
                    // a poison record that a test put there on purpose: the typed view skips it (readRaw shows it)
                    consumer.seek(unreadable.topicPartition(), unreadable.offset() + 1);
                }
            }
            return records;
        }
    }

    /**
     * The read_committed end of each partition once transactions that were already finishing have settled.
     * A producer's commit returns before the coordinator has written its markers to the partitions, so right
     * after a commit the last stable offset can still lag the log end. Wait (boundedly) for it to catch up; a
     * transaction that stays open, from a producer that died, is then simply not read.
     */
    private static Map<org.apache.kafka.common.TopicPartition, Long> settledEnd(KafkaConsumer<String, ?> consumer,
            List<org.apache.kafka.common.TopicPartition> partitions) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        Map<org.apache.kafka.common.TopicPartition, Long> logEnd;
        try (KafkaConsumer<byte[], byte[]> uncommitted = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            logEnd = uncommitted.endOffsets(partitions);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Map<org.apache.kafka.common.TopicPartition, Long> stable = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> stable.get(p) < logEnd.get(p)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            stable.putAll(consumer.endOffsets(partitions));
        }
        return stable;
    }

    public static Map<String, Object> avroProducerConfig() {
        Map<String, Object> config = new HashMap<>(registryConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers());
        config.put("apicurio.registry.auto-register", true);
        return config;
    }

    public static Map<String, Object> avroConsumerConfig() {
        Map<String, Object> config = new HashMap<>(registryConfig());
        config.put("apicurio.registry.use-specific-avro-reader", true);
        return config;
    }

    /** The serde settings that make Apicurio's serdes speak the Confluent wire format. */
    public static Map<String, Object> registryConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", KafkaAndRegistry.registryUrl() + "/apis/registry/v3");
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        config.put("apicurio.registry.headers.enabled", false);
        return config;
    }
}

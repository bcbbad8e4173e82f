package org.homecoming.platform.deadletter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.platform.kafka.RegistryReading;
import org.homecoming.platform.kafka.TopicProvisioning;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.retry.RetryPolicy;
import org.homecoming.testkit.KraftBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener on a real broker, with the platform's error handler, meets a good record while the registry is away, and
 * then the registry comes back (a stand-in that serves the record's schema on the port that was closed).
 */
class RegistryOutageListenerTest {

    private static final int SCHEMA_ID = 7;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private EmbeddedKafkaKraftBroker broker;
    private KafkaMessageListenerContainer<String, Object> container;
    private HttpServer registry;

    @AfterEach
    void stop() {
        if (container != null) {
            container.stop();
        }
        if (registry != null) {
            registry.stop(0);
        }
        if (broker != null) {
            broker.destroy();
        }
        Metrics.removeRegistry(meters);
    }

    @Test
    void shouldReadAPositionOnceTheRegistryIsBackInsteadOfDeadLetteringIt() throws Exception {
        // given a bus position on its topic, and a registry that cannot be reached
        Metrics.addRegistry(meters);
        broker = KraftBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(TopicProvisioning.declare(Topics.BUS_POSITIONS))).all().get();
        }
        BusPositionRecorded position = BusPositionRecorded.newBuilder().setBusId("bus-1").setRoundId("round-1")
                .setLatitude(51.49).setLongitude(31.29).setSpeedKmh(40.0).setRecordedAt(Instant.parse("2026-11-20T06:00:00Z"))
                .build();
        produce(confluentWireFormat(position));
        int registryPort = closedPort();

        // when the platform's listener reads it
        List<ConsumerRecord<?, ?>> deadLettered = new CopyOnWriteArrayList<>();
        List<Object> read = new CopyOnWriteArrayList<>();
        container = listener(registryPort, deadLettered, read);
        container.start();

        // then it is tried again and again while the registry is away, and never dead-lettered
        await().atMost(TIMEOUT).alias("two failed attempts at the position, or its dead letter")
                .until(() -> failedAttempts() >= 2 || !deadLettered.isEmpty());
        assertThat(deadLettered).as("a good record is not dead-lettered while the registry is away").isEmpty();

        // and once the registry answers, it is read
        registry = servingSchema(registryPort, BusPositionRecorded.getClassSchema().toString());
        await().atMost(TIMEOUT).alias("the position read after the registry came back").until(() -> !read.isEmpty());
        assertThat(read).containsExactly(position);
        assertThat(deadLettered).isEmpty();
    }

    private double failedAttempts() {
        var counter = meters.find(MetricNames.REGISTRY_UNAVAILABLE).tag("topic", Topics.BUS_POSITIONS.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    private KafkaMessageListenerContainer<String, Object> listener(int registryPort, List<ConsumerRecord<?, ?>> deadLettered,
                                                                   List<Object> read) {
        Map<String, Object> config = RegistryReading.consumerConfig(broker.getBrokersAsString(), registryPort);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-outage-listener-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ContainerProperties properties = new ContainerProperties(Topics.BUS_POSITIONS.name());
        properties.setMessageListener((MessageListener<String, Object>) record -> read.add(record.value()));
        KafkaMessageListenerContainer<String, Object> listener =
                new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(config), properties);
        listener.setCommonErrorHandler(DeadLetterPolicy.errorHandler((record, e) -> deadLettered.add(record), RetryPolicy.DEFAULT));
        return listener;
    }

    /** Magic byte 0, the 4-byte schema id, the Avro body: what the registry's serializer writes. */
    private static byte[] confluentWireFormat(BusPositionRecorded position) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, SCHEMA_ID});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(BusPositionRecorded.class).write(position, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private void produce(byte[] value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.BUS_POSITIONS.name(), 0, "bus-1", value)).get();
        }
    }

    /** The registry's answer to a look-up of a schema by content id: the schema itself. */
    private static HttpServer servingSchema(int port, String schema) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            boolean found = exchange.getRequestURI().getPath().endsWith("/ids/contentIds/" + SCHEMA_ID);
            byte[] body = (found ? schema : "[]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

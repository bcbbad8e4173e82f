package org.homecoming.platform.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.homecoming.platform.kafka.Poison;
import org.homecoming.platform.kafka.RegistryAvroDeserializer;
import org.homecoming.platform.kafka.RegistryAvroSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * The classification against the real Apicurio deserializer, configured as the services configure it, and read back as
 * a listener reads it: through the error-handling deserializer's header.
 */
class RegistryOutageTest {

    /** Magic byte 0, then schema id 7 (cached nowhere), then an Avro body: a good record whose schema must be looked up. */
    private static final String TOPIC = "reunification.inquiries";
    private static final byte[] NEEDS_A_LOOK_UP = {0, 0, 0, 0, 7, 2, 'x'};

    private HttpServer registry;
    private final CountDownLatch testOver = new CountDownLatch(1);

    @AfterEach
    void stopRegistry() {
        testOver.countDown();
        if (registry != null) {
            registry.stop(0);
        }
    }

    @Test
    void shouldGiveUpOnARegistryThatAcceptsTheConnectionAndNeverAnswersAndTakeItAsAnOutage() throws IOException {
        String silent = silent();

        // a generous bound, far above the setting's 1 s (times the serde's four tries): without a bound it waits for good
        ConsumerRecord<String, Object> unanswered = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> read(silent, NEEDS_A_LOOK_UP, "1s"), "a deserialization waits for a registry that never answers");

        assertThat(Poison.of(unanswered)).as("the value could not be read").isNotNull();
        assertThat(Poison.registryUnavailable(unanswered)).as("no answer is the registry's absence, not poison").isTrue();
    }

    @Test
    void shouldGiveUpLookingASchemaUpForAProducerWhenTheRegistryNeverAnswers() throws IOException {
        String silent = silent();
        Schema schema = SchemaBuilder.record("Probe").namespace("org.homecoming.test").fields().requiredString("id").endRecord();
        GenericData.Record value = new GenericData.Record(schema);
        value.put("id", "probe-1");
        Map<String, Object> config = serdeConfig(silent, "1s");
        config.put("apicurio.registry.find-latest", true);
        config.put("apicurio.registry.auto-register", false);

        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RegistryAvroSerializer<Object> serializer = new RegistryAvroSerializer<>()) {
                serializer.configure(config, false);
                return catchThrowable(() -> serializer.serialize(TOPIC, new RecordHeaders(), value));
            }
        }, "a serialization waits for a registry that never answers");

        assertThat(failure).as("the look-up failed").isNotNull();
        assertThat(RegistryOutage.isCause(failure)).as("no answer is the registry's absence: " + RegistryOutage.describe(failure))
                .isTrue();
    }

    @Test
    void shouldTellARegistryThatCannotBeReachedFromABadRecord() throws IOException {
        String closed = "http://127.0.0.1:" + closedPort();

        ConsumerRecord<String, Object> unreachable = read(closed, NEEDS_A_LOOK_UP);
        ConsumerRecord<String, Object> badMagicByte = read(closed, "not Avro".getBytes(StandardCharsets.UTF_8));

        assertThat(Poison.of(unreachable)).as("the value could not be read").isNotNull();
        assertThat(Poison.registryUnavailable(unreachable)).as("connection refused is the registry's absence").isTrue();
        assertThat(Poison.of(badMagicByte)).isNotNull();
        assertThat(Poison.registryUnavailable(badMagicByte)).as("a bad magic byte is the record's fault").isFalse();
    }

    @Test
    void shouldTakeAReachableRegistrysNotFoundAsTheRecordsFaultAndItsServerErrorAsAnOutage() throws IOException {
        assertThat(Poison.registryUnavailable(read(answering(404), NEEDS_A_LOOK_UP)))
                .as("no schema with this id: the record is bad").isFalse();
        stopRegistry();
        assertThat(Poison.registryUnavailable(read(answering(503), NEEDS_A_LOOK_UP)))
                .as("503: the registry could not say").isTrue();
        stopRegistry();
        assertThat(Poison.registryUnavailable(read(answering(401), NEEDS_A_LOOK_UP)))
                .as("401: the service's credentials, not the record").isTrue();
    }

    @Test
    void shouldTakeAnUnknownFailureWithNoSignOfTheRegistryAsTheRecordsFault() {
        assertThat(RegistryOutage.isCause(new IllegalStateException("artifact reference cannot be null"))).isFalse();
        assertThat(RegistryOutage.isCause(new RuntimeException(new java.io.EOFException()))).isFalse();
        assertThat(RegistryOutage.isCause(new RuntimeException(new RuntimeException(
                new java.util.concurrent.ExecutionException(new Exception("unauthorized_client")))))).isTrue();
    }

    @Test
    void shouldRebuildAgainWhileTheRegistryIsAwayAndFailAtOnceForAnythingElse() {
        List<String> attempts = new ArrayList<>();

        String rebuilt = RegistryOutage.untilAvailable("a test rebuild", () -> {
            attempts.add("attempt");
            if (attempts.size() == 1) {
                throw new IllegalStateException("Cannot rebuild", new RegistryUnavailableException("schema registry unavailable"));
            }
            return "rebuilt";
        });

        assertThat(rebuilt).isEqualTo("rebuilt");
        assertThat(attempts).as("tried again after the outage").hasSize(2);
        assertThatThrownBy(() -> RegistryOutage.untilAvailable("a test rebuild", () -> {
            throw new IllegalStateException("a broker is gone");
        })).as("another failure is not waited out").hasMessage("a broker is gone");
    }

    @Test
    void shouldSetEachPartitionBackToItsFirstRecordNotReadYet() {
        @SuppressWarnings("unchecked")
        Consumer<String, Object> consumer = mock(Consumer.class);
        List<ConsumerRecord<String, Object>> polled = List.of(record(0, 5), record(0, 6), record(1, 9), record(0, 7), record(1, 10));

        RegistryOutage.seekBack(consumer, polled, 1);

        verify(consumer).seek(new TopicPartition(TOPIC, 0), 6);
        verify(consumer).seek(new TopicPartition(TOPIC, 1), 9);
        verifyNoMoreInteractions(consumer);
    }

    private static ConsumerRecord<String, Object> record(int partition, long offset) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "key", null);
    }

    private static ConsumerRecord<String, Object> read(String registryUrl, byte[] value) {
        return read(registryUrl, value, null);
    }

    private static Map<String, Object> serdeConfig(String registryUrl, String timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", registryUrl + "/apis/registry/v3");
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        config.put("apicurio.registry.headers.enabled", false);
        config.put("apicurio.registry.use-specific-avro-reader", true);
        if (timeout != null) {
            config.put(RegistryConnection.TIMEOUT, timeout);
        }
        return config;
    }

    private static ConsumerRecord<String, Object> read(String registryUrl, byte[] value, String timeout) {
        Map<String, Object> config = serdeConfig(registryUrl, timeout);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, RegistryAvroDeserializer.class.getName());
        RecordHeaders headers = new RecordHeaders();
        try (ErrorHandlingDeserializer<Object> deserializer = new ErrorHandlingDeserializer<>()) {
            deserializer.configure(config, false);
            Object read = deserializer.deserialize(TOPIC, headers, value);
            ConsumerRecord<String, Object> record = new ConsumerRecord<>(TOPIC, 0, 0L, "inquiry-1", read);
            headers.forEach(header -> record.headers().add(header));
            return record;
        }
    }

    private String answering(int status) throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            byte[] body = ("{\"status\":" + status + ",\"title\":\"answered " + status + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    /** A registry that accepts every connection and request and never answers, until the test ends. */
    private String silent() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.setExecutor(Executors.newCachedThreadPool());
        registry.createContext("/", exchange -> {
            try {
                testOver.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        registry.start();
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

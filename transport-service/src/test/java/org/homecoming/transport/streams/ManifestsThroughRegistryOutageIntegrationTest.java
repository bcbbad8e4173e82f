package org.homecoming.transport.streams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.transport.TransportApplication;
import org.homecoming.transport.telemetry.ManifestRounds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transport's stream processor on the real broker and registry, the registry reached through a stand-in that can stop
 * answering (503) as a registry does while it restarts. The manifests fill a global store, whose thread Kafka Streams
 * cannot replace as it replaces a stream thread.
 */
@ExtendWith(KafkaAndRegistry.class)
// a partner configured: without one there is no Kafka intake, and no manifests' store to read
@SpringBootTest(properties = {TransportApplication.CONFIG_NAME, "homecoming.partners=partner-outage",
        "spring.kafka.streams.state-dir=${java.io.tmpdir}/homecoming-streams/transport-outage-${random.uuid}"})
@DirtiesContext // its stream processor must not stay in the JVM beside later test classes' own
class ManifestsThroughRegistryOutageIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final RegistryStandIn REGISTRY = new RegistryStandIn();

    @Autowired
    StreamsBuilderFactoryBean streams;
    @Autowired
    StreamsHealthIndicator health;

    @DynamicPropertySource
    static void registryThroughTheStandIn(DynamicPropertyRegistry properties) {
        properties.add("homecoming.registry.url", () -> REGISTRY.start(KafkaAndRegistry.registryUrl()));
    }

    @AfterAll
    static void stopStandIn() {
        REGISTRY.stop();
    }

    @Test
    void shouldRideARegistryOutageOutAndTakeTheManifestWhenTheRegistryIsBack() {
        await().atMost(TIMEOUT).alias("the stream processor is running").until(() -> state() == KafkaStreams.State.RUNNING);

        // a manifest whose schema transport has not met yet, so reading it needs the registry (one written with the
        // current schema might be read with the schema cached from an earlier manifest)
        byte[] manifest = manifestOfAnotherSchemaVersion("bus-outage", "round-outage");
        REGISTRY.unavailable(true);
        TopicProbe.produceRaw(Topics.BUS_MANIFESTS.name(), "bus-outage", manifest);

        await().atMost(TIMEOUT).alias("the manifests' reader waits for the registry (health says so)").until(() ->
                health.health().getDetails().get("registry") instanceof String waiting
                        && waiting.startsWith(Topics.BUS_MANIFESTS.name() + " waits for the schema registry"));
        assertThat(state()).as("the stream processor did not stop").isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(health.health().getStatus().getCode()).as("an outage of the registry is not transport's failure").isEqualTo("UP");

        REGISTRY.unavailable(false);

        await().atMost(TIMEOUT).alias("the manifest is in the store once the registry answers").until(() ->
                state() == KafkaStreams.State.RUNNING && "round-outage".equals(roundOf("bus-outage")));
        assertThat(health.health().getDetails()).as("the wait is over").doesNotContainKey("registry");
    }

    @Test
    void shouldNotWaitForAManifestThatCannotBeReadAndTakeTheNextOne() {
        await().atMost(TIMEOUT).alias("the stream processor is running").until(() -> state() == KafkaStreams.State.RUNNING);
        REGISTRY.unavailable(false);

        TopicProbe.produceRaw(Topics.BUS_MANIFESTS.name(), "outage-test-garbage", "not a manifest".getBytes(StandardCharsets.UTF_8));
        TopicProbe.produce(Topics.BUS_MANIFESTS, "bus-after-garbage", manifest("bus-after-garbage", "round-after-garbage"));

        await().atMost(TIMEOUT).alias("the manifest after the bad one is in the store").until(() ->
                state() == KafkaStreams.State.RUNNING && "round-after-garbage".equals(roundOf("bus-after-garbage")));
        assertThat(health.health().getDetails()).as("a bad record is no outage").doesNotContainKey("registry");
    }

    private KafkaStreams.State state() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        return kafkaStreams == null ? null : kafkaStreams.state();
    }

    private String roundOf(String busId) {
        ReadOnlyKeyValueStore<String, String> rounds = streams.getKafkaStreams().store(
                StoreQueryParameters.fromNameAndType(ManifestRounds.STORE, QueryableStoreTypes.keyValueStore()));
        String stored = rounds.get(busId);
        // the stored value is the round, then the tracking partner and the registration time (ManifestRounds.Bus)
        return stored == null ? null : stored.split("\u0000", -1)[0];
    }

    private static BusManifestRegistered manifest(String busId, String roundId) {
        return BusManifestRegistered.newBuilder().setBusId(busId).setRoundId(roundId).setPersonIds(List.of("p-outage-1"))
                .setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(Instant.now()).build();
    }

    /**
     * A manifest in the Confluent wire format, written with a compatible schema that has one field more than ours (as a
     * partner's newer client might), registered under a subject of its own so that no producer of the JVM picks it up
     * as the manifests' latest schema: it gets an id of its own, which transport must look up.
     */
    private static byte[] manifestOfAnotherSchemaVersion(String busId, String roundId) {
        Schema ours = BusManifestRegistered.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        ours.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("writtenBy", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "the writer's client", JsonProperties.NULL_VALUE));
        Schema theirs = Schema.createRecord(ours.getName(), ours.getDoc(), ours.getNamespace(), false, fields);
        int id = register("outage-test-" + UUID.randomUUID() + "-value", theirs);
        GenericData.Record value = new GenericData.Record(theirs);
        value.put("busId", busId);
        value.put("roundId", roundId);
        value.put("personIds", List.of("p-outage-1"));
        value.put("origin", "gomel-assembly-point");
        value.put("receptionPoint", "chernihiv-reception-point");
        value.put("registeredAt", Instant.now().toEpochMilli());
        value.put("writtenBy", "tracing-agency-client");
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(theirs).write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int register(String subject, Schema schema) {
        String body = "{\"schemaType\":\"AVRO\",\"schema\":\"" + schema.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(KafkaAndRegistry.registryUrl() + "/apis/ccompat/v7/subjects/"
                        + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
            if (response.statusCode() != 200 || !id.find()) {
                throw new IllegalStateException("The registry refused " + subject + ": " + response.statusCode() + " " + response.body());
            }
            return Integer.parseInt(id.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Passes every request on to the real registry, or answers 503 while told to be unavailable. */
    static final class RegistryStandIn {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private volatile boolean unavailable;
        private HttpServer server;
        private String target;

        synchronized String start(String registryUrl) {
            if (server == null) {
                target = registryUrl;
                try {
                    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot start the registry stand-in", e);
                }
                server.createContext("/", this::answer);
                server.setExecutor(Executors.newFixedThreadPool(4, work -> {
                    Thread thread = new Thread(work, "registry-stand-in");
                    thread.setDaemon(true);
                    return thread;
                }));
                server.start();
            }
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void unavailable(boolean unavailable) {
            this.unavailable = unavailable;
        }

        synchronized void stop() {
            if (server != null) {
                server.stop(0);
            }
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                if (unavailable) {
                    byte[] body = "{\"status\":503,\"title\":\"restarting\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    exchange.sendResponseHeaders(503, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                byte[] sent;
                try (InputStream in = exchange.getRequestBody()) {
                    sent = in.readAllBytes();
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                        .timeout(Duration.ofSeconds(30))
                        .method(exchange.getRequestMethod(), sent.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(sent));
                for (String header : List.of("Content-Type", "Accept", "Authorization")) {
                    String value = exchange.getRequestHeaders().getFirst(header);
                    if (value != null) {
                        request.header(header, value);
                    }
                }
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                byte[] body = response.body();
                exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

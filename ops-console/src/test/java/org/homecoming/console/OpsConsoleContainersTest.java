package org.homecoming.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.homecoming.platform.security.Roles;
import org.homecoming.testkit.TestTokens;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.MatchStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same flow as {@link OpsConsoleIntegrationTest}, against the images that docker-compose.yml runs:
 * apache/kafka in KRaft mode and the Apicurio registry. For users with Docker; where there is no Docker
 * engine (as on the project's build machines) JUnit reports it as skipped, without trying to start anything.
 */
@Testcontainers(disabledWithoutDocker = true)
class OpsConsoleContainersTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.2");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("apicurio/apicurio-registry:3.0.9")
            .withEnv("APICURIO_CCOMPAT_USE_CANONICAL_HASH", "true")
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/health/ready").forStatusCode(200))
            .withStartupTimeout(Duration.ofMinutes(2));

    @Test
    void shouldShowTheFunnelOfARoundFromEventsOnTheContainersTopics() throws Exception {
        String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080);
        // Command-line arguments: they win over the system properties other tests of this JVM may have set.
        try (ConfigurableApplicationContext console = new SpringApplicationBuilder(OpsConsoleApplication.class)
                .properties(OpsConsoleApplication.CONFIG_NAME)
                .run(arguments(registryUrl))) {
            // given
            String round = "round-containers";
            for (String person : List.of("c1", "c2", "c3")) {
                produce(registryUrl, Topics.LISTED_PERSONS, person, Events.listed(person, round));
            }
            produce(registryUrl, Topics.BUS_MANIFESTS, "bus-c", Events.manifest("bus-c", round, "c1", "c2"));
            produce(registryUrl, Topics.MATCHES, "inq-c", Events.match("m-c", "inq-c", "c1", MatchStatus.AUTO_MATCHED));
            produce(registryUrl, Topics.ALERTS, "inq-c", Events.alert("a-c", "inq-c", "c1"));

            // then
            int port = ((WebServerApplicationContext) console).getWebServer().getPort();
            HttpRequest dashboard = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/dashboard"))
                    .header("Authorization", TestTokens.bearer("demo-ops", Roles.OPS_VIEWER)).build();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                String body = HttpClient.newHttpClient().send(dashboard, BodyHandlers.ofString()).body();
                List<Map<String, Object>> funnel = JsonPath.read(body, "$.rounds[?(@.roundId == '" + round + "')].funnel");
                assertThat(funnel).as("funnel of %s", round).singleElement().satisfies(figures -> {
                    assertThat(figures).containsEntry("listed", 3).containsEntry("onBus", 2)
                            .containsEntry("matched", 1).containsEntry("alerted", 1);
                });
            });
        }
    }

    private static <V> void produce(String registryUrl, Topic<String, V> topic, String key, V value) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        config.put("apicurio.registry.url", registryUrl + "/apis/registry/v3");
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        config.put("apicurio.registry.headers.enabled", false);
        config.put("apicurio.registry.auto-register", true);
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    private static String[] arguments(String registryUrl) {
        List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + KAFKA.getBootstrapServers(), "--homecoming.registry.url=" + registryUrl,
                // the containers' registry and broker may sit on a Docker host that is not this one: the test's own, reached in clear
                "--homecoming.clear-text-hosts=" + REGISTRY.getHost()));
        arguments.addAll(TestTokens.resourceServerArguments());
        return arguments.toArray(String[]::new);
    }
}

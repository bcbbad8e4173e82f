package org.homecoming.localstack;

import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end flow against the images that docker-compose.yml runs: apache/kafka in KRaft mode and the
 * Apicurio registry on KafkaSQL storage. For users with Docker; without a Docker engine (as on this project's build machines) JUnit
 * reports it as skipped without starting anything.
 */
@Testcontainers(disabledWithoutDocker = true)
class ExchangeEndToEndContainersTest extends ExchangeEndToEnd {

    static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.2")
            // as in production: topics exist only because a service declared them
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withNetwork(NETWORK)
            .withListener("kafka:19092"); // the registry's way in, from inside the network

    /** With docker-compose.yml's durable storage: the schemas' journal is a topic of the same broker (KafkaSQL). */
    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("apicurio/apicurio-registry:3.0.9")
            .withNetwork(NETWORK)
            .dependsOn(KAFKA)
            .withEnv("APICURIO_STORAGE_KIND", "kafkasql")
            .withEnv("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS", "kafka:19092")
            .withEnv("APICURIO_KAFKASQL_TOPIC_RETENTION_MS", "-1")
            .withEnv("APICURIO_KAFKASQL_CONSUMER_POLL_TIMEOUT", "500")
            .withEnv("APICURIO_CCOMPAT_USE_CANONICAL_HASH", "true")
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/health/ready").forStatusCode(200))
            .withStartupTimeout(Duration.ofMinutes(2));

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }

    @Override
    String registryUrl() {
        return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080);
    }
}

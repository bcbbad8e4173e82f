package org.homecoming.platform.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service with read-only registry credentials checks at start-up that the registry holds the schemas it writes. When
 * the registry cannot answer (Apicurio answers 500 while the identity provider that checks the credentials is away) a
 * service restarted on exchange day must still start, if the registry said yes to exactly these schemas before; and it
 * must never start on a guess.
 */
class SchemaProvisioningTest {

    @TempDir
    Path temp;

    HttpServer registry;
    /** What the fake registry answers every request with: 200 (the schemas it holds), or this status. */
    volatile int status = 200;
    /** The schemas it holds, by subject. */
    volatile Map<String, Schema> holds = schemasOf(Owner.ROSTER);

    @BeforeEach
    void registry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/apis/ccompat/v7/subjects/", this::answer);
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    @Test
    void shouldStartWhileTheRegistryCannotCheckCredentialsIfItHeldTheseSchemasAtTheLastCheck() {
        // given: a start that found the schemas provisioned
        provisioning(Owner.ROSTER).afterPropertiesSet();

        // when: the identity provider is away, and the registry answers 500 to everything
        status = 500;

        // then: the restart goes on with the saved check
        assertThatCode(() -> provisioning(Owner.ROSTER).afterPropertiesSet()).doesNotThrowAnyException();
    }

    @Test
    void shouldNotStartWhenTheRegistryCannotAnswerAndNoCheckWasSaved() {
        // given
        status = 500;

        // then: its schemas were never seen in the registry
        assertThatThrownBy(() -> provisioning(Owner.ROSTER).afterPropertiesSet())
                .hasMessageContaining("answered 500");
    }

    @Test
    void shouldNotStartOnASavedCheckOfOtherSchemas() {
        // given: the last check was of another build's schemas (here: another service's)
        provisioning(Owner.TRANSPORT, schemasOf(Owner.TRANSPORT)).afterPropertiesSet();

        // when
        status = 500;

        // then
        assertThatThrownBy(() -> provisioning(Owner.ROSTER).afterPropertiesSet()).hasMessageContaining("answered 500");
    }

    @Test
    void shouldNotOverruleTheRegistrysAnswerWithASavedCheck() {
        // given
        provisioning(Owner.ROSTER).afterPropertiesSet();

        // when: the registry answers, and refuses the credentials
        status = 401;

        // then
        assertThatThrownBy(() -> provisioning(Owner.ROSTER).afterPropertiesSet()).hasMessageContaining("answered 401");
    }

    @Test
    void shouldNotStartWhenASchemaIsMissingThoughAnEarlierCheckFoundIt() {
        // given
        provisioning(Owner.ROSTER).afterPropertiesSet();

        // when: the registry answers and no longer holds them
        holds = Map.of();

        // then
        assertThatThrownBy(() -> provisioning(Owner.ROSTER).afterPropertiesSet())
                .hasMessageContaining("does not hold the schemas this service writes");
    }

    SchemaProvisioning provisioning(Owner owner) {
        return provisioning(owner, holds);
    }

    SchemaProvisioning provisioning(Owner owner, Map<String, Schema> held) {
        holds = held;
        KafkaProperties kafka = new KafkaProperties();
        kafka.getProperties().put(SchemaProvisioning.CLIENT_ID, "roster-service");
        kafka.getProperties().put(SchemaProvisioning.CLIENT_SECRET, "secret");
        return new SchemaProvisioning("http://127.0.0.1:" + registry.getAddress().getPort(), List.of(owner), "",
                temp.resolve("registry-answers").toString(), kafka);
    }

    /** The schemas an owner writes, and the audit trail's, which every service writes. */
    static Map<String, Schema> schemasOf(Owner owner) {
        return java.util.stream.Stream.concat(Topics.ownedBy(owner, List.of()).stream(), Topics.ownedBy(Owner.SERVICES, List.of()).stream())
                .collect(Collectors.toMap(Topic::valueSubject, SchemaProvisioning::schemaOf, (a, b) -> a));
    }

    void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String subject = path.substring("/apis/ccompat/v7/subjects/".length(), path.indexOf("/versions/latest"));
        Schema schema = holds.get(subject);
        int answer = status != 200 ? status : schema == null ? 404 : 200;
        byte[] body = (answer == 200 ? JsonMapper.builder().build().writeValueAsString(Map.of("schema", schema.toString()))
                : "{\"message\":\"answered " + answer + "\",\"error_code\":" + answer + "}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}

package org.homecoming.platform.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The platform's registry client against a stand-in registry that notes what each request carried: the credentials
 * a deployment gives the serdes must reach the registry, which refuses every request without them (401).
 */
class RegistryConnectionTest {

    private HttpServer registry;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.stop(0);
        }
    }

    @Test
    void shouldSendTheServicesBasicCredentialsWithEverySchemaLookUp() throws IOException {
        // given a service configured with a user name and password for the registry
        RegistryClientFacade client = RegistryConnection.facade(Map.of(
                "apicurio.registry.url", standIn() + "/apis/registry/v3",
                "apicurio.registry.auth.username", "transport",
                "apicurio.registry.auth.password", "s3cret:with-colon"));

        // when it looks a schema up (the stand-in knows none)
        catchThrowable(() -> client.getSchemaByContentId(7L));

        // then the request carried them as HTTP basic credentials
        String expected = "Basic " + Base64.getEncoder().encodeToString("transport:s3cret:with-colon".getBytes(StandardCharsets.UTF_8));
        assertThat(authorizations).isNotEmpty().allSatisfy(authorization -> assertThat(authorization).isEqualTo(expected));
    }

    @Test
    void shouldSendNoCredentialsWhenNoneAreConfigured() throws IOException {
        RegistryClientFacade client = RegistryConnection.facade(Map.of("apicurio.registry.url", standIn() + "/apis/registry/v3"));

        catchThrowable(() -> client.getSchemaByContentId(7L));

        assertThat(authorizations).isNotEmpty().allSatisfy(authorization -> assertThat(authorization).isEmpty());
    }

    @Test
    void shouldRefuseRegistrySettingsItWouldOtherwiseIgnore() {
        assertThatThrownBy(() -> RegistryConnection.facade(Map.of("apicurio.registry.url", "http://127.0.0.1:1/apis/registry/v3",
                "apicurio.registry.tls.truststore.location", "/etc/registry.jks")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apicurio.registry.tls.truststore.location");
    }

    /** A registry that answers 404 to everything and notes each request's Authorization header ("" when absent). */
    private String standIn() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            byte[] body = "{\"status\":404,\"title\":\"no such content\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }
}

package org.homecoming.catalogue.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

/**
 * A small client of the registry's Confluent-compatible API ({@code /apis/ccompat/v7}). It is what any
 * Confluent client would use, so what works here works for integrators.
 *
 * <p>Against an authenticated registry it sends an OAuth2 client's id and secret as HTTP basic credentials, as a
 * Confluent client does with {@code basic.auth.credentials.source=USER_INFO}: the registry exchanges them for a
 * token at the identity provider (Apicurio's basic client credentials) and authorises the token's roles.
 */
public final class SchemaRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI ccompat;
    private static final Duration UNREACHABLE_FOR_AT_MOST = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Optional<String> authorization;

    /** A client of an open registry (the tests' shared one), or of one that lets anonymous callers do what it asks. */
    public SchemaRegistry(String registryUrl) {
        this(registryUrl, null, null);
    }

    /** A client that authenticates as an OAuth2 client (its id and secret); both null for an open registry. */
    public SchemaRegistry(String registryUrl, String clientId, String clientSecret) {
        this.ccompat = URI.create(registryUrl.replaceAll("/+$", "") + "/apis/ccompat/v7/");
        this.authorization = clientId == null ? Optional.empty() : Optional.of("Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
    }

    /** Registers a schema under a subject, or finds it if it is there already; returns its id. */
    public int register(String subject, Schema schema) {
        JsonNode answer = call("POST", "subjects/" + subject + "/versions",
                Map.of("schemaType", "AVRO", "schema", schema.toString()));
        return answer.get("id").asInt();
    }

    /** The schema with the given id, as every Confluent client resolves it. */
    public Schema schemaById(int id) {
        JsonNode answer = call("GET", "schemas/ids/" + id, null);
        return new Schema.Parser().parse(answer.get("schema").asText());
    }

    /** The latest schema registered under a subject, or empty if the subject has none. */
    public Optional<Schema> latestSchema(String subject) {
        try {
            JsonNode answer = call("GET", "subjects/" + subject + "/versions/latest", null);
            return Optional.of(new Schema.Parser().parse(answer.get("schema").asText()));
        } catch (SchemaRejectedException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void setGlobalCompatibility(String level) {
        setConfig("config", level);
    }

    public void setSubjectCompatibility(String subject, String level) {
        setConfig("config/" + subject, level);
    }

    /**
     * Services start side by side and all set the global rule. Apicurio creates a rule on the first PUT and
     * answers 409 to a second PUT that races it; the rule then exists, so the PUT is simply repeated.
     */
    private void setConfig(String path, String level) {
        for (int attempt = 1; ; attempt++) {
            try {
                call("PUT", path, Map.of("compatibility", level));
                return;
            } catch (SchemaRejectedException e) {
                if (e.status() != 409 || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * One call to the registry. When every process of a stack starts at once on a small machine, the registry can be
     * too busy to answer a first call in time; every call here is idempotent (a PUT, a lookup, or registering a schema
     * that yields the same id), so a call that cannot reach it is tried again for a bounded time.
     */
    private JsonNode call(String method, String path, Object body) {
        long deadline = System.nanoTime() + UNREACHABLE_FOR_AT_MOST.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return callOnce(method, path, body);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The schema registry at " + ccompat + " cannot be reached ("
                            + attempt + " attempts in " + UNREACHABLE_FOR_AT_MOST.toSeconds() + " s)", e);
                }
                pause(Duration.ofSeconds(Math.min(attempt, 5)));
            }
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
        }
    }

    private JsonNode callOnce(String method, String path, Object body) throws IOException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(ccompat.resolve(path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Accept", CONTENT_TYPE);
            authorization.ifPresent(value -> request.header("Authorization", value));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRejectedException(method + " " + path + " answered " + response.statusCode()
                        + ": " + response.body(), response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the schema registry", e);
        }
    }

    /** The registry refused a request, for example a schema that breaks compatibility (409). */
    public static final class SchemaRejectedException extends RuntimeException {
        private final int status;

        SchemaRejectedException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}

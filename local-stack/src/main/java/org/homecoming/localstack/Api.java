package org.homecoming.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A service's REST API as an integrator sees it: JSON or CSV in, JSON out, errors as problem+json, every call with
 * the bearer token of one role's account.
 */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final String baseUrl;
    private final Supplier<String> accessToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(String baseUrl, Supplier<String> accessToken) {
        this.baseUrl = baseUrl;
        this.accessToken = accessToken;
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, "application/json", write(body));
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, "application/json", write(body));
    }

    JsonNode postCsv(String path, String csv) {
        return send("POST", path, "text/csv; charset=UTF-8", csv);
    }

    JsonNode get(String path) {
        return send("GET", path, null, null);
    }

    private JsonNode send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken.get());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + baseUrl + path + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + baseUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package org.homecoming.roster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.homecoming.platform.security.Roles;
import org.homecoming.synthetic.lists.ListCsv;
import org.homecoming.testkit.TestTokens;
import org.springframework.context.ConfigurableApplicationContext;

/** A list officer's calls to one roster instance over real HTTP, as the integration tests with several instances make them. */
final class ListOfficerCalls {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ListOfficerCalls() {
    }

    static HttpResponse<String> upload(ConfigurableApplicationContext instance, String round, String list, String rows) {
        return send(instance, "POST", "/api/v1/rounds/" + round + "/lists?listId=" + list, "text/csv", ListCsv.HEADER + rows);
    }

    static HttpRequest uploadRequest(ConfigurableApplicationContext instance, String round, String list, String rows) {
        return request(instance, "POST", "/api/v1/rounds/" + round + "/lists?listId=" + list, "text/csv", ListCsv.HEADER + rows);
    }

    static HttpResponse<String> send(ConfigurableApplicationContext instance, String method, String path,
                                     String contentType, String body) {
        return call(request(instance, method, path, contentType, body));
    }

    static HttpRequest request(ConfigurableApplicationContext instance, String method, String path,
                               String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(instance) + path))
                .timeout(Duration.ofSeconds(90))
                .header("Authorization", TestTokens.bearer("list-officer-1", Roles.LIST_OFFICER, Roles.OPS_VIEWER));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return request.build();
    }

    static HttpResponse<String> call(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String base(ConfigurableApplicationContext instance) {
        return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
    }

    static String roundTerms(String round) {
        return """
                {"roundId": "%s", "agreementReference": "AGR-TEST", "stage": 1, "stageCount": 3,
                 "exchangeDate": "2026-12-05", "releasingSide": "RU", "receivingSide": "UA",
                 "plannedSoldiers": 10, "plannedCivilians": 10}""".formatted(round);
    }
}

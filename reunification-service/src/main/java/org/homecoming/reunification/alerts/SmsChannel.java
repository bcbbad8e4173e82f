package org.homecoming.reunification.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Sends an alert as an SMS through the operator's HTTP gateway: {@code POST <url>} with JSON {@code {to, text}}. */
@Component
class SmsChannel {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SmsChannel(@Value("${reunification.delivery.sms-gateway-url}") String gateway) {
        this.gateway = URI.create(gateway);
    }

    void send(String to, String text) throws DeliveryFailure {
        HttpRequest request = HttpRequest.newBuilder(gateway)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("to", to, "text", text))))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new DeliveryFailure("SMS gateway answered " + status);
            }
        } catch (IOException e) {
            throw new DeliveryFailure("SMS gateway unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted while sending an SMS", e);
        }
    }
}

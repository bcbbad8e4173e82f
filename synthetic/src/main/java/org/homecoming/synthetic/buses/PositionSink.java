package org.homecoming.synthetic.buses;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Where a tracker sends its readings: a partner's trackers use transport's public positions endpoint. */
@FunctionalInterface
public interface PositionSink {

    /** Sends one batch of a bus's readings; fails if they were not accepted. */
    void send(String busId, List<TrackerReading> readings);

    /** {@code POST <transportUrl>/api/v1/buses/{busId}/positions}, as a partner's tracker does; anything but 202 fails. */
    static PositionSink overHttp(String transportUrl) {
        return overHttp(transportUrl, () -> null);
    }

    /** The same, with the trackers' bearer token (fetched again for each batch, so an expired one is renewed). */
    static PositionSink overHttp(String transportUrl, Supplier<String> accessToken) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return (busId, readings) -> {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(transportUrl + "/api/v1/buses/"
                            + URLEncoder.encode(busId, StandardCharsets.UTF_8) + "/positions"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(TrackerReading.jsonArray(readings)));
            String token = accessToken.get();
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            HttpRequest request = builder.build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("Positions of " + busId + " refused with " + response.statusCode()
                            + ": " + response.body());
                }
            } catch (IOException e) {
                throw new IllegalStateException("Positions of " + busId + " not sent: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while sending positions of " + busId, e);
            }
        };
    }
}

package org.homecoming.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scenario's client follows the API's contract in a plain run: "not now" is sent again, a fault is not. */
class ApiTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldSendTheSameRequestAgainWhenAServiceSaysNotNowInAPlainRun() throws IOException {
        // given a service that twice answers 503 with Retry-After (it has not read another instance's write yet)
        String url = serving(List.of(answer(503, "1"), answer(503, "1"), answer(201, null)));

        // when the scenario registers an inquiry, with no patience for faults
        var registered = new Api(url, () -> "token").post("/api/v1/inquiries", java.util.Map.of("x", 1));

        // then it goes on with the answer the service gave once it could
        assertThat(registered.path("answer").asInt()).isEqualTo(201);
        assertThat(requests).hasValue(3);
    }

    @Test
    void shouldStopAPlainRunAtAServerFault() throws IOException {
        // given a service that answers 500 (a bug, not a contract to follow)
        String url = serving(List.of(answer(500, null), answer(201, null)));

        // when the scenario calls it, then the run stops at once and says what the service answered
        assertThatThrownBy(() -> new Api(url, () -> "token").get("/api/v1/buses"))
                .hasMessageContaining("answered 500");
        assertThat(requests).hasValue(1);
    }

    @Test
    void shouldNotSendARefusedRequestAgain() throws IOException {
        // given a service that refuses the request as bad input
        String url = serving(List.of(answer(400, null), answer(201, null)));

        // when the scenario calls it, then it is not sent again
        assertThatThrownBy(() -> new Api(url, () -> "token").post("/api/v1/inquiries", java.util.Map.of("x", 1)))
                .hasMessageContaining("answered 400");
        assertThat(requests).hasValue(1);
    }

    private record Answer(int status, String retryAfter) {
    }

    private static Answer answer(int status, String retryAfter) {
        return new Answer(status, retryAfter);
    }

    /** Serves the answers in order, the last one for every request after them; returns the base URL. */
    private String serving(List<Answer> answers) throws IOException {
        Deque<Answer> left = new ArrayDeque<>(answers);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Answer next = left.size() > 1 ? left.poll() : left.peek();
            reply(exchange, next);
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getRequestBody().readAllBytes();
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        byte[] body = ("{\"answer\":" + answer.status() + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}

package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scenario's caseworker against a stand-in of reunification's match API (a JDK {@code HttpServer}): a decision
 * refused 409 because the match changed since the queue was read is taken again on the match as it is now.
 */
@Timeout(60)
class ExchangeScenarioReviewTest {

    private static final String CONFLICT = """
            {"type":"about:blank","title":"Conflict","status":409,"detail":"Match m-1 is REVIEW_REQUESTED since the \
            caseworker read it (version REVIEW_REQUESTED.1.1.1, now REVIEW_REQUESTED.1.2.1); the decision was not recorded"}""";

    private final List<String> decisions = new CopyOnWriteArrayList<>();
    private HttpServer reunification;

    @AfterEach
    void stop() {
        if (reunification != null) {
            reunification.stop(0);
        }
    }

    @Test
    void shouldDecideAgainOnTheVersionReadAfterA409InsteadOfSkippingTheMatch() throws Exception {
        // given a match whose version moved after the queue was read (a correction): the first decision is refused
        Api caseworkers = stub(1, Map.of("REVIEW", """
                [{"matchId":"m-1","status":"REVIEW_REQUESTED","version":"REVIEW_REQUESTED.1.2.1"}]"""));

        // when the caseworker rejects it from the queue she read
        boolean decided = ExchangeScenario.decide(caseworkers, read("REVIEW_REQUESTED.1.1.1"), false);

        // then she read it again and rejected it on its version now
        assertThat(decided).isTrue();
        assertThat(decisions).containsExactly("reject REVIEW_REQUESTED.1.1.1", "reject REVIEW_REQUESTED.1.2.1");
    }

    @Test
    void shouldLeaveAMatchThatIsNoLongerProposed() throws Exception {
        // given a match rejected by someone else since the queue was read: it is listed neither in review, nor
        // auto-matched, nor confirmed
        Api caseworkers = stub(1, Map.of());

        // when the caseworker confirms it, then she is told it is not hers to decide any more, and tries once
        assertThat(ExchangeScenario.decide(caseworkers, read("REVIEW_REQUESTED.1.1.1"), true)).isFalse();
        assertThat(decisions).containsExactly("confirm REVIEW_REQUESTED.1.1.1");
    }

    @Test
    void shouldStopAfterTheLastTryWhenEveryDecisionIsRefused() throws Exception {
        // given a match whose every decision is refused 409
        Api caseworkers = stub(Integer.MAX_VALUE, Map.of("REVIEW", """
                [{"matchId":"m-1","status":"REVIEW_REQUESTED","version":"REVIEW_REQUESTED.1.2.1"}]"""));

        // when the caseworker decides it, then she gives up after a bounded number of tries, saying why
        assertThatThrownBy(() -> ExchangeScenario.decide(caseworkers, read("REVIEW_REQUESTED.1.1.1"), true))
                .isInstanceOf(Api.Refused.class).hasMessageContaining("409");
        assertThat(decisions).hasSize(ExchangeScenario.DECISION_TRIES);
    }

    private static JsonNode read(String version) {
        return Api.json("{\"matchId\":\"m-1\",\"status\":\"REVIEW_REQUESTED\",\"version\":\"" + version + "\"}");
    }

    /**
     * Reunification's match API: the first {@code refusals} decisions are answered 409, the next 202; the matches
     * listed by status as given (none for another status).
     */
    private Api stub(int refusals, Map<String, String> listed) throws IOException {
        AtomicInteger refused = new AtomicInteger();
        reunification = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        reunification.createContext("/api/v1/matches", exchange -> {
            if (exchange.getRequestMethod().equals("GET")) {
                String query = exchange.getRequestURI().getQuery();
                String status = query.replaceAll(".*status=([A-Z_]+).*", "$1");
                answer(exchange, 200, listed.getOrDefault(status, "[]"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            JsonNode body = Api.json(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            decisions.add(path.substring(path.lastIndexOf('/') + 1) + " " + body.path("version").asText());
            if (refused.getAndIncrement() < refusals) {
                answer(exchange, 409, CONFLICT);
            } else {
                answer(exchange, 202, "{\"matchId\":\"m-1\"}");
            }
        });
        reunification.start();
        return new Api("http://127.0.0.1:" + reunification.getAddress().getPort(), () -> "token");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 409 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}

package org.homecoming.reunification.alerts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a tiny stub gateway on a free port: the JDK's own HTTP server. */
class SmsChannelTest {

    HttpServer gateway;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(202);
    final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
    /** While closed, the gateway takes the request and does not answer: a slow gateway. */
    volatile CountDownLatch slowAnswer = new CountDownLatch(0);

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/sms", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            idempotencyKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            try {
                slowAnswer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        slowAnswer.countDown();
        gateway.stop(0);
    }

    SmsChannel channel() {
        return new SmsChannel("http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms", Duration.ofMillis(500));
    }

    @Test
    void shouldPostTheNumberAndTheTextAsJson() throws Exception {
        channel().send("alert-1", "+380501234567", "Людину передано в пункті прийому");

        assertThat(bodies).hasSize(1);
        JsonNode body = JsonMapper.builder().build().readTree(bodies.get(0));
        assertThat(body.get("to").asString()).isEqualTo("+380501234567");
        assertThat(body.get("text").asString()).isEqualTo("Людину передано в пункті прийому");
    }

    @Test
    void shouldCallTheChannelUnavailableWhenTheGatewayCannotTakeAnyMessage() {
        for (int answer : new int[] {503, 500, 429, 401}) {
            status.set(answer);

            assertThatThrownBy(() -> channel().send("alert-1", "+380501234567", "text")).as("answered %d", answer)
                    .isInstanceOf(ChannelUnavailable.class).hasMessageContaining(Integer.toString(answer));
        }
    }

    @Test
    void shouldCallItAFailureOfThisMessageWhenTheGatewayRefusesIt() {
        status.set(400);

        assertThatThrownBy(() -> channel().send("alert-1", "+380501234567", "text"))
                .isInstanceOf(DeliveryFailure.class).isNotInstanceOf(ChannelUnavailable.class).hasMessageContaining("400");
    }

    @Test
    void shouldSendTheAlertIdAsTheIdempotencyKeySoTheGatewayCanDropACopy() throws Exception {
        channel().send("alert-1", "+380501234567", "text");
        channel().send("alert-1", "+380501234567", "text");

        assertThat(idempotencyKeys).as("the Idempotency-Key header of each request").containsExactly("alert-1", "alert-1");
    }

    @Test
    void shouldReportAnUnknownOutcomeWhenTheGatewayTookTheRequestAndDidNotAnswerInTime() {
        // given a gateway that reads the request and does not answer
        slowAnswer = new CountDownLatch(1);

        // when / then: the gateway may have accepted it, so this is not a failure worth retrying
        assertThatThrownBy(() -> channel().send("alert-1", "+380501234567", "text"))
                .isInstanceOf(OutcomeUnknown.class).hasMessageNotContaining("+380501234567");
        assertThat(bodies).as("the request reached the gateway").hasSize(1);
    }

    @Test
    void shouldFailWhenTheGatewayIsUnreachable() {
        gateway.stop(0);

        // nothing was sent: the channel is away, waited out, not an unknown outcome
        assertThatThrownBy(() -> channel().send("alert-1", "+380501234567", "text")).isInstanceOf(ChannelUnavailable.class);
    }
}

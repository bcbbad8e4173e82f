package org.homecoming.reunification.alerts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.homecoming.platform.security.ClearTextHosts;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
import org.homecoming.reunification.contactkeys.TestContactKeys;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** The contact-data vault whose KEK keys the number's part of the idempotency key. */
    final ContactKeyVault vault = TestContactKeys.vault(TestContactKeys.newDirectory());
    /** While closed, the gateway takes the request and does not answer: a slow gateway. */
    volatile CountDownLatch slowAnswer = new CountDownLatch(0);

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serveSms(gateway);
        gateway.start();
    }

    private void serveSms(HttpServer server) {
        server.createContext("/sms", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            idempotencyKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            try {
                slowAnswer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
    }

    /** The same gateway behind HTTPS, presenting {@code certificate}. */
    HttpsServer httpsGateway(TestCertificate certificate) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        serveSms(server);
        server.start();
        return server;
    }

    @AfterEach
    void stopGateway() {
        slowAnswer.countDown();
        gateway.stop(0);
    }

    SmsChannel channel() {
        return new SmsChannel("http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms", vault, Duration.ofMillis(500));
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
    void shouldSendTheSameIdempotencyKeyForTheSameAlertToTheSameNumberSoTheGatewayCanDropACopy() throws Exception {
        channel().send("alert-1", "+380501234567", "text");
        channel().send("alert-1", "+380501234567", "text");

        assertThat(idempotencyKeys).as("the Idempotency-Key header of each request").hasSize(2).doesNotContainNull();
        assertThat(idempotencyKeys.get(1)).as("a resend to the same number").isEqualTo(idempotencyKeys.get(0));
        assertThat(idempotencyKeys.get(0)).as("names the alert").startsWith("alert-1");
    }

    @Test
    void shouldSendANewIdempotencyKeyWhenTheHotlineCorrectedTheNumberSoTheGatewayDoesNotDropTheResend() throws Exception {
        // given: the alert went to a wrong number, and the hotline corrected the relative's number
        channel().send("alert-1", "+380501234567", "text");

        // when: an operator resends it, to the corrected number
        channel().send("alert-1", "+380671112233", "text");

        // then: the gateway sees another message, not a copy of the first
        assertThat(idempotencyKeys).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void shouldNotPutTheRelativesNumberIntoTheIdempotencyKey() throws Exception {
        // gateways log their keys; a number must not end up there
        channel().send("alert-1", "+380501234567", "text");

        assertThat(idempotencyKeys).singleElement().satisfies(key -> assertThat(key)
                .doesNotContain("380501234567").doesNotContain("0501234567").doesNotContain("501234567"));
    }

    @Test
    void shouldSendAnIdempotencyKeyAgainstWhichNobodyCanCheckAGuessOfTheNumber() throws Exception {
        // given a gateway's log, which holds the keys, and someone who reads it and tries every mobile number: an
        // unkeyed digest of the number (about 10^9 Ukrainian mobiles) gives the number away in seconds
        String number = "+380501234567";
        String guessable = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(number.getBytes(StandardCharsets.UTF_8)), 0, 8);

        // when an alert goes to that number
        channel().send("alert-1", number, "text");

        // then the key names the alert, and nothing in it can be computed from the number alone
        assertThat(idempotencyKeys).singleElement().satisfies(key -> assertThat(key).startsWith("alert-1:")
                .as("an unkeyed SHA-256 of the number").doesNotContain(guessable));
    }

    @Test
    void shouldSendTheSameKeyFromEveryInstanceOnTheKeyEncryptionKeyAndAnotherUnderAnotherKey() {
        // given two instances, each with its own vault on the same keystore (so a resend from either one is recognised),
        // and a service elsewhere with a key-encryption key of its own
        Path sharedKeystore = TestContactKeys.newDirectory().resolve("kek.p12");
        ContactKeyVault firstInstance = TestContactKeys.vault(TestContactKeys.newDirectory(), sharedKeystore);
        ContactKeyVault secondInstance = TestContactKeys.vault(TestContactKeys.newDirectory(), sharedKeystore);
        ContactKeyVault otherKek = TestContactKeys.vault(TestContactKeys.newDirectory());

        // when each derives the key of the same alert to the same number (written the way the hotline may write it)
        String fromFirst = SmsChannel.idempotencyKey("alert-1", "+380501234567", firstInstance);
        String fromSecond = SmsChannel.idempotencyKey("alert-1", "+380 50 123-45-67", secondInstance);
        String underOtherKek = SmsChannel.idempotencyKey("alert-1", "+380501234567", otherKek);

        // then both instances send the same key, and the other KEK another: the number's part is keyed, not a digest
        assertThat(fromSecond).as("the second instance's key").isEqualTo(fromFirst);
        assertThat(underOtherKek).as("the key under another KEK").isNotEqualTo(fromFirst).startsWith("alert-1:");
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
    void shouldReportAnUnknownOutcomeWhenStoppedWhileTheGatewayHasTheRequest() throws Exception {
        // given a gateway that reads the request and does not answer yet
        slowAnswer = new CountDownLatch(1);
        SmsChannel patient = new SmsChannel("http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms", vault,
                Duration.ofSeconds(20));
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                patient.send("alert-1", "+380501234567", "text");
            } catch (Exception e) {
                thrown.set(e);
            }
        });
        sender.start();

        // when the sending thread is stopped (a shutdown) once the request has reached the gateway
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
        sender.interrupt();
        sender.join(10_000);

        // then the message may have gone out: held for an operator, never retried as a failure
        assertThat(thrown.get()).isInstanceOf(OutcomeUnknown.class);
    }

    @Test
    void shouldFailWhenTheGatewayIsUnreachable() {
        gateway.stop(0);

        // nothing was sent: the channel is away, waited out, not an unknown outcome
        assertThatThrownBy(() -> channel().send("alert-1", "+380501234567", "text")).isInstanceOf(ChannelUnavailable.class);
    }

    @Test
    void shouldRefuseToStartWhenTheGatewayOnAnotherHostWouldBeReachedOverPlainHttp() {
        assertThatThrownBy(() -> new SmsChannel("http://sms.example.org/send", "key", null,
                new ClearTextHosts(List.of()), vault, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sms.example.org").hasMessageContaining("https")
                .hasMessageContaining("homecoming.clear-text-hosts")
                .hasMessageNotContaining("key");
    }

    @Test
    void shouldAllowPlainHttpOnlyToAGatewayTheOperatorNamed() {
        new SmsChannel("http://sms-sidecar:8090/sms", null, null, new ClearTextHosts(List.of("sms-sidecar")), vault,
                Duration.ofSeconds(1));

        assertThatThrownBy(() -> new SmsChannel("ftp://sms.example.org/send", null, null,
                new ClearTextHosts(List.of("sms.example.org")), vault, Duration.ofSeconds(1)))
                .as("clear-text hosts allow http, not any scheme").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSendTheGatewaysKeyAsABearerTokenOnlyWhenThereIsOne() throws Exception {
        String url = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms";
        new SmsChannel(url, "gateway-key-1", null, new ClearTextHosts(List.of()), vault, Duration.ofSeconds(2))
                .send("alert-1", "+380501234567", "text");
        new SmsChannel(url, "", null, new ClearTextHosts(List.of()), vault, Duration.ofSeconds(2))
                .send("alert-2", "+380501234567", "text");

        assertThat(authorizations).containsExactly("Bearer gateway-key-1", "null");
    }

    @Test
    void shouldSendOverHttpsToAGatewayWhoseCertificateIsTrustedAndNamesIt(@TempDir Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "ip:127.0.0.1");
        HttpsServer https = httpsGateway(certificate);
        try {
            new SmsChannel("https://127.0.0.1:" + https.getAddress().getPort() + "/sms", "gateway-key-1",
                    certificate.trustingClient(), new ClearTextHosts(List.of()), vault, Duration.ofSeconds(5))
                    .send("alert-1", "+380501234567", "text");

            assertThat(bodies).singleElement().asString().contains("+380501234567");
            assertThat(authorizations).containsExactly("Bearer gateway-key-1");
        } finally {
            https.stop(0);
        }
    }

    @Test
    void shouldSendNothingToAnHttpsGatewayWhoseCertificateIsNotTrustedButWaitForIt(@TempDir Path dir) throws Exception {
        // given a server posing as the gateway, with a certificate the service does not trust
        HttpsServer impostor = httpsGateway(TestCertificate.create(dir, "ip:127.0.0.1"));
        SSLContext trustsAnotherServer = TestCertificate.create(dir, "ip:127.0.0.1").trustingClient();
        try {
            SmsChannel channel = new SmsChannel("https://127.0.0.1:" + impostor.getAddress().getPort() + "/sms",
                    "gateway-key-1", trustsAnotherServer, new ClearTextHosts(List.of()), vault, Duration.ofSeconds(5));

            // when / then: the handshake fails before any byte of the request; the alert waits for the real gateway
            assertThatThrownBy(() -> channel.send("alert-1", "+380501234567", "text"))
                    .isInstanceOf(ChannelUnavailable.class).hasMessageNotContaining("+380501234567")
                    .as("the reason an operator reads").hasMessageStartingWith(SmsChannel.NOT_ENCRYPTED);
            assertThat(bodies).as("the impostor got neither number nor text").isEmpty();
            assertThat(authorizations).as("nor the gateway's key").isEmpty();
        } finally {
            impostor.stop(0);
        }
    }

    @Test
    void shouldSendNothingAnywhereWhenNoGatewayIsConfiguredAndLetTheAlertWait() {
        SmsChannel unconfigured = new SmsChannel("", vault, Duration.ofMillis(500));

        assertThatThrownBy(() -> unconfigured.send("alert-1", "+380501234567", "text"))
                .isInstanceOf(ChannelUnavailable.class).hasMessage(SmsChannel.NOT_CONFIGURED);
    }
}

package org.homecoming.platform.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.homecoming.platform.HomecomingPlatformAutoConfiguration;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.homecoming.platform.security.ApiAccess;
import com.jayway.jsonpath.JsonPath;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's REST door against a real Tomcat: sizes, unknown fields, NUL, and the container's own errors. The
 * caller is signed in (a bearer token the door's decoder accepts), as every caller of a service must be, so that
 * what is tested is the door's rules and not the missing token's 401.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = WebInputRulesTest.Door.class,
        properties = {"homecoming.web.max-body-size=1KB", "homecoming.web.larger-bodies.[/lists]=64KB",
                "management.tracing.enabled=false"})
class WebInputRulesTest {

    static final String TOKEN = "door-test-token";
    static final String BEARER = "Bearer " + TOKEN;
    /** A token the door cannot check: its decoder cannot reach the identity provider's keys. */
    static final String PROVIDER_AWAY = "token-while-the-identity-provider-is-away";

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswer413ProblemJsonToABodyOverTheLimit() throws Exception {
        HttpResponse<String> answer = post("/form", "{\"name\":\"" + "a".repeat(2_000) + "\"}");

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("\"status\":413");
    }

    @Test
    void shouldAnswer413ToAChunkedBodyOverTheLimit() throws Exception {
        String raw = "POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Authorization: " + BEARER + "\r\nConnection: close\r\n\r\n" + chunk("{\"name\":\"" + "a".repeat(3_000) + "\"}") + "0\r\n\r\n";

        String answer = raw(raw);

        assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json");
    }

    @Test
    void shouldTakeALargerBodyWhereTheEndpointAllowsIt() throws Exception {
        HttpResponse<String> answer = post("/lists", "x".repeat(30_000));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("30000");
    }

    @Test
    void shouldRefuseAnUnknownFieldWith400() throws Exception {
        HttpResponse<String> answer = post("/form", "{\"name\":\"Petrenko\",\"admin\":true}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("admin").contains("\"errors\"");
    }

    @Test
    void shouldNameEveryValueOfTheWrongTypeAndEveryUnknownFieldInOneAnswer() throws Exception {
        HttpResponse<String> answer = post("/terms", """
                {"name": {"first": "Petrenko"}, "exchangeDate": "12.05.2026", "side": "BY", "stage": "two",
                 "at": "yesterday", "admin": true}""");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JsonPath.<List<String>>read(answer.body(), "$.errors[*].field"))
                .containsExactly("name", "exchangeDate", "side", "stage", "at", "admin");
        assertThat(JsonPath.<List<String>>read(answer.body(), "$.errors[*].reason")).containsExactly(
                "must be text; the object sent cannot be read as one",
                "must be a date, yyyy-MM-dd; the text sent cannot be read as one",
                "must be one of RU, UA; the text sent cannot be read as one",
                "must be a whole number; the text sent cannot be read as one",
                "must be a time in ISO-8601 with its offset, such as 2026-12-05T10:15:30Z; the text sent cannot be read as one",
                "is not a field of this request");
        assertThat(answer.body()).as("the values are not echoed: a value in the wrong field may be personal data")
                .doesNotContain("Petrenko").doesNotContain("yesterday");
    }

    @Test
    void shouldNameEveryBadReadingOfABatchByItsPlace() throws Exception {
        HttpResponse<String> answer = post("/readings", """
                [{"latitude": 51.5, "recordedAt": "05.12.2026 10:00"},
                 {"latitude": 51.6, "recordedAt": "2026-12-05T10:01:00Z"},
                 {"latitude": "north", "recordedAt": "2026-12-05T10:02:00Z"},
                 {"latitude": 51.8, "recordedAt": true}]""");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<List<String>>read(answer.body(), "$.errors[*].field"))
                .containsExactly("[0].recordedAt", "[2].latitude", "[3].recordedAt");
    }

    @Test
    void shouldFailAtTheFirstProblemWhenJsonIsReadOutsideARequestBody() throws Exception {
        // a bad body first, on the same server: what it gathered must not loosen any later read
        assertThat(post("/terms", "{\"stage\": \"two\"}").statusCode()).isEqualTo(400);

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/parse")).header("Content-Type", "text/plain")
                .header("Authorization", BEARER).POST(HttpRequest.BodyPublishers.ofString("{\"stage\": \"two\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.body()).isEqualTo("refused");
    }

    @Test
    void shouldNotEchoAnOverLongPathInTheProblemButSayWhatWasWrong() throws Exception {
        String longId = "a".repeat(5_000);

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/items/" + longId)).header("Authorization", BEARER)
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> shortRefused = http.send(HttpRequest.newBuilder(uri("/items/a%24b")).header("Authorization", BEARER)
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"itemId\"").doesNotContain(longId.substring(0, 300));
        assertThat(shortRefused.statusCode()).isEqualTo(400);
        assertThat(shortRefused.body()).as("a path of ordinary length still names the occurrence")
                .contains("\"instance\":\"/items/a%24b\"");
    }

    @Test
    void shouldSayWhereTheJsonBrokeWithoutQuotingWhatWasSent() throws Exception {
        // a name typed without its quotes: Jackson's own message quotes the word it could not read
        HttpResponse<String> unquoted = post("/form", "{\n  \"name\": Olena Petrenko}");
        HttpResponse<String> cutShort = post("/form", "{\"name\": \"Олена Петренко");

        assertThat(unquoted.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<List<String>>read(unquoted.body(), "$.errors[*].reason")).singleElement(as(InstanceOfAssertFactories.STRING))
                .matches("is not valid JSON \\(line 2, column \\d+\\)");
        assertThat(cutShort.statusCode()).isEqualTo(400);
        assertThat(JsonPath.<List<String>>read(cutShort.body(), "$.errors[*].reason")).containsExactly("ends before the JSON is complete");
        assertThat(unquoted.body() + cutShort.body()).as("a body may hold a relative's name")
                .doesNotContain("Olena").doesNotContain("Олена");
    }

    @Test
    void shouldRefuseANulInAnyString() throws Exception {
        HttpResponse<String> answer = post("/form", "{\"name\":\"Petr\\u0000enko\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"field\":\"name\"").contains("NUL");
    }

    @Test
    void shouldAnswerAnEmptyBodyWithoutCallingItJson() throws Exception {
        HttpResponse<String> answer = post("/form", "");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("is missing or cannot be read").doesNotContain("JSON");
    }

    @Test
    void shouldAnswer413WhenKafkaRefusesTheRecordAsTooLarge() throws Exception {
        HttpResponse<String> answer = post("/publish", "{\"name\":\"x\"}");

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void shouldAnswer503WhenTheEventsARequestNeedsCannotBeReadWhileTheRegistryIsAway() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/held")).header("Authorization", BEARER).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as("the caller may try again shortly").isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("schema registry is unavailable").doesNotContain("alert-deliveries");
    }

    @Test
    void shouldAnswerAnUnhandledFailureAsProblemJsonWithoutItsMessage() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/boom")).header("Accept", "text/html")
                        .header("Authorization", BEARER).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body()).doesNotContain("Petrenko");
    }

    @Test
    void shouldAnswerAnUnknownPathAsProblemJson() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/nowhere")).header("Authorization", BEARER).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void shouldAnswerABadPathCharacterAsProblemJsonNotTomcatsPage() throws Exception {
        String answer = raw("GET /api/v1/%ZZ/../x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContain("<html");
    }

    @Test
    void shouldAnswerAnOverLongHeaderAsProblemJsonNotTomcatsPage() throws Exception {
        String answer = raw("GET /form HTTP/1.1\r\nHost: localhost\r\nX-Long: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContain("<html");
    }

    @Test
    void shouldAnswer503NotASignInErrorWhenTheIdentityProviderCannotBeReachedToCheckTheToken() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/held"))
                .header("Authorization", "Bearer " + PROVIDER_AWAY).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(answer.body()).contains("identity provider cannot be reached").doesNotContain(PROVIDER_AWAY);
    }

    @Test
    void shouldStillAnswer401ToATokenTheProviderWouldRefuse() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/held"))
                .header("Authorization", "Bearer forged").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", path.equals("/lists") ? "text/csv" : "application/json")
                .header("Authorization", BEARER).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (IOException closedByServer) {
                // the server may reset the connection after answering; what arrived is the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(exclude = {KafkaAutoConfiguration.class, HomecomingPlatformAutoConfiguration.class})
    @Import({WebInputRules.class, Door.Endpoints.class})
    static class Door {

        record Form(String name) {
        }

        enum Side { RU, UA }

        record Terms(String name, java.time.LocalDate exchangeDate, Side side, int stage, Instant at) {
        }

        record Reading(Double latitude, Instant recordedAt) {
        }

        /** The door's endpoints, and any unknown path, for any signed-in caller; the platform denies the rest. */
        @Bean
        ApiAccess signedInCallers() {
            return requests -> requests.requestMatchers("/**").authenticated();
        }

        /** Accepts the one test token, so no identity provider is needed; any other token is refused. */
        @Bean
        JwtDecoder testTokens() {
            return token -> {
                if (PROVIDER_AWAY.equals(token)) {
                    // what Nimbus's decoder throws when the key set cannot be fetched: not the token's fault
                    throw new JwtException("Couldn't retrieve remote JWK set: Connection refused");
                }
                if (!TOKEN.equals(token)) {
                    throw new BadJwtException("not the test token");
                }
                return Jwt.withTokenValue(token).header("alg", "none").subject("door-tester")
                        .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600)).build();
            };
        }

        @RestController
        static class Endpoints {

            private final tools.jackson.databind.json.JsonMapper mapper;

            Endpoints(tools.jackson.databind.json.JsonMapper mapper) {
                this.mapper = mapper;
            }

            @PostMapping(path = "/form", consumes = "application/json")
            Map<String, String> form(@RequestBody Form form) {
                return Map.of("name", form.name());
            }

            @PostMapping(path = "/lists", consumes = "text/csv")
            String lists(@RequestBody byte[] body) {
                return String.valueOf(body.length);
            }

            @PostMapping(path = "/publish", consumes = "application/json")
            String publish(@RequestBody Form form) {
                CompletableFuture<Void> failed = CompletableFuture.failedFuture(
                        new org.springframework.kafka.KafkaException("send failed", new RecordTooLargeException("too large")));
                failed.join();
                return "never";
            }

            @PostMapping(path = "/terms", consumes = "application/json")
            Terms terms(@RequestBody Terms terms) {
                return terms;
            }

            @PostMapping(path = "/readings", consumes = "application/json")
            int readings(@RequestBody List<Reading> readings) {
                return readings.size();
            }

            /** Reads JSON of its own while serving: no request body is being read, so Jackson fails at once. */
            @PostMapping(path = "/parse", consumes = "text/plain")
            String parse(@RequestBody String json) {
                try {
                    return "read " + mapper.readValue(json, Terms.class);
                } catch (tools.jackson.core.JacksonException refused) {
                    return "refused";
                }
            }

            @GetMapping("/items/{itemId}")
            String item(@PathVariable String itemId) {
                EntityId.require("itemId", itemId);
                return itemId;
            }

            @GetMapping("/held")
            String held() {
                throw new RegistryUnavailableException("Cannot read reunification.alert-deliveries-0@3: schema registry unavailable");
            }

            @GetMapping("/boom")
            String boom() {
                throw new IllegalStateException("Petrenko's e-mail failed");
            }
        }
    }
}

package org.homecoming.roster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.homecoming.catalogue.Topics;
import org.homecoming.platform.security.Roles;
import org.homecoming.synthetic.lists.ListCsv;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.KraftBroker;
import org.homecoming.testkit.TestTokens;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A roster instance that has not read the roster's topics to their end cannot tell a round that does not exist from
 * one another instance recorded a moment ago: it answers 503 with Retry-After, never "no such round" (400 or 404, which
 * tell an integrator to change correct data). And an instance that cannot reach the brokers says it is not ready.
 */
@ExtendWith(KafkaAndRegistry.class)
class RosterCatchUpIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();
    private EmbeddedKafkaKraftBroker ownBroker;

    @AfterEach
    void stopThem() {
        started.forEach(ConfigurableApplicationContext::close);
        if (ownBroker != null) {
            ownBroker.destroy();
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterNotUnknownRoundWhileTheInstanceHasNotReadTheRound() throws Exception {
        // given two instances, the second of which cannot read on to the topics' end when a request comes (its
        // catch-up bound is nothing: what a slow broker, a far-away instance or a long transaction do for seconds)
        ConfigurableApplicationContext first = start("roster-caught-up", KafkaAndRegistry.bootstrapServers());
        ConfigurableApplicationContext lagging = start("roster-lagging", KafkaAndRegistry.bootstrapServers(),
                "--homecoming.roster.catch-up-wait=0s");
        // and a round recorded through the first a moment ago
        String round = "round-" + UUID.randomUUID();
        assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);

        // when an integrator uploads a correct list for it to the lagging instance
        String list = "list-" + UUID.randomUUID();
        HttpResponse<String> upload = upload(lagging, round, list, row(round + "-1", "Петренко"));

        // then it is told to retry, not that the round is unknown, and nothing is published
        assertNotCaughtUp(upload, "the upload to the lagging instance");
        assertThat(upload.body()).doesNotContain("there is no exchange round");
        assertThat(TopicProbe.readAll(Topics.RELEASE_LISTS).stream().map(record -> record.value().getListId()))
                .as("nothing of the upload answered 503").doesNotContain(list);

        // and reads of the round and its lists there are told the same, not 404
        assertNotCaughtUp(send(lagging, "GET", "/api/v1/rounds/" + round, null, null), "the round read on the lagging instance");
        assertNotCaughtUp(send(lagging, "GET", "/api/v1/rounds/" + round + "/lists", null, null),
                "the round's lists read on the lagging instance");

        // and the same upload retried on the instance that has read on is published
        HttpResponse<String> retried = upload(first, round, list, row(round + "-1", "Петренко"));
        assertThat(retried.statusCode()).as("the retry on the caught-up instance: " + retried.body()).isEqualTo(201);
    }

    @Test
    void shouldStillAnswer400And404ForARoundThatDoesNotExistOnAnInstanceThatHasReadEverything() throws Exception {
        // given an instance that reads on to the topics' end before it answers
        ConfigurableApplicationContext instance = start("roster-caught-up", KafkaAndRegistry.bootstrapServers());
        String round = "round-never-recorded-" + UUID.randomUUID();

        // when a list is uploaded for a round nobody recorded, and the round is read
        HttpResponse<String> upload = upload(instance, round, "list-" + UUID.randomUUID(), row(round + "-1", "Петренко"));
        HttpResponse<String> read = send(instance, "GET", "/api/v1/rounds/" + round, null, null);

        // then the integrator is told the round does not exist
        assertThat(upload.statusCode()).as("the upload for an unknown round: " + upload.body()).isEqualTo(400);
        assertThat(upload.body()).contains("there is no exchange round " + round);
        assertThat(read.statusCode()).as("the read of an unknown round: " + read.body()).isEqualTo(404);
    }

    @Test
    void shouldNotBeReadyWhileItCannotReachTheBrokers() {
        // given an instance on a broker of its own, ready
        ownBroker = KraftBroker.start();
        ConfigurableApplicationContext instance = start("roster-losing-its-broker", ownBroker.getBrokersAsString());
        assertThat(readiness(instance).statusCode()).as("ready while the broker answers").isEqualTo(200);

        // when the broker goes away
        ownBroker.destroy();
        ownBroker = null;

        // then a load balancer is told not to send it requests
        await("readiness to turn DOWN").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> readiness = readiness(instance);
                    assertThat(readiness.statusCode()).as("readiness without a broker: " + readiness.body()).isEqualTo(503);
                    assertThat(JSON.readTree(readiness.body()).get("status").asText()).isEqualTo("DOWN");
                });
    }

    private static void assertNotCaughtUp(HttpResponse<String> answer, String what) {
        assertThat(answer.statusCode()).as(what + ": " + answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.headers().firstValue("Retry-After")).as(what + ": Retry-After").isPresent();
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("detail").asText()).as(what).contains("has not read the latest rounds and lists");
    }

    private ConfigurableApplicationContext start(String instance, String bootstrapServers, String... more) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.shutdown=immediate",
                "--homecoming.roster.instance-id=" + instance, "--spring.kafka.bootstrap-servers=" + bootstrapServers));
        arguments.addAll(List.of(more));
        arguments.addAll(TestTokens.resourceServerArguments());
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RosterApplication.class)
                .properties(RosterApplication.CONFIG_NAME).run(arguments.toArray(String[]::new));
        started.add(context);
        return context;
    }

    private static HttpResponse<String> readiness(ConfigurableApplicationContext instance) {
        return call(HttpRequest.newBuilder(URI.create(base(instance) + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(20)).GET().build());
    }

    private static HttpResponse<String> upload(ConfigurableApplicationContext instance, String round, String list, String rows) {
        return send(instance, "POST", "/api/v1/rounds/" + round + "/lists?listId=" + list, "text/csv", ListCsv.HEADER + rows);
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext instance, String method, String path,
                                             String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(instance) + path))
                .timeout(Duration.ofSeconds(90))
                .header("Authorization", TestTokens.bearer("list-officer-1", Roles.LIST_OFFICER, Roles.OPS_VIEWER));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return call(request.build());
    }

    private static HttpResponse<String> call(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String base(ConfigurableApplicationContext instance) {
        return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
    }

    private static String roundTerms(String round) {
        return """
                {"roundId": "%s", "agreementReference": "AGR-TEST", "stage": 1, "stageCount": 3,
                 "exchangeDate": "2026-12-05", "releasingSide": "RU", "receivingSide": "UA",
                 "plannedSoldiers": 10, "plannedCivilians": 10}""".formatted(round);
    }

    private static String row(String personId, String surname) {
        return personId + "," + surname + ",Олександр,,,,,,SOLDIER,,,\n";
    }
}

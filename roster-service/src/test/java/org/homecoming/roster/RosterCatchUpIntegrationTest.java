package org.homecoming.roster;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.homecoming.catalogue.Topic;

import org.homecoming.catalogue.Topics;
import org.homecoming.platform.security.Roles;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.events.common.Side;
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
import static org.homecoming.roster.ListOfficerCalls.HTTP;
import static org.homecoming.roster.ListOfficerCalls.upload;
import static org.homecoming.roster.ListOfficerCalls.uploadRequest;
import static org.homecoming.roster.ListOfficerCalls.send;
import static org.homecoming.roster.ListOfficerCalls.call;
import static org.homecoming.roster.ListOfficerCalls.base;
import static org.homecoming.roster.ListOfficerCalls.roundTerms;
import static org.awaitility.Awaitility.await;

/**
 * A roster instance that has not read the roster's topics to their end cannot tell a round that does not exist from
 * one another instance recorded a moment ago: it answers 503 with Retry-After, never "no such round" (400 or 404, which
 * tell an integrator to change correct data), nor 200 with the stale view it holds; rows wrong whatever the round are
 * answered 400 all the same. An instance that cannot reach the brokers stays ready and answers that 503 itself, and says
 * since when in its health details, while a broker that refuses it by ACL is a server error, not that 503; a record
 * whose dead letter could not be sent is read again.
 */
@ExtendWith(KafkaAndRegistry.class)
class RosterCatchUpIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();
    private EmbeddedKafkaKraftBroker ownBroker;
    /** A broker started here sets these system properties to itself; the shared broker's are put back after. */
    private final Map<String, String> sharedBroker = new java.util.HashMap<>();

    @AfterEach
    void stopThem() {
        started.forEach(ConfigurableApplicationContext::close);
        if (ownBroker != null) {
            ownBroker.destroy();
        }
        sharedBroker.forEach((property, value) -> {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
        });
    }

    private EmbeddedKafkaKraftBroker startOwnBroker() {
        return startOwnBroker(Map.of());
    }

    private EmbeddedKafkaKraftBroker startOwnBroker(Map<String, String> settings) {
        for (String property : List.of("spring.kafka.bootstrap-servers", "spring.embedded.kafka.brokers")) {
            sharedBroker.put(property, System.getProperty(property));
        }
        return KraftBroker.start(settings);
    }

    @Test
    void shouldAnswer503WithRetryAfterNotUnknownRoundWhileTheInstanceHasNotReadTheRound() throws Exception {
        // given two instances, the second of which cannot read on to the topics' end when a request comes (its
        // catch-up bound is nothing: what a slow broker, a far-away instance or a long transaction do for seconds)
        ConfigurableApplicationContext first = start("roster-caught-up", KafkaAndRegistry.bootstrapServers());
        ConfigurableApplicationContext lagging = start("roster-lagging", KafkaAndRegistry.bootstrapServers(),
                "--homecoming.roster.catch-up-wait=0s", "--homecoming.roster.probe-every=1h");
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
    void shouldAnswerEveryRowProblemAt400EvenBeforeTheInstanceHasReadTheRound() throws Exception {
        // given two instances, the second of which cannot read on, and a round recorded through the first a moment ago
        ConfigurableApplicationContext first = start("roster-caught-up", KafkaAndRegistry.bootstrapServers());
        ConfigurableApplicationContext lagging = start("roster-lagging", KafkaAndRegistry.bootstrapServers(),
                "--homecoming.roster.catch-up-wait=0s", "--homecoming.roster.probe-every=1h");
        String round = "round-" + UUID.randomUUID();
        assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);

        // when an integrator uploads a list whose rows are wrong whatever the round (a category, a date, a missing
        // surname, a row short of fields) to the instance that has not read the round
        String list = "list-" + UUID.randomUUID();
        String wrongRows = round + "-1,Петренко,Олександр,,,,,,PIRATE,,,\n"
                + round + "-2,Коваль,Іван,,,,,1990-13-01,SOLDIER,,,\n"
                + round + "-3,,Петро,,,,,,CIVILIAN,,,\n"
                + round + "-4,Мельник,Олег,SOLDIER\n";
        HttpResponse<String> refused = upload(lagging, round, list, wrongRows);

        // then it is told every one of them at once, not to retry a list that is wrong anyway, and nothing is published
        assertThat(refused.statusCode()).as("the upload with row errors to the lagging instance: " + refused.body())
                .isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("category", "birthDate", "surname", "row");
        assertThat(problem.get("errors").findValues("row").stream().map(JsonNode::asInt)).containsExactlyInAnyOrder(2, 3, 4, 5);
        assertThat(problem.get("detail").asText()).contains("nothing was published", "not checked against round " + round);
        assertThat(TopicProbe.readAll(Topics.RELEASE_LISTS).stream().map(record -> record.value().getListId()))
                .as("nothing of the refused upload").doesNotContain(list);

        // and once its rows are fixed, the lagging instance cannot tell whether the round exists: 503, retry
        assertNotCaughtUp(upload(lagging, round, list, row(round + "-1", "Петренко")), "the corrected upload to the lagging instance");

        // and an instance that has read the round lists the rows' problems and those against the round together
        HttpResponse<String> bothKinds = send(first, "POST", "/api/v1/rounds/" + round + "/lists?listId=" + list
                + "&releasingSide=UA", "text/csv", org.homecoming.synthetic.lists.ListCsv.HEADER + wrongRows);
        assertThat(bothKinds.statusCode()).as("the upload with row errors and the wrong side: " + bothKinds.body()).isEqualTo(400);
        assertThat(JSON.readTree(bothKinds.body()).get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("category", "birthDate", "surname", "row", "releasingSide");
    }

    @Test
    void shouldAnswer503NotAStaleViewWhenAReadCannotCatchUpWithWhatTheOtherInstanceWrote() throws Exception {
        // given a round recorded through one instance, and a second instance started after it that cannot read on:
        // both know the round as PLANNED without lists (and no background catch-up there: every 5 s, it could take the
        // turn of the first read, 503, or read on between the writes and the reads below, 200)
        ConfigurableApplicationContext first = start("roster-caught-up", KafkaAndRegistry.bootstrapServers());
        String round = "round-" + UUID.randomUUID();
        assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);
        ConfigurableApplicationContext lagging = start("roster-lagging", KafkaAndRegistry.bootstrapServers(),
                "--homecoming.roster.catch-up-wait=0s", "--homecoming.roster.probe-every=1h");
        HttpResponse<String> before = send(lagging, "GET", "/api/v1/rounds/" + round, null, null);
        assertThat(before.statusCode()).as("the round read on the second instance before the writes: " + before.body())
                .isEqualTo(200);

        // when a list officer publishes a list of the round and starts it, through the first
        String list = "list-" + UUID.randomUUID();
        assertThat(upload(first, round, list, row(round + "-1", "Петренко")).statusCode()).isEqualTo(201);
        assertThat(send(first, "POST", "/api/v1/rounds/" + round + "/status", "application/json",
                "{\"status\": \"IN_PROGRESS\"}").statusCode()).isEqualTo(200);

        // then the instance that cannot read on does not answer its stale view (the round PLANNED, without the list)
        // as if it were the truth: it says it cannot tell yet
        assertNotCaughtUp(send(lagging, "GET", "/api/v1/rounds", null, null), "all rounds read on the lagging instance");
        assertNotCaughtUp(send(lagging, "GET", "/api/v1/rounds/" + round, null, null), "the round read on the lagging instance");
        assertNotCaughtUp(send(lagging, "GET", "/api/v1/rounds/" + round + "/lists", null, null),
                "the round's lists read on the lagging instance");

        // and the instance that reads on answers the officer's writes
        JsonNode rounds = JSON.readTree(send(first, "GET", "/api/v1/rounds", null, null).body());
        assertThat(rounds.findValues("roundId").stream().map(JsonNode::asText)).contains(round);
        JsonNode lists = JSON.readTree(send(first, "GET", "/api/v1/rounds/" + round + "/lists", null, null).body());
        assertThat(lists.findValuesAsString("listId")).containsExactly(list);
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
    void shouldStayReadyAndAnswerItsOwn503InTimeWhileItCannotReachTheBrokers() throws Exception {
        // given an instance on a broker of its own, ready; a broker outage hits every instance of the cluster at once
        ownBroker = startOwnBroker();
        ConfigurableApplicationContext instance = start("roster-losing-its-broker", ownBroker.getBrokersAsString(),
                "--homecoming.roster.catch-up-wait=3s", "--homecoming.roster.probe-every=1s");
        assertThat(readiness(instance).statusCode()).as("ready while the broker answers").isEqualTo(200);

        // when the broker goes away
        ownBroker.destroy();
        ownBroker = null;

        // then an operator sees since when the brokers have been unreachable, while readiness stays UP: a load
        // balancer with both instances DOWN would answer integrators its own bare 502/503
        await("the health details to say the brokers are unreachable").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    HttpResponse<String> readiness = readiness(instance);
                    assertThat(readiness.statusCode()).as("readiness without a broker: " + readiness.body()).isEqualTo(200);
                    JsonNode feed = JSON.readTree(readiness.body()).path("components").path("feed");
                    assertThat(feed.path("status").asText()).as(readiness.body()).isEqualTo("UP");
                    assertThat(feed.path("details").path("feed").asText()).as(readiness.body())
                            .startsWith("brokers unreachable since ");
                    assertThat(feed.path("details").has("brokersUnreachableSince")).as(readiness.body()).isTrue();
                });

        // and twelve uploads at once (one caller may have 16 in progress) are each answered the roster's own 503 with
        // Retry-After within about the wait (3 s; the end offsets get at least 1 s), none queued behind the others'
        // catch-ups: queued, the last would wait 11 x 1 s and more (1.5 s each when this was measured). The bound lies
        // well away from both, so a slow machine does not make this fail
        String round = "round-" + UUID.randomUUID();
        List<CompletableFuture<Timed>> uploads = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            long start = System.nanoTime();
            uploads.add(HTTP.sendAsync(uploadRequest(instance, round, "list-" + i, row(round + "-" + i, "Петренко")),
                            HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Timed(response, Duration.ofNanos(System.nanoTime() - start))));
        }
        for (CompletableFuture<Timed> upload : uploads) {
            Timed answered = upload.get(90, TimeUnit.SECONDS);
            assertNotCaughtUp(answered.response(), "an upload while the brokers are away");
            assertThat(answered.took()).as("how long an upload waited while the brokers are away")
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void shouldAnswerReadsAt503AtOnceWhileTheBrokersAreUnreachableInsteadOfQueueingThemBehindACatchUp() throws Exception {
        // given an instance whose catch-ups may wait long (20 s), and whose background catch-up runs every second
        ownBroker = startOwnBroker();
        ConfigurableApplicationContext instance = start("roster-failing-over", ownBroker.getBrokersAsString(),
                "--homecoming.roster.catch-up-wait=20s", "--homecoming.roster.probe-every=1s");
        assertThat(readiness(instance).statusCode()).as("ready while the broker answers").isEqualTo(200);

        // when the broker goes away, and a catch-up has found it unreachable
        ownBroker.destroy();
        ownBroker = null;
        await("the health details to say the brokers are unreachable").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(JSON.readTree(readiness(instance).body())
                        .path("components").path("feed").path("details").path("feed").asText())
                        .startsWith("brokers unreachable since "));

        // and twelve reads come at once
        List<CompletableFuture<Timed>> reads = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            long start = System.nanoTime();
            reads.add(HTTP.sendAsync(ListOfficerCalls.request(instance, "GET", "/api/v1/rounds", null, null),
                            HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Timed(response, Duration.ofNanos(System.nanoTime() - start))));
        }

        // then each is answered the roster's own 503 with Retry-After, and all but the one that may run the catch-up
        // itself (up to its 20 s) at once, not after waiting for a catch-up that cannot reach the brokers: queued, each
        // waited out the whole 20 s. 10 s lies far from both
        List<Duration> took = new ArrayList<>();
        for (CompletableFuture<Timed> read : reads) {
            Timed answered = read.get(120, TimeUnit.SECONDS);
            assertNotCaughtUp(answered.response(), "a read while the brokers are away");
            took.add(answered.took());
        }
        assertThat(took).as("how long the reads waited while the brokers are away")
                .filteredOn(waited -> waited.compareTo(Duration.ofSeconds(10)) < 0).hasSizeGreaterThanOrEqualTo(11);
    }

    @Test
    void shouldNotLoseTheRecordsAfterOneWhoseDeadLetterCouldNotBeSent() throws Exception {
        // given an instance whose dead letters cannot be sent for a moment (their topic is away: sends time out)
        ConfigurableApplicationContext instance = start("roster-dead-letter-fails", KafkaAndRegistry.bootstrapServers(),
                "--spring.kafka.producer.properties.max.block.ms=2000");
        Topic<String, ExchangeRoundRecorded> topic = Topics.EXCHANGE_ROUNDS;
        String round = "round-after-poison-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            int partitions = admin.describeTopics(Set.of(topic.deadLetterTopic())).allTopicNames().get()
                    .get(topic.deadLetterTopic()).partitions().size();
            admin.deleteTopics(Set.of(topic.deadLetterTopic())).all().get();
            try {
                // and, in one partition, an unreadable record followed by a round recorded by another instance
                TopicProbe.produceRaw(topic.name(), round, "not Avro".getBytes(StandardCharsets.UTF_8));
                TopicProbe.produce(topic, round, recorded(round));

                // when the round is read while the dead letter cannot go out
                HttpResponse<String> first = send(instance, "GET", "/api/v1/rounds/" + round, null, null);
                assertThat(first.statusCode()).as("the read while the dead letter cannot be sent: " + first.body())
                        .isNotEqualTo(200);
            } finally {
                await("the dead-letter topic to be back").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .untilAsserted(() -> admin.createTopics(List.of(new NewTopic(topic.deadLetterTopic(), partitions, (short) 1)
                                .configs(topic.deadLetterSettings(0)))).all().get());
            }
        }

        // then, once dead letters go out again, the round after the unreadable record is in the view, not lost with it
        await("the round after the unreadable record to be read").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    HttpResponse<String> read = send(instance, "GET", "/api/v1/rounds/" + round, null, null);
                    assertThat(read.statusCode()).as("the read of the round after the unreadable record: " + read.body())
                            .isEqualTo(200);
                });
    }

    @Test
    void shouldAnswerAnUploadTheBrokerRefusesByAclWith500NotAsBrokersUnreachable() throws Exception {
        // given an instance on a broker that authorises by ACL (everything allowed where no ACL says otherwise), and a
        // round recorded through it that its catch-up has not read back yet (no background catch-up meanwhile)
        ownBroker = startOwnBroker(Map.of("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "true"));
        ConfigurableApplicationContext instance = start("roster-refused-by-acl", ownBroker.getBrokersAsString(),
                "--homecoming.roster.probe-every=1h");
        String round = "round-" + UUID.randomUUID();
        assertThat(send(instance, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ownBroker.getBrokersAsString()))) {
            // when the broker refuses the roster the read of the rounds topic (an operator's ACL change gone wrong) and
            // a list officer uploads a list, whose catch-up reads that topic
            AclBinding noRead = deny(Topics.EXCHANGE_ROUNDS.name(), AclOperation.READ);
            grant(admin, noRead);
            String refusedAtRead = "list-" + UUID.randomUUID();
            HttpResponse<String> atRead = upload(instance, round, refusedAtRead, row(round + "-1", "Петренко"));

            // then it is a server error, not "could not reach the Kafka brokers" with Retry-After: retrying will not help
            assertRefusedByTheBroker(atRead, "the upload whose catch-up the broker refused");
            // and an operator sees that in the health details, not "read to the topics' end" (so before, tried)
            HttpResponse<String> readiness = readiness(instance);
            assertThat(JSON.readTree(readiness.body()).path("components").path("feed").path("details").path("feed").asText())
                    .as("the health details after a refused catch-up: " + readiness.body())
                    .startsWith("the latest catch-up failed (TopicAuthorizationException)");

            // and when the broker refuses instead the write of the listed persons, the upload's publication
            revoke(admin, noRead);
            AclBinding noWrite = deny(Topics.LISTED_PERSONS.name(), AclOperation.WRITE);
            grant(admin, noWrite);
            String refusedAtWrite = "list-" + UUID.randomUUID();
            HttpResponse<String> atWrite = upload(instance, round, refusedAtWrite, row(round + "-2", "Коваль"));

            // then that is a server error too, neither 503 nor a 409 "changed by another request", and nothing of it is
            // published
            assertRefusedByTheBroker(atWrite, "the upload whose publication the broker refused");
            revoke(admin, noWrite);
            HttpResponse<String> lists = send(instance, "GET", "/api/v1/rounds/" + round + "/lists", null, null);
            assertThat(lists.statusCode()).as("the round's lists once the ACLs are gone: " + lists.body()).isEqualTo(200);
            assertThat(JSON.readTree(lists.body()).findValuesAsString("listId")).as("lists published").isEmpty();
        }
    }

    private static AclBinding deny(String topic, AclOperation operation) {
        // a client on a PLAINTEXT listener is User:ANONYMOUS
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:ANONYMOUS", "*", operation, AclPermissionType.DENY));
    }

    private static void grant(Admin admin, AclBinding acl) throws Exception {
        admin.createAcls(List.of(acl)).all().get(30, TimeUnit.SECONDS);
        // the one node answers from its own authorizer: once it lists the ACL, it applies it
        await("the ACL to be in force").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.describeAcls(acl.toFilter()).values().get(30, TimeUnit.SECONDS)).contains(acl));
    }

    private static void revoke(Admin admin, AclBinding acl) throws Exception {
        admin.deleteAcls(List.of(acl.toFilter())).all().get(30, TimeUnit.SECONDS);
        await("the ACL to be gone").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.describeAcls(acl.toFilter()).values().get(30, TimeUnit.SECONDS)).isEmpty());
    }

    private static void assertRefusedByTheBroker(HttpResponse<String> answer, String what) {
        assertThat(answer.statusCode()).as(what + ": " + answer.body()).isBetween(500, 599).isNotEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).as(what + ": Retry-After").isEmpty();
        assertThat(answer.body()).as(what).doesNotContain("could not reach the Kafka brokers", "not-caught-up",
                "changed by another request");
    }

    private record Timed(HttpResponse<String> response, Duration took) {
    }

    private static ExchangeRoundRecorded recorded(String round) {
        return ExchangeRoundRecorded.newBuilder().setRoundId(round).setAgreementReference("AGR-TEST")
                .setStage(1).setStageCount(3).setExchangeDate(LocalDate.of(2026, 12, 5))
                .setReleasingSide(Side.RU).setReceivingSide(Side.UA).setPlannedSoldiers(10).setPlannedCivilians(10)
                .setStatus(RoundStatus.PLANNED).setRecordedAt(Instant.now()).build();
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
        // as an operator: anonymous callers see the status only
        return call(HttpRequest.newBuilder(URI.create(base(instance) + "/actuator/health/readiness"))
                .header("Authorization", TestTokens.bearer("ops-1", Roles.OPS_VIEWER))
                .timeout(Duration.ofSeconds(20)).GET().build());
    }

    private static String row(String personId, String surname) {
        return personId + "," + surname + ",Олександр,,,,,,SOLDIER,,,\n";
    }
}

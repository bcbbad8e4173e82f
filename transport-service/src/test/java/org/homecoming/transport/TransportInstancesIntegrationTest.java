package org.homecoming.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.platform.security.Roles;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TestTokens;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.testkit.TransactionPause;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.handovers.HandoverPublicationHook;
import org.homecoming.transport.manifests.ManifestPublicationHook;
import org.homecoming.transport.movements.TripSnapshot;
import org.homecoming.transport.movements.Trips;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two transport instances on one broker, as two application contexts with the same configuration (the same stream
 * application id; each its own instance id, port and state directory): a bus's decisions hold across them, a read on
 * one sees a write on the other, and when one stops the other finishes its stream work. The tests that leave the pair
 * as they found it share one pair ({@link OnOneRunningPair}), since each start costs seconds; those that stop an
 * instance start their own ({@link EachWithInstancesOfItsOwn}).
 */
@ExtendWith(KafkaAndRegistry.class)
class TransportInstancesIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** The partner whose trackers report every bus of this test, on its own intake topic. */
    static final String PARTNER = "partner-a";
    static final String TRACKERS = "bus-trackers";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The test's round, whose persons {@code round-1} to {@code round-24} are listed for it alone. */
    String round;
    ConfigurableApplicationContext first;
    ConfigurableApplicationContext second;

    private void startTwoInstances() {
        String run = UUID.randomUUID().toString();
        first = start("transport-a", run);
        second = start("transport-b", run);
    }

    private void givenBothKnowTheListedPersonsOfANewRound() {
        round = "round-" + UUID.randomUUID();
        for (int i = 1; i <= 24; i++) {
            listing(round + "-" + i);
        }
        await().atMost(TIMEOUT).alias("both ledgers follow roster's listed persons").until(() ->
                first.getBean(TransportLedger.class).listing(round + "-24").isPresent()
                        && second.getBean(TransportLedger.class).listing(round + "-24").isPresent());
        await().atMost(TIMEOUT).alias("both stream processors hold a copy of every trip").until(() ->
                send(first, "GET", "/api/v1/buses", null).statusCode() == 200
                        && send(second, "GET", "/api/v1/buses", null).statusCode() == 200);
    }

    /** Stops whichever instances are still running, a held decision let go first. */
    private void stopAll() {
        for (ConfigurableApplicationContext context : java.util.Arrays.asList(first, second)) {
            if (context != null && context.isActive()) {
                context.getBean(TransactionPause.class).release();
                context.close();
            }
        }
    }

    /**
     * The tests that only use the running pair and leave it as they found it (a held decision is released): one pair
     * serves them all, started once, and each gets persons of a round of its own.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnOneRunningPair {

        @BeforeAll
        void givenTwoInstances() {
            startTwoInstances();
        }

        @BeforeEach
        void givenTheListedPersonsOfANewRound() {
            givenBothKnowTheListedPersonsOfANewRound();
        }

        @AfterEach
        void releaseWhatTheTestHeld() {
            for (ConfigurableApplicationContext context : List.of(first, second)) {
                context.getBean(TransactionPause.class).release();
            }
        }

        @AfterAll
        void stopThem() {
            stopAll();
        }

        @Test
        void shouldPublishAReadingSentToBothInstancesOnce() {
            // given a bus with a manifest
            String bus = "bus-" + UUID.randomUUID();
            assertThat(manifest(first, bus, round + "-1").statusCode()).isEqualTo(201);
            String batch = batch(Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60), 3);

            // when a tracker sends the same batch to one instance, then to the other
            HttpResponse<String> once = positions(first, bus, batch);
            HttpResponse<String> again = positions(second, bus, batch);

            // then the readings are published once
            assertThat(JSON.readTree(once.body()).get("published").asInt()).as(once.body()).isEqualTo(3);
            assertThat(JSON.readTree(again.body()).get("published").asInt()).as("the same batch on the other instance: "
                    + again.body()).isZero();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(TopicProbe.readAll(Topics.BUS_POSITIONS))
                    .filteredOn(record -> record.key().equals(bus)).as("each reading once on the topic").hasSize(3));
        }

        @Test
        void shouldRegisterOneOfTwoBusesClaimingAPersonAtTheSameMomentAndAnswerTheOther409() throws Exception {
            // given the first instance inside the transaction of a manifest carrying a person
            String person = round + "-12";
            String bus = "bus-" + UUID.randomUUID();
            String rival = "rival-" + bus;
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.arm();
            CompletableFuture<HttpResponse<String>> onFirst = CompletableFuture.supplyAsync(() -> manifest(first, bus, person));
            assertThat(pause.awaitPaused()).as("the first registration reached its transaction").isTrue();

            // when another bus claims the same person on the second instance meanwhile
            HttpResponse<String> onSecond = manifest(second, rival, person);
            pause.release();
            HttpResponse<String> firstAnswer = onFirst.get(60, TimeUnit.SECONDS);

            // then one bus carries the person, and the other registration is told that nothing was published
            assertThat(onSecond.statusCode()).as("the second registration: " + onSecond.body()).isEqualTo(201);
            assertThat(firstAnswer.statusCode()).as("the first registration: " + firstAnswer.body()).isEqualTo(409);
            assertThat(firstAnswer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(TopicProbe.readAll(Topics.BUS_MANIFESTS)).filteredOn(record -> record.value().getPersonIds().contains(person))
                    .extracting(record -> record.key()).as("the buses carrying the person").containsExactly(rival);
        }

        @Test
        void shouldRecordAHandOverAndAnAdmissionMadeOnBothInstancesAtTheSameMomentOnceAndAnswerTheLoser409() throws Exception {
            // given a bus that has arrived at the reception point, as both instances see it
            String person = round + "-13";
            String bus = "bus-" + UUID.randomUUID();
            assertThat(manifest(first, bus, person, round + "-14").statusCode()).isEqualTo(201);
            CrossingGeography geography = first.getBean(CrossingGeography.class);
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
            Instant atReception = start.plus(Duration.ofHours(2));
            String trip = "[" + reading(geography.origin().center(), start) + ","
                    + reading(geography.receptionPoint().center(), atReception) + ","
                    + reading(geography.receptionPoint().center(), atReception.plusSeconds(15)) + ","
                    + reading(geography.receptionPoint().center(), atReception.plusSeconds(30)) + "]";
            assertThat(positions(first, bus, trip).statusCode()).isEqualTo(202);
            for (ConfigurableApplicationContext instance : List.of(first, second)) {
                await().atMost(TIMEOUT).alias("the bus arrived, on " + instance.getId()).ignoreExceptions().until(() ->
                        instance.getBean(Trips.class).find(bus).map(found -> found.phase() == TripSnapshot.Phase.ARRIVED).orElse(false));
            }

            // when the first instance is inside the transaction of the person's hand-over, and the second records it meanwhile
            HttpResponse<String>[] handedOver = race(() -> handover(first, person, bus, "URGENT"), () -> handover(second, person, bus, "MINOR"));

            // then the second's hand-over is the person's only one, and the first is told that nothing was published
            assertThat(handedOver[1].statusCode()).as("the second instance's hand-over: " + handedOver[1].body()).isEqualTo(201);
            assertThat(handedOver[0].statusCode()).as("the first instance's hand-over: " + handedOver[0].body()).isEqualTo(409);
            assertThat(TopicProbe.readAll(Topics.PERSON_ARRIVALS)).filteredOn(record -> record.key().equals(person))
                    .extracting(record -> record.value().getTriageLevel().name()).as("the person's hand-overs").containsExactly("MINOR");

            // when the same race is run for the person's admission
            HttpResponse<String>[] admitted = race(() -> admission(first, person), () -> admission(second, person));

            // then the person is admitted once
            assertThat(admitted[1].statusCode()).as("the second instance's admission: " + admitted[1].body()).isEqualTo(201);
            assertThat(admitted[0].statusCode()).as("the first instance's admission: " + admitted[0].body()).isEqualTo(409);
            assertThat(TopicProbe.readAll(Topics.FACILITY_ADMISSIONS)).filteredOn(record -> record.key().equals(person))
                    .as("the person's admissions").hasSize(1);
        }

        @Test
        void shouldSeeOnOneInstanceTheManifestsRegisteredOnTheOther() {
            for (int i = 1; i <= 10; i++) {
                // given a manifest registered on the first instance
                String bus = "bus-" + i + "-" + UUID.randomUUID();
                assertThat(manifest(first, bus, round + "-" + i).statusCode()).isEqualTo(201);

                // then the second answers it at once, and refuses a second bus for the same person
                HttpResponse<String> read = send(second, "GET", "/api/v1/buses/" + bus, null);
                assertThat(read.statusCode()).as("read on the other instance, bus " + i + ": " + read.body()).isEqualTo(200);
                HttpResponse<String> rival = manifest(second, "rival-" + bus, round + "-" + i);
                assertThat(rival.statusCode()).as("a second bus for the same person: " + rival.body()).isEqualTo(400);
                assertThat(rival.body()).contains("already rides bus " + bus);
            }
        }

        @Test
        void shouldShowOnEitherInstanceTheTripOfEveryBus() {
            // given one bus in each partition of the trip store, so that each instance processes some of them
            Map<Integer, String> busPerPartition = new TreeMap<>();
            while (busPerPartition.size() < Topics.BUS_POSITIONS.partitions()) {
                String bus = "bus-" + UUID.randomUUID();
                busPerPartition.putIfAbsent(Trips.partitionOf(bus), bus);
            }
            List<String> buses = List.copyOf(busPerPartition.values());
            for (int i = 0; i < buses.size(); i++) {
                assertThat(manifest(first, buses.get(i), round + "-" + (i + 1)).statusCode()).isEqualTo(201);
            }

            // when their trackers report positions through the first instance
            String batch = batch(Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60), 3);
            buses.forEach(bus -> assertThat(positions(first, bus, batch).statusCode()).isEqualTo(202));

            // then both instances show every bus with its last position, whichever instance processes its trip
            for (ConfigurableApplicationContext instance : List.of(first, second)) {
                await().atMost(TIMEOUT).untilAsserted(() -> {
                    HttpResponse<String> all = send(instance, "GET", "/api/v1/buses", null);
                    assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
                    List<String> positioned = new ArrayList<>();
                    JSON.readTree(all.body()).forEach(bus -> {
                        if (!bus.path("lastPosition").isNull() && !bus.path("lastPosition").isMissingNode()) {
                            positioned.add(bus.get("busId").asString());
                        }
                    });
                    assertThat(positioned).as("buses with a position on " + instance.getId()).containsAll(buses);
                });
            }
        }
    }

    /** The tests that stop an instance: each gets a pair of its own, stopped after it. */
    @Nested
    class EachWithInstancesOfItsOwn {

        @BeforeEach
        void givenTwoInstancesThatKnowTheListedPersons() {
            startTwoInstances();
            givenBothKnowTheListedPersonsOfANewRound();
        }

        @AfterEach
        void stopThem() {
            stopAll();
        }

        @Test
        void shouldEndTheTransactionADeadInstanceLeftOpenSoThatAnotherRoundsManifestIsRegistered() throws Exception {
            // given a person listed in another round, and the first instance dead inside a manifest's transaction (its
            // record in the log, the transaction open: the thread stays there through the context's close)
            String otherRound = "round-" + UUID.randomUUID();
            listing(otherRound + "-1", otherRound);
            await().atMost(TIMEOUT).alias("the second ledger follows the other round's listing").until(() ->
                    second.getBean(TransportLedger.class).listing(otherRound + "-1").isPresent());
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.armAsDead();
            String deadBus = "bus-" + UUID.randomUUID();
            CompletableFuture<HttpResponse<String>> onFirst = CompletableFuture.supplyAsync(() -> manifest(first, deadBus, round + "-20"));
            assertThat(pause.awaitPaused()).as("the first registration reached its transaction").isTrue();
            first.close();

            // when a bus of the other round is registered on the survivor, whose ledger the open transaction holds back
            // until the coordinator's timeout (60 s), longer than a decision waits for the topics' end (10 s)
            String bus = "bus-" + UUID.randomUUID();
            HttpResponse<String> registered = send(second, "POST", "/api/v1/buses", """
                    {"busId": "%s", "roundId": "%s", "personIds": ["%s"],
                     "origin": "gomel-assembly-point", "receptionPoint": "chernihiv-reception-point"}"""
                    .formatted(bus, otherRound, otherRound + "-1"));

            // then it is registered: the dead instance's transaction was ended, and nothing of it became visible
            assertThat(registered.statusCode()).as("the other round's manifest: " + registered.body()).isEqualTo(201);
            pause.release();
            assertThat(onFirst.handle((answer, failure) -> answer == null ? -1 : answer.statusCode()).get(60, TimeUnit.SECONDS))
                    .as("the dead instance registered nothing").isNotIn(200, 201);
            assertThat(TopicProbe.readAll(Topics.BUS_MANIFESTS)).extracting(record -> record.key())
                    .contains(bus).doesNotContain(deadBus);
        }

        @Test
        void shouldFinishThePartnerReadingsOnTheOtherInstanceWhenOneStops() {
            // given four buses, and partner readings for them on the intake topic, processed by both instances
            List<String> buses = IntStream.rangeClosed(1, 4).mapToObj(i -> "bus-" + i + "-" + UUID.randomUUID()).toList();
            for (int i = 0; i < buses.size(); i++) {
                assertThat(manifest(second, buses.get(i), round + "-" + (20 + i)).statusCode()).isEqualTo(201);
            }
            GeoPoint origin = first.getBean(CrossingGeography.class).crossingPoint().center();
            Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
            IntStream.range(0, 20).forEach(n -> buses.forEach(bus -> reported(bus, origin, start.plusSeconds(n))));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(recorded(buses)).hasSizeGreaterThanOrEqualTo(40));

            // when the first instance stops in the middle of the stream, and more readings come
            first.close();
            IntStream.range(20, 40).forEach(n -> buses.forEach(bus -> reported(bus, origin, start.plusSeconds(n))));

            // then the second processes them all, each once
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(recorded(buses)).hasSize(160));
            assertThat(recorded(buses).stream().map(record -> record.key() + "@" + record.value().getRecordedAt()).distinct())
                    .as("no reading twice").hasSize(160);
        }
    }

    /** Runs {@code paused} on the first instance until it is inside its transaction, then {@code meanwhile}, then lets it go. */
    @SuppressWarnings("unchecked")
    private HttpResponse<String>[] race(java.util.function.Supplier<HttpResponse<String>> paused,
                                        java.util.function.Supplier<HttpResponse<String>> meanwhile) throws Exception {
        TransactionPause pause = first.getBean(TransactionPause.class);
        pause.arm();
        CompletableFuture<HttpResponse<String>> onFirst = CompletableFuture.supplyAsync(paused);
        assertThat(pause.awaitPaused()).as("the first instance reached its transaction (or answered %s)",
                onFirst.isDone() ? onFirst.join().statusCode() + " " + onFirst.join().body() : "nothing yet").isTrue();
        HttpResponse<String> onSecond = meanwhile.get();
        pause.release();
        return new HttpResponse[] {onFirst.get(60, TimeUnit.SECONDS), onSecond};
    }

    private static List<ConsumerRecord<String, BusPositionRecorded>> recorded(List<String> buses) {
        return TopicProbe.readAll(Topics.BUS_POSITIONS).stream().filter(record -> buses.contains(record.key())).toList();
    }

    private static void reported(String bus, GeoPoint at, Instant recordedAt) {
        TopicProbe.produce(Topics.busPositionIntake(PARTNER), bus, BusPositionReported.newBuilder().setBusId(bus)
                .setLatitude(at.latitude()).setLongitude(at.longitude()).setSpeedKmh(40.0).setRecordedAt(recordedAt).build());
    }

    private static String batch(Instant from, int readings) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            items.add("""
                    {"latitude": 51.9, "longitude": 31.2, "speedKmh": 40.0, "recordedAt": "%s"}""".formatted(from.plusSeconds(i * 15L)));
        }
        return "[" + String.join(",", items) + "]";
    }

    private static String reading(GeoPoint at, Instant recordedAt) {
        return """
                {"latitude": %s, "longitude": %s, "speedKmh": 40.0, "recordedAt": "%s"}""".formatted(at.latitude(), at.longitude(), recordedAt);
    }

    private static HttpResponse<String> handover(ConfigurableApplicationContext instance, String person, String bus, String triage) {
        return send(instance, "POST", "/api/v1/handovers", """
                {"personId": "%s", "busId": "%s", "identityVerified": true, "triageLevel": "%s",
                 "destinationFacility": "chernihiv-regional-hospital"}""".formatted(person, bus, triage));
    }

    private static HttpResponse<String> admission(ConfigurableApplicationContext instance, String person) {
        return send(instance, "POST", "/api/v1/admissions", """
                {"personId": "%s", "facility": "chernihiv-regional-hospital"}""".formatted(person));
    }

    private HttpResponse<String> manifest(ConfigurableApplicationContext instance, String bus, String... persons) {
        return send(instance, "POST", "/api/v1/buses", """
                {"busId": "%s", "roundId": "%s", "personIds": ["%s"],
                 "origin": "gomel-assembly-point", "receptionPoint": "chernihiv-reception-point", "trackedBy": "%s",
                 "trackerClient": "%s"}""".formatted(bus, round, String.join("\", \"", persons), PARTNER, TRACKERS));
    }

    /** A batch of readings from the trackers' client, which every manifest here names. */
    private static HttpResponse<String> positions(ConfigurableApplicationContext instance, String bus, String batch) {
        return send(instance, "POST", "/api/v1/buses/" + bus + "/positions", batch, TestTokens.clientBearer(TRACKERS, Roles.TRACKER));
    }

    private static ConfigurableApplicationContext start(String instance, String run) {
        // A stream application of their own: the cached context of another test class in this JVM may still be a
        // member of transport-movements, and a third member would hold some of the trips.
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.shutdown=immediate",
                "--spring.kafka.streams.application-id=transport-movements-" + run,
                "--homecoming.transport.instance-id=" + instance, "--homecoming.partners=" + PARTNER,
                "--spring.kafka.streams.state-dir=" + System.getProperty("java.io.tmpdir") + "/homecoming-streams/transport-"
                        + run + "-" + instance));
        arguments.addAll(TestTokens.resourceServerArguments());
        return new SpringApplicationBuilder(TransportApplication.class, PauseInsideTheTransaction.class).properties(TransportApplication.CONFIG_NAME)
                .run(arguments.toArray(String[]::new));
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext instance, String method, String path, String body) {
        return send(instance, method, path, body, TestTokens.bearer("transport-1", Roles.TRANSPORT_OFFICER, Roles.OPS_VIEWER,
                Roles.RECEPTION_STAFF));
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext instance, String method, String path, String body,
                                             String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + instance.getEnvironment().getProperty("local.server.port") + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registered as a source of these contexts only: the next manifest, hand-over, admission or close, once armed, waits
     * inside its transaction until released. Armed again, it pauses the next one.
     */
    static class PauseInsideTheTransaction {
        @Bean
        TransactionPause transactionPause() {
            return new TransactionPause();
        }

        @Bean
        ManifestPublicationHook pauseAfterTheManifest(TransactionPause pause) {
            return pause::pauseIfArmed;
        }

        @Bean
        HandoverPublicationHook pauseAfterTheHandover(TransactionPause pause) {
            return pause::pauseIfArmed;
        }
    }

    private void listing(String personId) {
        listing(personId, round);
    }

    private static void listing(String personId, String roundId) {
        TopicProbe.produce(Topics.LISTED_PERSONS, personId, PersonListingChanged.newBuilder()
                .setPersonId(personId).setChange(ListingChange.LISTED).setRoundId(roundId).setListId("list-" + roundId)
                .setListVersion(1).setReleasingSide(Side.RU).setNativeName(new PersonName("Тестовий", "Особа", null))
                .setCategory(PersonCategory.CIVILIAN).setChangedAt(Instant.now()).build());
    }
}

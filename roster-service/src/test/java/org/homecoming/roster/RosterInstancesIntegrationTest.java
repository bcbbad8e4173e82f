package org.homecoming.roster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.platform.lifecycle.StartupStep;
import org.homecoming.roster.lists.ListPublicationHook;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TestTokens;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.testkit.TransactionPause;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.homecoming.roster.ListOfficerCalls.upload;
import static org.homecoming.roster.ListOfficerCalls.send;
import static org.homecoming.roster.ListOfficerCalls.roundTerms;
import static org.awaitility.Awaitility.await;

/**
 * Two roster instances on one broker, as two application contexts with the same configuration (and each its own
 * instance id and port): a round's changes are serialized across them, and a read on one sees a write on the other.
 * The tests that leave the pair as they found it share one pair ({@link OnOneRunningPair}), since each start costs
 * seconds; those that stop, kill or restart an instance start their own ({@link EachWithInstancesOfItsOwn}).
 */
@ExtendWith(KafkaAndRegistry.class)
class RosterInstancesIntegrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    ConfigurableApplicationContext first;
    ConfigurableApplicationContext second;
    /** The held uploads' own threads: each blocks until its instance's pause is released (never the common pool's). */
    private final ExecutorService heldUploads = Executors.newCachedThreadPool();

    private void startTwoInstances() {
        first = start("roster-a");
        second = start("roster-b");
    }

    /** Stops whichever instances are still running (a held upload let go first) and the held uploads' threads. */
    private void stopAll() {
        for (ConfigurableApplicationContext context : java.util.Arrays.asList(first, second)) {
            if (context != null && context.isActive()) {
                context.getBean(TransactionPause.class).release();
                context.close();
            }
        }
        heldUploads.shutdownNow();
    }

    /**
     * The tests that only use the running pair and leave it as they found it (a held upload is released, the pause point
     * put back): one pair serves them all, started once, since each works on rounds and lists of its own.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnOneRunningPair {

        @BeforeAll
        void givenTwoInstances() {
            startTwoInstances();
        }

        @AfterEach
        void releaseWhatTheTestHeld() {
            for (ConfigurableApplicationContext context : List.of(first, second)) {
                context.getBean(TransactionPause.class).release();
                context.getBean(PauseInsideTheTransaction.class).pauseAfter.set(1);
            }
        }

        @AfterAll
        void stopThem() {
            stopAll();
        }

        @Test
        void shouldReadOnOneInstanceWhatWasWrittenOnTheOther() throws Exception {
            // given a round recorded on the first instance
            String round = "round-" + UUID.randomUUID();
            assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);

            // when the second is asked at once, then it knows it
            HttpResponse<String> read = send(second, "GET", "/api/v1/rounds/" + round, null, null);
            assertThat(read.statusCode()).as("the second instance reads the round: " + read.body()).isEqualTo(200);
            assertThat(JSON.readTree(send(second, "GET", "/api/v1/rounds", null, null).body()).findValuesAsString("roundId"))
                    .as("the second instance's list of rounds").contains(round);

            // and a list published and a status changed on the second are read on the first at once
            String list = "list-" + UUID.randomUUID();
            assertThat(upload(second, round, list, row(round + "-1", "Петренко")).statusCode()).isEqualTo(201);
            assertThat(send(second, "POST", "/api/v1/rounds/" + round + "/status", "application/json",
                    "{\"status\": \"IN_PROGRESS\"}").statusCode()).isEqualTo(200);
            JsonNode lists = JSON.readTree(send(first, "GET", "/api/v1/rounds/" + round + "/lists", null, null).body());
            assertThat(lists.findValuesAsString("listId")).containsExactly(list);
            assertThat(JSON.readTree(send(first, "GET", "/api/v1/rounds/" + round, null, null).body()).get("status").asText())
                    .isEqualTo("IN_PROGRESS");
            assertThat(send(first, "GET", "/api/v1/persons/" + round + "-1", null, null).statusCode()).isEqualTo(200);
        }

        @Test
        void shouldPublishOneOfTwoConcurrentVersionsOfAListAndAnswerTheOther409() throws Exception {
            // given a round, and the first instance inside the transaction of version 1 of a list
            String round = "round-" + UUID.randomUUID();
            String list = "list-" + UUID.randomUUID();
            recordOnBoth(round);
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.arm();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, round, list);

            // when another version of the same list is uploaded to the second instance meanwhile
            HttpResponse<String> onSecond = upload(second, round, list, row(round + "-3", "Мельник"));
            pause.release();
            HttpResponse<String> firstAnswer = onFirst.get(60, TimeUnit.SECONDS);

            // then exactly one is published, and the other is told why nothing was
            assertThat(onSecond.statusCode()).as("the second upload: " + onSecond.body()).isEqualTo(201);
            assertThat(firstAnswer.statusCode()).as("the first upload: " + firstAnswer.body()).isEqualTo(409);
            assertThat(firstAnswer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(firstAnswer.body()).get("detail").asText())
                    .contains("changed by another request at the same moment", "nothing was published");
            assertOneVersionWithOnly(list, round + "-3");
            JsonNode onFirstNow = JSON.readTree(send(first, "GET", "/api/v1/rounds/" + round + "/lists/" + list, null, null).body());
            assertThat(onFirstNow.findValuesAsString("personId")).containsExactly(round + "-3");
        }

        @Test
        void shouldGiveAListIdToOneRoundOnlyWhenTwoRoundsTakeItAtTheSameMomentOnTwoInstances() throws Exception {
            // given two rounds, and the first instance about to send a new list of the first round: its checks passed, and
            // nothing of it is in the log yet
            String firstRound = "round-" + UUID.randomUUID();
            String secondRound = "round-" + UUID.randomUUID();
            String list = "list-" + UUID.randomUUID();
            recordOnBoth(firstRound);
            recordOnBoth(secondRound);
            TransactionPause pause = first.getBean(TransactionPause.class);
            first.getBean(PauseInsideTheTransaction.class).pauseAfter.set(0);
            pause.arm();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, firstRound, list);

            // when a list with the same id is uploaded meanwhile to the other round, on the second instance
            HttpResponse<String> onSecond = upload(second, secondRound, list, row(secondRound + "-3", "Мельник"));
            pause.release();
            HttpResponse<String> firstAnswer = onFirst.get(60, TimeUnit.SECONDS);

            // then the list id belongs to one round only: one upload is published, the other is told nothing was
            assertThat(onSecond.statusCode()).as("the second upload: " + onSecond.body()).isEqualTo(201);
            assertThat(firstAnswer.statusCode()).as("the first upload: " + firstAnswer.body()).isEqualTo(409);
            assertThat(JSON.readTree(firstAnswer.body()).get("detail").asText())
                    .contains("A list was changed by another request at the same moment", "nothing was published");
            assertOneVersionWithOnly(list, secondRound + "-3");
            assertThat(TopicProbe.readAll(Topics.RELEASE_LISTS).stream().map(record -> record.value())
                    .filter(header -> header.getListId().equals(list)).map(ReleaseListPublished::getRoundId))
                    .containsExactly(secondRound);

            // and a retry on the first round is refused with the reason
            HttpResponse<String> retried = upload(first, firstRound, list, row(firstRound + "-1", "Петренко"));
            assertThat(retried.statusCode()).as("the retry: " + retried.body()).isEqualTo(400);
            assertThat(retried.body()).contains("belongs to round " + secondRound);
        }

        @Test
        void shouldListAPersonInOneRoundOnlyWhenTwoRoundsListThemAtTheSameMomentOnTwoInstances() throws Exception {
            // given two rounds, and the first instance about to send a list of the first round: its checks passed, and
            // nothing of it is in the log yet
            String firstRound = "round-" + UUID.randomUUID();
            String secondRound = "round-" + UUID.randomUUID();
            String person = firstRound + "-1";
            recordOnBoth(firstRound);
            recordOnBoth(secondRound);
            TransactionPause pause = first.getBean(TransactionPause.class);
            first.getBean(PauseInsideTheTransaction.class).pauseAfter.set(0);
            pause.arm();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, firstRound, "list-" + UUID.randomUUID());

            // when the same person is listed meanwhile in the other round, on the second instance
            String secondList = "list-" + UUID.randomUUID();
            HttpResponse<String> onSecond = upload(second, secondRound, secondList, row(person, "Петренко"));
            pause.release();
            HttpResponse<String> firstAnswer = onFirst.get(60, TimeUnit.SECONDS);

            // then the person is on one open round's list only: one upload is published, the other is told nothing was
            assertThat(onSecond.statusCode()).as("the second upload: " + onSecond.body()).isEqualTo(201);
            assertThat(firstAnswer.statusCode()).as("the first upload: " + firstAnswer.body()).isEqualTo(409);
            assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS).stream().filter(record -> record.key().equals(person))
                    .map(record -> record.value().getRoundId()))
                    .containsExactly(secondRound);

            // and a retry on the first round is refused with the reason
            HttpResponse<String> retried = upload(first, firstRound, "list-" + UUID.randomUUID(), row(person, "Петренко"));
            assertThat(retried.statusCode()).as("the retry: " + retried.body()).isEqualTo(400);
            assertThat(retried.body()).contains("is already on list " + secondList + " of round " + secondRound);
        }

        @Test
        void shouldAnswerARetriedIdenticalListWithoutMakingAConcurrentUploadFail() throws Exception {
            // given a list published, and the first instance about to send another list of the same round: its checks
            // passed, and nothing of it is in the log yet
            String round = "round-" + UUID.randomUUID();
            String published = "list-" + UUID.randomUUID();
            recordOnBoth(round);
            HttpResponse<String> original = upload(first, round, published, row(round + "-5", "Шевченко"));
            assertThat(original.statusCode()).as("the list's first upload: " + original.body()).isEqualTo(201);
            TransactionPause pause = first.getBean(TransactionPause.class);
            first.getBean(PauseInsideTheTransaction.class).pauseAfter.set(0);
            pause.arm();
            String other = "list-" + UUID.randomUUID();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, round, other);

            // when an integrator retries the published list unchanged, through the second instance, meanwhile
            HttpResponse<String> retried = upload(second, round, published, row(round + "-5", "Шевченко"));
            pause.release();
            HttpResponse<String> firstAnswer = onFirst.get(60, TimeUnit.SECONDS);

            // then the retry is told the list is there as it sent it, and the other upload is published all the same
            assertThat(retried.statusCode()).as("the unchanged retry: " + retried.body()).isEqualTo(200);
            assertThat(JSON.readTree(retried.body()).get("version").asInt()).isEqualTo(1);
            assertThat(firstAnswer.statusCode()).as("the concurrent upload of another list: " + firstAnswer.body()).isEqualTo(201);
            assertOneVersionWithOnly(published, round + "-5");
            assertOneVersionWithOnly(other, round + "-1", round + "-2");
        }

        @Test
        void shouldRefuseAListWithRowErrorsWithoutMakingAConcurrentUploadFail() throws Exception {
            // given the first instance about to send a list: its checks passed, and nothing of it is in the log yet
            String round = "round-" + UUID.randomUUID();
            recordOnBoth(round);
            TransactionPause pause = first.getBean(TransactionPause.class);
            first.getBean(PauseInsideTheTransaction.class).pauseAfter.set(0);
            pause.arm();
            String other = "list-" + UUID.randomUUID();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, round, other);

            // when an integrator uploads a list with a row error through the second instance, meanwhile
            String wrong = "list-" + UUID.randomUUID();
            HttpResponse<String> refused = upload(second, round, wrong, round + "-7,Бондар,Олександр,,,,,,PIRATE,,,\n");
            pause.release();
            HttpResponse<String> firstAnswer = onFirst.get(60, TimeUnit.SECONDS);

            // then the integrator is told what is wrong, and the other officer's list is published all the same
            assertThat(refused.statusCode()).as("the upload with a row error: " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("nothing was published");
            assertThat(firstAnswer.statusCode()).as("the concurrent upload of another list: " + firstAnswer.body()).isEqualTo(201);
            assertOneVersionWithOnly(other, round + "-1", round + "-2");
        }
    }

    /**
     * The tests that stop, kill or restart an instance, or start one with settings or start-up steps of its own: each
     * starts the instances it needs, and they are stopped after it, so that no later test sees them.
     */
    @Nested
    class EachWithInstancesOfItsOwn {

        @AfterEach
        void stopThem() {
            stopAll();
        }

        @Test
        void shouldPublishAListOnTheOtherInstanceWhenOneDiesInsideItsTransaction() throws Exception {
            // given two instances, and the first inside the transaction of a list
            startTwoInstances();
            String round = "round-" + UUID.randomUUID();
            String list = "list-" + UUID.randomUUID();
            recordOnBoth(round);
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.arm();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, round, list);

            // when that instance stops there (its transaction left open) and the client sends the list to the other one
            first.close();
            HttpResponse<String> retried = upload(second, round, list, row(round + "-1", "Петренко") + row(round + "-2", "Коваль"));

            // then the other publishes it at once, once: the open transaction is aborted, not waited out
            assertThat(retried.statusCode()).as("the retry on the second instance: " + retried.body()).isEqualTo(201);
            pause.release();
            assertPublishedNothing(onFirst);
            assertOneVersionWithOnly(list, round + "-1", round + "-2");
        }

        @Test
        void shouldEndTheTransactionADeadInstanceLeftOpenSoThatAnotherRoundsChangeIsPublished() throws Exception {
            // given two instances, the first dead inside the transaction of a list of one round (its records in the log, open)
            startTwoInstances();
            String deadRound = "round-" + UUID.randomUUID();
            String otherRound = "round-" + UUID.randomUUID();
            recordOnBoth(deadRound);
            recordOnBoth(otherRound);
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.armAsDead();
            String deadList = "list-" + UUID.randomUUID();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, deadRound, deadList);
            first.close();

            // when a list of another round is uploaded to the surviving instance, which the open transaction would hold
            // back until the coordinator's timeout (30 s), longer than a change waits for the topics' end (10 s)
            String otherList = "list-" + UUID.randomUUID();
            HttpResponse<String> onSecond = upload(second, otherRound, otherList, row(otherRound + "-3", "Мельник"));

            // then it is published: the dead instance's transaction was ended, and nothing of it became visible
            assertThat(onSecond.statusCode()).as("the other round's upload: " + onSecond.body()).isEqualTo(201);
            pause.release();
            assertPublishedNothing(onFirst);
            assertOneVersionWithOnly(otherList, otherRound + "-3");
            assertThat(TopicProbe.readAll(Topics.RELEASE_LISTS).stream().map(record -> record.value().getListId()))
                    .doesNotContain(deadList);
        }

        @Test
        void shouldEndTheTransactionADeadInstanceLeftOpenWhileOnlyReadsKeepComing() throws Exception {
            // given two instances, the surviving one (the second) with a background catch-up that runs every second and
            // takes a transaction open for 2 s for abandoned, and whose reads wait 3 s for the topics' end
            first = start("roster-a");
            second = start("roster-b", "--homecoming.roster.probe-every=1s", "--homecoming.roster.abandoned-after=2s",
                    "--homecoming.roster.catch-up-wait=3s");
            // and the first instance dead inside the transaction of a list (its records in the log, open for the
            // coordinator's 30 s)
            String round = "round-" + UUID.randomUUID();
            recordOnBoth(round);
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.armAsDead();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, round, "list-" + UUID.randomUUID());
            first.close();

            // when list officers keep reading through the surviving instance, back to back (no change is made: reads never
            // end a transaction, so only the background catch-up can)
            AtomicInteger readsAnswered200 = new AtomicInteger();
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int reader = 0; reader < 2; reader++) {
                readers.add(CompletableFuture.runAsync(() -> {
                    while (System.nanoTime() < until && readsAnswered200.get() == 0) {
                        if (send(second, "GET", "/api/v1/rounds/" + round, null, null).statusCode() == 200) {
                            readsAnswered200.incrementAndGet();
                        }
                    }
                }, heldUploads));
            }
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            // then the dead transaction is ended long before the coordinator would have (30 s), and the reads are answered
            // again (this also passed on the code before the probe waited behind the reads: what ended the transaction
            // there is not established, so this guards the outcome, not that change)
            assertThat(readsAnswered200.get()).as("reads answered 200 within 20 s of the instance's death").isPositive();
            pause.release();
            assertPublishedNothing(onFirst);
        }

        @Test
        void shouldNotEndALiveUploadsTransactionForAReadThatWaitsBehindIt() throws Exception {
            // given two instances without background catch-ups (which may end a transaction open that long), the second of
            // which takes a transaction open for 2 s for abandoned and lets a request wait 8 s for the topics' end
            // (the first never ends a transaction open that long either). No other roster instance may run on the broker
            // meanwhile: one with the default probe ends a transaction open 5 s, as designed for a dead holder, and this
            // one is held longer. A @SpringBootTest class's cached context was such an instance, left running in this JVM
            // (the full runs of 2026-12-07 ran RosterIntegrationTest and RosterAccessTest before this class; with the
            // latter first, its probe was seen to fence the held upload, which then answered 500): those classes close
            // their contexts now (@DirtiesContext)
            first = start("roster-a", "--homecoming.roster.probe-every=1h", "--homecoming.roster.abandoned-after=1h");
            second = start("roster-b", "--homecoming.roster.probe-every=1h", "--homecoming.roster.abandoned-after=2s",
                    "--homecoming.roster.catch-up-wait=8s");
            // and the first instance alive inside the transaction of a list (slow to commit, as during a broker failover)
            String round = "round-" + UUID.randomUUID();
            String list = "list-" + UUID.randomUUID();
            recordOnBoth(round);
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.arm();
            CompletableFuture<HttpResponse<String>> onFirst = heldOnFirst(pause, round, list);

            // when a list officer reads the round's lists through the second, which cannot read past that transaction
            HttpResponse<String> read = send(second, "GET", "/api/v1/rounds/" + round + "/lists", null, null);

            // then the read is told to retry, and the upload, let go, is published: the read did not fence it (it did
            // after 2 s before, and the upload failed, tried)
            assertThat(read.statusCode()).as("the read behind the open transaction: " + read.body()).isEqualTo(503);
            assertThat(read.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            pause.release();
            HttpResponse<String> uploaded = onFirst.get(60, TimeUnit.SECONDS);
            assertThat(uploaded.statusCode()).as("the upload the read waited behind: " + uploaded.body()).isEqualTo(201);
            assertOneVersionWithOnly(list, round + "-1", round + "-2");
            await("the read once the upload is committed").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(JSON.readTree(send(second, "GET", "/api/v1/rounds/" + round + "/lists", null, null).body())
                            .findValuesAsString("listId")).containsExactly(list));
        }

        @Test
        void shouldNotAbortAnotherInstancesLiveUploadWhenASecondInstanceStarts() throws Exception {
            // given the first instance alone, with no background catch-up of its own that might end a transaction (so only
            // the starting instance could end the upload's)
            givenTheFirstInstanceAlone();
            String round = "round-" + UUID.randomUUID();
            String list = "list-" + UUID.randomUUID();
            assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);

            // when the second instance starts (a rolling restart) while a list officer's upload on the first is inside its
            // transaction: it enters it right before the start's fencing, and is let go right after it, before the
            // start-up read would wait behind it
            HttpResponse<String> upload = uploadHeldAcrossTheSecondsFencing(round, list, () -> { });

            // then the upload is published, once, and the started instance reads it (the start aborted it before: 409)
            assertThat(upload.statusCode()).as("the upload in flight while another instance started: " + upload.body())
                    .isEqualTo(201);
            assertOneVersionWithOnly(list, round + "-1", round + "-2");
            assertThat(JSON.readTree(send(second, "GET", "/api/v1/rounds/" + round + "/lists", null, null).body())
                    .findValuesAsString("listId")).as("the round's lists on the started instance").containsExactly(list);
        }

        @Test
        void shouldAbortAtStartARoundChangeOpenLongerThanAbandonedAfter() throws Exception {
            // given the first instance alone (no background catch-up of its own that might end a transaction), inside the
            // transaction of a list of a round
            givenTheFirstInstanceAlone();
            String round = "round-" + UUID.randomUUID();
            String list = "list-" + UUID.randomUUID();
            assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);

            // when a second instance, which takes a transaction open for 2 s for abandoned, starts once the upload's
            // transaction has been open longer than that (as one a dead instance left), and the upload is let go right
            // after the start's fencing, before the start-up read could end it
            HttpResponse<String> upload = uploadHeldAcrossTheSecondsFencing(round, list,
                    () -> awaitOpenLongerThan(Duration.ofSeconds(2), "roster-round-" + round + "-"),
                    "--homecoming.roster.abandoned-after=2s");

            // then the start's fencing aborted it: the uploader is told nothing was published, and nothing of it is there
            assertThat(upload.statusCode()).as("the upload open longer than abandoned-after: " + upload.body()).isEqualTo(409);
            assertThat(JSON.readTree(upload.body()).get("detail").asText()).contains("nothing was published");
            assertThat(TopicProbe.readAll(Topics.RELEASE_LISTS).stream().map(record -> record.value().getListId()))
                    .as("versions of the aborted list").doesNotContain(list);
            assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS).stream().map(record -> record.key()))
                    .as("persons of the aborted list").doesNotContain(round + "-1", round + "-2");
        }

        @Test
        void shouldStartWithinSecondsWhenADeadInstanceLeftAYoungRoundChangeOpen() throws Exception {
            // given the first instance alone, whose transactions the coordinator would abort only after ten minutes
            first = start("roster-a", "--homecoming.roster.probe-every=1h", "--homecoming.roster.abandoned-after=1h",
                    "--spring.kafka.producer.properties.transaction.timeout.ms=600000");
            String round = "round-" + UUID.randomUUID();
            String list = "list-" + UUID.randomUUID();
            assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);
            TransactionPause pause = first.getBean(TransactionPause.class);
            pause.armAsDead();

            // when the second instance starts while the first is inside a list's transaction, and the first dies there
            // right after the start's fencing (which leaves so young a transaction alone), before the start-up read
            CompletableFuture<CompletableFuture<HttpResponse<String>>> onFirst = new CompletableFuture<>();
            AtomicLong died = new AtomicLong();
            second = start("roster-b", List.of(
                    beforeTheFencing(() -> onFirst.complete(heldOnFirst(pause, round, list))),
                    afterTheFencing(() -> {
                        first.close();
                        died.set(System.nanoTime());
                    })));
            Duration startUpRead = Duration.ofNanos(System.nanoTime() - died.get());

            // then the start-up read's own fence ended the dead transaction once it had held the read back for
            // abandoned-after (5 s; about 8 s from the death in the run seen), not the coordinator after ten minutes (the
            // start would have failed first, at the start-up read's bound of five), and nothing of it is visible
            assertThat(startUpRead).as("from the death to the started instance").isLessThan(Duration.ofSeconds(30));
            pause.release();
            assertPublishedNothing(onFirst.get(60, TimeUnit.SECONDS));
            assertThat(TopicProbe.readAll(Topics.RELEASE_LISTS).stream().map(record -> record.value().getListId()))
                    .as("versions of the dead instance's list").doesNotContain(list);
            assertThat(send(second, "GET", "/api/v1/rounds/" + round + "/lists", null, null).statusCode())
                    .as("a read on the started instance").isEqualTo(200);
        }

        @Test
        void shouldFenceAtStartOnlyTheRoundTransactionThatHoldsTheStartUpRead() throws Exception {
            // given no roster instance running, and a partition no roster read waits on: it stands for the partitions of a
            // live upload on another instance whose leader is gone in a broker's failover, which a catch-up cannot fetch
            // and so does not count as held (its upload stalls there, open, until the new leader takes its records)
            String elsewhere = "roster-test.elsewhere-" + UUID.randomUUID();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(elsewhere, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            String round = "round-" + UUID.randomUUID();
            try (KafkaProducer<String, byte[]> dead = roundTransaction("roster-round-" + round + "-dead");
                 KafkaProducer<String, byte[]> live = roundTransaction("roster-round-" + round + "-live")) {

                // when an instance that takes a transaction open for 2 s for abandoned starts, and right after its start's
                // fencing (before its start-up read) two round transactions are open: one a dead instance left on a
                // roster partition, which holds that read back, and a live one on the other partition only
                second = start("roster-b", List.of(afterTheFencing(() -> {
                    dead.beginTransaction();
                    dead.send(new ProducerRecord<>(Topics.EXCHANGE_ROUNDS.name(), 0, round, new byte[] {0})).get(30, TimeUnit.SECONDS);
                    live.beginTransaction();
                    live.send(new ProducerRecord<>(elsewhere, 0, round, new byte[] {1})).get(30, TimeUnit.SECONDS);
                })), "--homecoming.roster.abandoned-after=2s");

                // then the start-up read's fence ended the transaction that held it (its holder cannot commit), and the
                // live one, open as long but holding nothing that read waits on, still commits (it was fenced too before,
                // its upload answered 409 with nothing published)
                assertThatThrownBy(dead::commitTransaction).as("the commit of the transaction that held the start-up read")
                        .isInstanceOf(KafkaException.class);
                assertThatCode(live::commitTransaction).as("the commit of the live transaction elsewhere")
                        .doesNotThrowAnyException();
                assertThat(send(second, "GET", "/api/v1/rounds", null, null).statusCode())
                        .as("a read on the started instance").isEqualTo(200);
            }
        }
    }

    /** A transactional producer of the test's own under a roster round's id, as a roster instance's publication has. */
    private static KafkaProducer<String, byte[]> roundTransaction(String transactionalId) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        producer.initTransactions();
        return producer;
    }

    /** The first instance alone, ending no transaction of another (probe and abandoned-after: an hour). */
    private void givenTheFirstInstanceAlone() {
        first = start("roster-a", "--homecoming.roster.probe-every=1h", "--homecoming.roster.abandoned-after=1h");
    }

    /**
     * Starts the second instance while the first instance's upload of {@code list} is inside its transaction: the upload
     * enters it right before the start's fencing (then {@code meanwhile} runs) and is let go right after the fencing.
     * Returns the upload's answer.
     */
    private HttpResponse<String> uploadHeldAcrossTheSecondsFencing(String round, String list, StartingWork meanwhile,
                                                                   String... arguments) throws Exception {
        TransactionPause pause = first.getBean(TransactionPause.class);
        pause.arm();
        CompletableFuture<CompletableFuture<HttpResponse<String>>> onFirst = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> answered = new CompletableFuture<>();
        second = start("roster-b", List.of(
                beforeTheFencing(() -> {
                    onFirst.complete(heldOnFirst(pause, round, list));
                    meanwhile.run();
                }),
                afterTheFencing(() -> {
                    pause.release();
                    answered.complete(onFirst.get(60, TimeUnit.SECONDS).get(60, TimeUnit.SECONDS));
                })), arguments);
        return answered.get(60, TimeUnit.SECONDS);
    }

    /** Until the broker lists a transactional id beginning {@code transactionalId} among those open longer than {@code open}. */
    private static void awaitOpenLongerThan(Duration open, String transactionalId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            await("the upload's transaction open longer than " + open).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> admin.listTransactions(new ListTransactionsOptions()
                                    .filterStates(List.of(TransactionState.ONGOING)).filterOnDuration(open.toMillis()))
                            .all().get(10, TimeUnit.SECONDS).stream()
                            .anyMatch(listing -> listing.transactionalId().startsWith(transactionalId)));
        }
    }

    /** Work a starting instance does while it starts: its {@link TransactionFencing} runs in phase MIN_VALUE + 500. */
    interface StartingWork {
        void run() throws Exception;
    }

    private static StartupStep beforeTheFencing(StartingWork work) {
        return stepAt(Integer.MIN_VALUE + 400, work);
    }

    /** After the start's fencing, before its start-up read ({@link RosterFeed}, phase MIN_VALUE + 1000). */
    private static StartupStep afterTheFencing(StartingWork work) {
        return stepAt(Integer.MIN_VALUE + 700, work);
    }

    private static StartupStep stepAt(int phase, StartingWork work) {
        return new StartupStep(phase) {
            @Override
            protected void run() {
                try {
                    work.run();
                } catch (Exception e) {
                    throw new IllegalStateException("The test's start-up step failed", e);
                }
            }
        };
    }

    /**
     * Starts the first instance's upload of two persons of {@code round} and returns once it waits where {@code pause}
     * was armed, inside its transaction.
     */
    private CompletableFuture<HttpResponse<String>> heldOnFirst(TransactionPause pause, String round, String list)
            throws InterruptedException {
        CompletableFuture<HttpResponse<String>> onFirst = CompletableFuture.supplyAsync(() ->
                upload(first, round, list, row(round + "-1", "Петренко") + row(round + "-2", "Коваль")), heldUploads);
        assertThat(pause.awaitPaused()).as("the first instance's upload reached its transaction").isTrue();
        return onFirst;
    }

    /** A dead instance's upload: its client saw the connection close or an error, never a success. */
    private static void assertPublishedNothing(CompletableFuture<HttpResponse<String>> upload) throws Exception {
        assertThat(upload.handle((answer, failure) -> answer == null ? -1 : answer.statusCode()).get(60, TimeUnit.SECONDS))
                .as("the dead instance published nothing").isNotIn(200, 201);
    }

    /** The round recorded through both instances (the same terms twice: the second publishes nothing). */
    private void recordOnBoth(String round) {
        assertThat(send(first, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isEqualTo(201);
        assertThat(send(second, "POST", "/api/v1/rounds", "application/json", roundTerms(round)).statusCode()).isIn(200, 201);
    }

    private static void assertOneVersionWithOnly(String list, String... persons) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ReleaseListPublished> headers = TopicProbe.readAll(Topics.RELEASE_LISTS).stream()
                    .map(record -> record.value()).filter(header -> header.getListId().equals(list)).toList();
            assertThat(headers).as("one version of the list on the topic").hasSize(1);
            assertThat(headers.get(0).getVersion()).isEqualTo(1);
            List<String> listed = TopicProbe.readAll(Topics.LISTED_PERSONS).stream().map(record -> record.value())
                    .filter(change -> change.getListId().equals(list)).map(PersonListingChanged::getPersonId).toList();
            assertThat(listed).as("the persons of the published version, once each").containsExactlyInAnyOrder(persons);
        });
    }

    private static ConfigurableApplicationContext start(String instance, String... more) {
        return start(instance, List.of(), more);
    }

    /** An instance whose start also runs {@code steps} (each in its phase among the service's own start-up steps). */
    private static ConfigurableApplicationContext start(String instance, List<StartupStep> steps, String... more) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.shutdown=immediate",
                "--homecoming.roster.instance-id=" + instance));
        arguments.addAll(List.of(more));
        arguments.addAll(TestTokens.resourceServerArguments());
        return new SpringApplicationBuilder(RosterApplication.class, PauseInsideTheTransaction.class)
                .properties(RosterApplication.CONFIG_NAME)
                .initializers(context -> {
                    for (int i = 0; i < steps.size(); i++) {
                        context.getBeanFactory().registerSingleton("testStartupStep" + i, steps.get(i));
                    }
                })
                .run(arguments.toArray(String[]::new));
    }

    private static String row(String personId, String surname) {
        return personId + "," + surname + ",Олександр,,,,,,SOLDIER,,,\n";
    }

    /** Registered as a source of these contexts only: a publication, once armed, waits inside its transaction. */
    static class PauseInsideTheTransaction {
        /** After how many records sent an armed publication waits: 0 is before the first. */
        final AtomicInteger pauseAfter = new AtomicInteger(1);

        @Bean
        TransactionPause transactionPause() {
            return new TransactionPause();
        }

        @Bean
        ListPublicationHook pauseAfterTheFirstRecord(TransactionPause pause) {
            return (transaction, sent) -> {
                if (sent == pauseAfter.get()) {
                    pause.pauseIfArmed(transaction);
                }
            };
        }
    }
}

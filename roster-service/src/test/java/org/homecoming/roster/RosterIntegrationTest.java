package org.homecoming.roster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.homecoming.platform.security.Roles;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.homecoming.catalogue.registry.SchemaRegistry;
import org.homecoming.roster.lists.ListPublicationHook;
import org.homecoming.synthetic.lists.ListCsv;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TestTokens;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@ExtendWith(KafkaAndRegistry.class)
@WithMockUser(username = "list-officer-1", roles = {Roles.LIST_OFFICER, Roles.OPS_VIEWER})
@SpringBootTest(properties = RosterApplication.CONFIG_NAME)
@AutoConfigureMockMvc
@Import(RosterIntegrationTest.CrashingPublication.class)
@DirtiesContext // a roster instance: left running after the class, its background catch-up would end (after 5 s) a
                // transaction another class holds open on purpose (RosterInstancesIntegrationTest's live upload)
class RosterIntegrationTest {

    static final String HEADER = ListCsv.HEADER;
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    MockMvc mvc;

    @Autowired
    CrashingPublication crash;

    @Autowired
    RosterFeed feed;

    @AfterEach
    void disarm() {
        crash.failAfter.set(-1);
    }

    @Test
    void shouldPublishListedPersonsInTheConfluentWireFormat() throws Exception {
        String round = createRound(10, 10);
        mvc.perform(post("/api/v1/rounds/" + round + "/lists").contentType(MediaType.APPLICATION_JSON).content("""
                {"listId": "list-wire", "releasingSide": "RU", "entries": [
                  {"personId": "p-wire-1", "surname": "Петренко", "givenName": "Олександр", "birthDate": "1990-04-12", "category": "SOLDIER"}
                ]}"""))
                .andExpect(status().isCreated());

        List<ConsumerRecord<String, byte[]>> raw = TopicProbe.readRaw(Topics.LISTED_PERSONS.name()).stream()
                .filter(record -> record.key().equals("p-wire-1")).toList();
        assertThat(raw).as("the listed person is on the topic").hasSize(1);
        ByteBuffer payload = ByteBuffer.wrap(raw.get(0).value());
        assertThat(payload.get()).as("magic byte").isZero();
        int schemaId = payload.getInt();
        Schema schema = new SchemaRegistry(KafkaAndRegistry.registryUrl()).schemaById(schemaId);
        assertThat(schema.getFullName()).isEqualTo(PersonListingChanged.getClassSchema().getFullName());
        assertThat(raw.get(0).headers().lastHeader("traceparent"))
                .as("the trace context travels in a W3C traceparent header").isNotNull();
        assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS)).anySatisfy(record ->
                assertThat(record.value().getNativeName().getGivenName()).isEqualTo("Олександр"));
    }

    @Test
    void shouldRefuseABackwardIncompatibleSchemaForOurSubject() {
        Schema incompatible = SchemaBuilder.record("PersonListingChanged").namespace("org.homecoming.events.roster")
                .fields().requiredString("personId").requiredLong("somethingNewAndRequired").endRecord();
        SchemaRegistry registry = new SchemaRegistry(KafkaAndRegistry.registryUrl());

        assertThatThrownBy(() -> registry.register(Topics.LISTED_PERSONS.valueSubject(), incompatible))
                .isInstanceOfSatisfying(SchemaRegistry.SchemaRejectedException.class,
                        rejected -> assertThat(rejected.status()).isEqualTo(409));
    }

    @Test
    void shouldAnswerProblemJsonNamingTheMissingFieldAndPublishNothing() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-bad/lists").contentType(MediaType.APPLICATION_JSON).content("""
                {"listId": "list-bad", "releasingSide": "RU", "entries": [
                  {"personId": "p-bad-1", "givenName": "Олександр", "category": "SOLDIER"}
                ]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("entries[0].surname"));
        mvc.perform(post("/api/v1/rounds/round-bad/lists").contentType(MediaType.APPLICATION_JSON).content("{\"listId\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors").isArray());

        assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS)).noneSatisfy(record ->
                assertThat(record.key()).isEqualTo("p-bad-1"));
    }

    @Test
    void shouldPublishACsvListAndItsHeaderTogether() throws Exception {
        String round = createRound(2, 1);
        String list = "list-" + UUID.randomUUID();
        String csv = "\uFEFF" + HEADER
                + row(round + "-1", "Петренко", "SOLDIER")
                + "\r\n"
                + row(round + "-2", "Коваль", "SOLDIER")
                + row(round + "-3", "Мельник", "CIVILIAN");

        JsonNode published = body(uploadCsv(round, list, csv).andExpect(status().isCreated()));

        assertThat(published.get("version").asInt()).isEqualTo(1);
        assertThat(published.get("entryCount").asInt()).isEqualTo(3);
        assertThat(personsOfList(list)).extracting(record -> record.value().getChange())
                .as("every person of the list, LISTED").containsExactly(ListingChange.LISTED, ListingChange.LISTED,
                        ListingChange.LISTED);
        assertThat(personsOfList(list)).anySatisfy(record ->
                assertThat(record.value().getCapturePlace()).isEqualTo("Вовчанськ, Харківська обл."));
        List<String> traceparents = java.util.stream.Stream.concat(
                        TopicProbe.readRaw(Topics.LISTED_PERSONS.name()).stream()
                                .filter(record -> record.key().startsWith(round + "-")),
                        TopicProbe.readRaw(Topics.RELEASE_LISTS.name()).stream()
                                .filter(record -> record.key().equals(list)))
                .map(record -> record.headers().lastHeader("traceparent"))
                .map(header -> header == null ? "none" : new String(header.value(), StandardCharsets.UTF_8))
                .distinct().toList();
        assertThat(traceparents).as("every record of the list carries the trace context of its one publication span")
                .singleElement().asString().startsWith("00-");
        assertThat(headersOfList(list)).singleElement().satisfies(header -> {
            assertThat(header.getEntryCount()).isEqualTo(3);
            assertThat(header.getListedCount()).isEqualTo(3);
            assertThat(header.getChecksum()).as("the header carries the checksum the service answered")
                    .isEqualTo(published.get("checksum").asText()).hasSize(64);
        });
    }

    @Test
    void shouldPublishNothingWhenTheServiceFailsInTheMiddleOfAListAndTheWholeListOnRetry() throws Exception {
        String round = createRound(10, 0);
        String list = "list-" + UUID.randomUUID();
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 6; i++) {
            csv.append(row(round + "-" + i, "Бойко", "SOLDIER"));
        }
        crash.failAfter.set(4);

        assertThatThrownBy(() -> uploadCsv(round, list, csv.toString()))
                .as("the upload fails after 4 of its 7 records were sent")
                .hasRootCauseMessage(CrashingPublication.MESSAGE);

        assertThat(readUncommitted(Topics.LISTED_PERSONS.name()).stream().filter(key -> key.startsWith(round + "-")))
                .as("the 4 records sent before the crash did reach the broker, uncommitted").hasSize(4);
        assertThat(personsOfList(list)).as("a read_committed consumer sees none of the list").isEmpty();
        assertThat(headersOfList(list)).as("and no header").isEmpty();
        mvc.perform(get("/api/v1/rounds/" + round + "/lists")).andExpect(jsonPath("$").isEmpty());

        crash.failAfter.set(-1);
        uploadCsv(round, list, csv.toString()).andExpect(status().isCreated()).andExpect(jsonPath("$.version").value(1));

        List<ConsumerRecord<String, PersonListingChanged>> persons = personsOfList(list);
        assertThat(persons).extracting(ConsumerRecord::key).as("every person exactly once after the retry")
                .containsExactlyInAnyOrder(round + "-1", round + "-2", round + "-3", round + "-4", round + "-5",
                        round + "-6");
        assertThat(headersOfList(list)).singleElement()
                .satisfies(header -> assertThat(header.getEntryCount()).isEqualTo(6));
    }

    @Test
    void shouldPublishNothingWhenTheSameListIsUploadedAgain() throws Exception {
        String round = createRound(2, 0);
        String list = "list-" + UUID.randomUUID();
        String csv = HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-2", "Коваль", "SOLDIER");
        JsonNode first = body(uploadCsv(round, list, csv).andExpect(status().isCreated()));

        String reordered = HEADER + row(round + "-2", "Коваль", "SOLDIER") + "\r\n" + row(round + "-1", "Петренко", "SOLDIER");
        JsonNode again = body(uploadCsv(round, list, reordered).andExpect(status().isOk()));

        assertThat(again.get("version").asInt()).as("the existing version is answered").isEqualTo(1);
        assertThat(again.get("checksum").asText()).isEqualTo(first.get("checksum").asText());
        assertThat(personsOfList(list)).as("no person event twice").hasSize(2);
        assertThat(headersOfList(list)).as("no second header").hasSize(1);
        mvc.perform(get("/actuator/prometheus"))
                .andExpect(content().string(containsString(
                        "homecoming_roster_list_uploads_seconds_count{outcome=\"unchanged\"}")));
    }

    @Test
    void shouldRefuseAnUploadIdenticalButForItsReleasingSideInsteadOfAnsweringItUnchanged() throws Exception {
        // given a list of a round that RU releases
        String round = createRound(2, 0);
        String list = "list-" + UUID.randomUUID();
        String csv = HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-2", "Коваль", "SOLDIER");
        uploadCsv(round, list, csv).andExpect(status().isCreated());

        // when the same rows are sent again as a list that UA releases
        var otherSide = post("/api/v1/rounds/" + round + "/lists").param("listId", list).param("releasingSide", "UA")
                .with(user("list-officer-1").roles(Roles.LIST_OFFICER))
                .contentType("text/csv").content(csv.getBytes(StandardCharsets.UTF_8));

        // then the integrator is told the side is wrong, not that the list is there as sent, and nothing is published
        mvc.perform(otherSide)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field", contains("releasingSide")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("is released by RU, not UA")));
        assertThat(headersOfList(list)).as("no second version").hasSize(1);

        // and so is that upload made from a version the list never had (If-Match "2"): the side is wrong whatever the
        // version, so it is refused from the view, before the fences and the version check (412 before, tried)
        mvc.perform(post("/api/v1/rounds/" + round + "/lists").param("listId", list).param("releasingSide", "UA")
                        .header("If-Match", "\"2\"")
                        .with(user("list-officer-1").roles(Roles.LIST_OFFICER))
                        .contentType("text/csv").content(csv.getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", contains("releasingSide")));
        assertThat(headersOfList(list)).as("no second version").hasSize(1);

        // and the same rows naming the list's own side are the unchanged list
        var sameSide = post("/api/v1/rounds/" + round + "/lists").param("listId", list).param("releasingSide", "RU")
                .with(user("list-officer-1").roles(Roles.LIST_OFFICER))
                .contentType("text/csv").content(csv.getBytes(StandardCharsets.UTF_8));
        mvc.perform(sameSide).andExpect(status().isOk()).andExpect(jsonPath("$.version").value(1));
    }

    @Test
    void shouldPublishOnlyTheDifferencesOfAnAmendment() throws Exception {
        String round = createRound(5, 0);
        String list = "list-" + UUID.randomUUID();
        uploadCsv(round, list, HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-2", "Коваль", "SOLDIER")
                + row(round + "-3", "Мельник", "SOLDIER")).andExpect(status().isCreated());

        JsonNode amended = body(uploadCsv(round, list, HEADER + row(round + "-1", "Петренко", "SOLDIER")
                + row(round + "-2", "Ковальчук", "SOLDIER") + row(round + "-4", "Бондар", "SOLDIER"))
                .andExpect(status().isCreated()));

        assertThat(amended.get("version").asInt()).isEqualTo(2);
        List<PersonListingChanged> version2 = personsOfList(list).stream().map(ConsumerRecord::value)
                .filter(change -> change.getListVersion() == 2).toList();
        assertThat(version2).extracting(PersonListingChanged::getPersonId, PersonListingChanged::getChange)
                .as("only the differences are published in version 2")
                .containsExactlyInAnyOrder(
                        tuple(round + "-2", ListingChange.CORRECTED),
                        tuple(round + "-3", ListingChange.WITHDRAWN),
                        tuple(round + "-4", ListingChange.LISTED));
        assertThat(version2).filteredOn(change -> change.getChange() == ListingChange.CORRECTED).singleElement()
                .satisfies(change -> assertThat(change.getNativeName().getSurname()).isEqualTo("Ковальчук"));
        assertThat(headersOfList(list)).filteredOn(header -> header.getVersion() == 2).singleElement()
                .satisfies(header -> {
                    assertThat(header.getEntryCount()).isEqualTo(3);
                    assertThat(header.getListedCount()).isEqualTo(1);
                    assertThat(header.getWithdrawnCount()).isEqualTo(1);
                    assertThat(header.getCorrectedCount()).isEqualTo(1);
                });
        mvc.perform(get("/api/v1/rounds/" + round + "/lists/" + list))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.list.version").value(2))
                .andExpect(jsonPath("$.entries[*].personId").value(contains(round + "-1", round + "-2", round + "-4")))
                .andExpect(jsonPath("$.entries[1].surname").value("Ковальчук"));
        mvc.perform(get("/api/v1/rounds/" + round + "/lists/list-unknown")).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/persons/" + round + "-3"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("WITHDRAWN"))
                .andExpect(jsonPath("$.history[*].change").value(contains("LISTED", "WITHDRAWN")));
    }

    @Test
    void shouldRefuseAnAmendmentMadeFromAVersionNoLongerCurrentAndPublishNothing() throws Exception {
        // given a list of two, which one officer amends (If-Match "1") to add a third person as version 2
        String round = createRound(5, 0);
        String list = "list-" + UUID.randomUUID();
        String two = HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-2", "Коваль", "SOLDIER");
        uploadCsv(round, list, two).andExpect(status().isCreated()).andExpect(header().string("ETag", "\"1\""));
        mvc.perform(get("/api/v1/rounds/" + round + "/lists/" + list)).andExpect(header().string("ETag", "\"1\""));
        uploadCsv(round, list, two + row(round + "-3", "Мельник", "SOLDIER"), "\"1\"")
                .andExpect(status().isCreated()).andExpect(header().string("ETag", "\"2\""));
        // (its retry, the answer lost, is told the list is already so: 200, nothing published)
        uploadCsv(round, list, two + row(round + "-3", "Мельник", "SOLDIER"), "\"1\"")
                .andExpect(status().isOk()).andExpect(header().string("ETag", "\"2\""));

        // when another officer sends the version-1 copy with a typo fixed, made from version 1
        String stale = HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-2", "Ковальчук", "SOLDIER");
        uploadCsv(round, list, stale, "\"1\"")
                .andExpect(status().isPreconditionFailed())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://homecoming.example/problems/list-version-changed"))
                .andExpect(jsonPath("$.detail").value(containsString("is at version 2, not version 1")))
                .andExpect(jsonPath("$.detail").value(containsString("If-Match: \"2\"")));

        // then the person added meanwhile is not withdrawn, and no version 3 was published
        mvc.perform(get("/api/v1/persons/" + round + "-3")).andExpect(jsonPath("$.status").value("LISTED"));
        assertThat(headersOfList(list)).extracting(ReleaseListPublished::getVersion).containsExactly(1, 2);
        assertThat(personsOfList(list)).extracting(record -> record.value().getListVersion()).doesNotContain(3);

        // and the same fix made on version 2 is published
        uploadCsv(round, list, stale + row(round + "-3", "Мельник", "SOLDIER"), "\"2\"")
                .andExpect(status().isCreated()).andExpect(header().string("ETag", "\"3\""));
        // while a tag of another form is refused as bad input, and a list not published yet matches no version
        uploadCsv(round, list, stale, "W/\"3\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("If-Match"));
        uploadCsv(round, "list-" + UUID.randomUUID(), two.replace(round + "-", round + "-new-"), "*")
                .andExpect(status().isPreconditionFailed());
    }

    @Test
    void shouldRefuseAListThatBreaksTheRulesNamingEveryBadRowAndPublishNothing() throws Exception {
        String round = createRound(0, 0);
        String list = "list-" + UUID.randomUUID();
        String csv = HEADER
                + row(round + "-1", "Петренко", "SOLDIER")
                + row(round + "-2", "Коваль", "PRISONER")
                + row(round + "-1", "Мельник", "SOLDIER")
                + row(round + "-3", "Бондар", "SOLDIER").replace("1990-04-12", "31.02.1990");

        uploadCsv(round, list, csv)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[?(@.row == 3 && @.field == 'category')]").exists())
                .andExpect(jsonPath("$.errors[?(@.row == 4 && @.field == 'personId')]").exists())
                .andExpect(jsonPath("$.errors[?(@.row == 5 && @.field == 'birthDate')]").exists())
                .andExpect(jsonPath("$.errors[*].reason", hasItem(
                        "1 soldiers would be listed in round " + round + " (1 on this list, 0 on its other lists), more than the 0 planned")));

        assertThat(personsOfList(list)).as("nothing of a refused list is published").isEmpty();
        assertThat(headersOfList(list)).isEmpty();
    }

    @Test
    void shouldLetOnlyOneOfTwoConcurrentListsTakeTheRoundsLastPlaces() throws Exception {
        String round = createRound(3, 0);
        String first = HEADER + row(round + "-a1", "Петренко", "SOLDIER") + row(round + "-a2", "Коваль", "SOLDIER");
        String second = HEADER + row(round + "-b1", "Мельник", "SOLDIER") + row(round + "-b2", "Бондар", "SOLDIER");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService uploads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> answers = List.of(first, second).stream()
                    .map(csv -> uploads.submit(() -> {
                        start.await();
                        // @WithMockUser holds for the test's thread only; these uploads carry their user themselves
                        return mvc.perform(post("/api/v1/rounds/" + round + "/lists").param("listId", "list-" + UUID.randomUUID())
                                        .with(user("list-officer-1").roles(Roles.LIST_OFFICER))
                                        .contentType("text/csv").content(csv.getBytes(StandardCharsets.UTF_8)))
                                .andReturn().getResponse().getStatus();
                    }))
                    .toList();
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }

            assertThat(statuses).as("3 soldiers are planned: one list of 2 fits, the second does not")
                    .containsExactlyInAnyOrder(201, 400);
        } finally {
            uploads.shutdownNow();
        }
        mvc.perform(get("/api/v1/rounds/" + round + "/lists")).andExpect(jsonPath("$.length()").value(1));
    }

    @Test
    void shouldTakeEveryPersonOfACancelledRoundOffItsListsInTheCancellationsTransaction() throws Exception {
        String round = createRound(5, 0);
        String list = "list-" + UUID.randomUUID();
        uploadCsv(round, list, HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-2", "Коваль", "SOLDIER"))
                .andExpect(status().isCreated());

        changeStatus(round, "CANCELLED").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CANCELLED"));

        assertThat(personsOfList(list).stream().map(ConsumerRecord::value).filter(change -> change.getListVersion() == 2))
                .as("version 2 withdraws everyone, in the cancellation's transaction")
                .extracting(PersonListingChanged::getPersonId, PersonListingChanged::getChange)
                .containsExactlyInAnyOrder(tuple(round + "-1", ListingChange.WITHDRAWN), tuple(round + "-2", ListingChange.WITHDRAWN));
        assertThat(headersOfList(list)).filteredOn(header -> header.getVersion() == 2).singleElement()
                .satisfies(header -> {
                    assertThat(header.getEntryCount()).isZero();
                    assertThat(header.getWithdrawnCount()).isEqualTo(2);
                });
        mvc.perform(get("/api/v1/rounds/" + round + "/lists/" + list))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.list.version").value(2))
                .andExpect(jsonPath("$.entries").isEmpty());
        mvc.perform(get("/api/v1/persons/" + round + "-1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("WITHDRAWN"));
        changeStatus(round, "CANCELLED").andExpect(status().isOk());
        assertThat(headersOfList(list)).as("cancelling again changes nothing").hasSize(2);
    }

    @Test
    void shouldListAPersonOnOneOpenRoundOnlySoCancellingTheOtherCannotTakeThemOff() throws Exception {
        String first = createRound(5, 0);
        String second = createRound(5, 0);
        String person = "person-" + UUID.randomUUID();
        String firstList = "list-" + UUID.randomUUID();
        uploadCsv(first, firstList, HEADER + row(person, "Петренко", "SOLDIER")).andExpect(status().isCreated());

        String secondList = "list-" + UUID.randomUUID();
        uploadCsv(second, secondList, HEADER + row(second + "-1", "Коваль", "SOLDIER") + row(person, "Петренко", "SOLDIER"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].row").value(3))
                .andExpect(jsonPath("$.errors[0].reason").value("person " + person + " is already on list " + firstList
                        + " of round " + first + ", which is still open: withdraw the person there first"));
        assertThat(headersOfList(secondList)).as("nothing of the refused list is published").isEmpty();

        changeStatus(first, "CANCELLED").andExpect(status().isOk());
        uploadCsv(second, secondList, HEADER + row(person, "Петренко", "SOLDIER")).andExpect(status().isCreated());
        mvc.perform(get("/api/v1/persons/" + person))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("LISTED"));

        String third = createRound(5, 0);
        changeStatus(second, "IN_PROGRESS").andExpect(status().isOk());
        changeStatus(second, "COMPLETED").andExpect(status().isOk());
        // someone listed in a completed round but not exchanged that day goes on the next round's list
        uploadCsv(third, "list-" + UUID.randomUUID(), HEADER + row(person, "Петренко", "SOLDIER"))
                .andExpect(status().isCreated());
    }

    @Test
    void shouldRefuseAnIdOnceListedForAnotherPersonEvenAfterItsRoundCompleted() throws Exception {
        // given person X freed by RU in a round that is over
        String first = createRound(5, 0);
        String person = "person-" + UUID.randomUUID();
        uploadCsv(first, "list-" + UUID.randomUUID(), HEADER + row(person, "Петренко", "SOLDIER")).andExpect(status().isCreated());
        changeStatus(first, "IN_PROGRESS").andExpect(status().isOk());
        changeStatus(first, "COMPLETED").andExpect(status().isOk());

        // when UA's list system numbers its own detainee with the same id in the next stage
        String second = "round-" + UUID.randomUUID();
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(roundTerms(second, 5, 0)
                        .replace("\"releasingSide\": \"RU\", \"receivingSide\": \"UA\"",
                                "\"releasingSide\": \"UA\", \"receivingSide\": \"RU\"")))
                .andExpect(status().isCreated());
        String list = "list-" + UUID.randomUUID();
        uploadCsv(second, list, HEADER + row(person, "Іванов", "SOLDIER"))
                // then it is refused, and nothing is published that would carry X's hand-over over to this man
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].reason").value(org.hamcrest.Matchers.startsWith(
                        "person " + person + " was listed by RU on list")));
        assertThat(headersOfList(list)).isEmpty();

        // and RU listing another man under X's id in a later round is refused too, while X himself may be listed again
        String third = createRound(5, 0);
        uploadCsv(third, "list-" + UUID.randomUUID(), HEADER + row(person, "Коваль", "SOLDIER").replace("1990-04-12", "1985-02-01"))
                .andExpect(status().isBadRequest());
        uploadCsv(third, "list-" + UUID.randomUUID(), HEADER + row(person, "Петренко", "SOLDIER")).andExpect(status().isCreated());
    }

    @Test
    void shouldMoveARoundThroughItsLifeCycleAndRefuseAnIllegalChange() throws Exception {
        String round = "round-" + UUID.randomUUID();
        String terms = roundTerms(round, 270, 120);
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(terms))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.status").value("PLANNED"));
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(terms))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(roundTerms(round, 271, 120)))
                .andExpect(status().isConflict());

        changeStatus(round, "IN_PROGRESS").andExpect(status().isOk());
        changeStatus(round, "COMPLETED").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("COMPLETED"));
        changeStatus(round, "IN_PROGRESS")
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Round " + round + " is COMPLETED and cannot become IN_PROGRESS; allowed next: none"));

        List<RoundStatus> recorded = TopicProbe.readAll(Topics.EXCHANGE_ROUNDS).stream()
                .filter(record -> record.key().equals(round)).map(record -> record.value().getStatus()).toList();
        assertThat(recorded).as("one record per change, none for the repeated create or the refused change")
                .containsExactly(RoundStatus.PLANNED, RoundStatus.IN_PROGRESS, RoundStatus.COMPLETED);
        uploadCsv(round, "list-" + UUID.randomUUID(), HEADER + row(round + "-1", "Петренко", "SOLDIER"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("roundId"));
    }

    @Test
    void shouldRebuildItsStateFromItsOwnTopicsAfterARestart() throws Exception {
        String round = createRound(5, 1);
        String list = "list-" + UUID.randomUUID();
        uploadCsv(round, list, HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-2", "Коваль", "CIVILIAN"))
                .andExpect(status().isCreated());
        String version2 = HEADER + row(round + "-1", "Петренко", "SOLDIER") + row(round + "-3", "Мельник", "SOLDIER");
        JsonNode published = body(uploadCsv(round, list, version2).andExpect(status().isCreated()));
        // and an aborted transaction at the end of the topics, which the rebuild must read past and ignore
        crash.failAfter.set(2);
        assertThatThrownBy(() -> uploadCsv(round, "list-aborted-" + UUID.randomUUID(),
                HEADER + row(round + "-8", "Бойко", "SOLDIER") + row(round + "-9", "Ткач", "SOLDIER")))
                .hasRootCauseMessage(CrashingPublication.MESSAGE);
        crash.failAfter.set(-1);
        changeStatus(round, "IN_PROGRESS").andExpect(status().isOk());

        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(RosterApplication.class)
                .properties(RosterApplication.CONFIG_NAME).run(restartArguments())) {
            String base = "http://127.0.0.1:" + restarted.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();

            assertThat(getJson(http, base + "/actuator/health/readiness").get("status").asText()).isEqualTo("UP");
            assertThat(getJson(http, base + "/api/v1/rounds/" + round).get("status").asText())
                    .as("the round's status survives the restart").isEqualTo("IN_PROGRESS");
            JsonNode lists = getJson(http, base + "/api/v1/rounds/" + round + "/lists");
            assertThat(lists).as("the published list, and nothing of the aborted one").hasSize(1);
            assertThat(lists.get(0).get("version").asInt()).isEqualTo(2);
            assertThat(lists.get(0).get("entryCount").asInt()).isEqualTo(2);
            assertThat(lists.get(0).get("checksum").asText()).isEqualTo(published.get("checksum").asText());
            assertThat(lists.get(0).get("versions")).hasSize(2);
            JsonNode withdrawn = getJson(http, base + "/api/v1/persons/" + round + "-2");
            assertThat(withdrawn.get("status").asText()).isEqualTo("WITHDRAWN");
            assertThat(withdrawn.get("history")).hasSize(2);

            HttpResponse<String> again = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/api/v1/rounds/" + round + "/lists?listId=" + list))
                    .header("Content-Type", "text/csv")
                    .header("Authorization", TestTokens.bearer("list-officer-1", Roles.LIST_OFFICER))
                    .POST(HttpRequest.BodyPublishers.ofString(version2, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as("the restarted service knows the list it had published: " + again.body())
                    .isEqualTo(200);
        }
        assertThat(headersOfList(list)).as("nothing was published again after the restart").hasSize(2);
    }

    @Test
    void shouldAnswer429ToAnOfficerWithTooManyRequestsInProgressAndServeAnotherOfficerMeanwhile() throws Exception {
        String round = createRound(5, 1);
        List<String> arguments = new ArrayList<>(List.of(restartArguments()));
        arguments.set(1, "--homecoming.roster.instance-id=roster-fair-share");
        arguments.add("--homecoming.api.requests-in-progress-per-caller=1");
        try (ConfigurableApplicationContext roster = new SpringApplicationBuilder(RosterApplication.class)
                .properties(RosterApplication.CONFIG_NAME).run(arguments.toArray(String[]::new))) {
            int port = Integer.parseInt(roster.getEnvironment().getProperty("local.server.port"));
            String roundUrl = "http://127.0.0.1:" + port + "/api/v1/rounds/" + round;
            HttpClient http = HttpClient.newHttpClient();
            // given an officer's list upload in progress: its header row is sent, the rest is still to come; should one
            // of the officer's requests below take the one place before the upload reaches it, the upload is refused
            // and sent again
            HttpResponse<String> refused = null;
            HeldUpload upload = null;
            for (int attempt = 0; attempt < 5 && refused == null; attempt++) {
                if (upload != null) {
                    upload.close();
                }
                upload = new HeldUpload(port, "/api/v1/rounds/" + round + "/lists?listId=list-" + UUID.randomUUID(), HEADER);
                // when the same officer asks for more meanwhile
                refused = firstRefusal(http, roundUrl, "list-officer-1", upload);
            }
            try (HeldUpload held = upload) {
                // and another officer asks too
                HttpResponse<String> other = http.send(signedIn(roundUrl, "list-officer-2"), HttpResponse.BodyHandlers.ofString());

                // then the officer's extra request is refused with a problem saying why and when to try again, the
                // other's is served
                assertThat(refused).as("a request of the officer refused while the upload was in progress").isNotNull();
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("application/problem+json"));
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(refused.body()).contains("already has 1 requests in progress").contains("nothing was done");
                assertThat(other.statusCode()).as("another officer is served: " + other.body()).isEqualTo(200);

                // and once the upload is answered, the officer is served again
                assertThat(held.finish(row(round + "-1", "Петренко", "SOLDIER"))).as("the upload's answer")
                        .startsWith("HTTP/1.1 201");
                assertThat(http.send(signedIn(roundUrl, "list-officer-1"), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);
            }
        }
    }

    /** A list officer's CSV upload over a socket of its own: the first part of its chunked body is sent, the rest later. */
    private static final class HeldUpload implements AutoCloseable {

        private final Socket socket;
        private final OutputStream body;

        HeldUpload(int port, String path, String firstPart) throws IOException {
            socket = new Socket("127.0.0.1", port);
            body = socket.getOutputStream();
            body.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n"
                    + "Authorization: " + TestTokens.bearer("list-officer-1", Roles.LIST_OFFICER) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(firstPart);
        }

        /** Whether the service has answered already: it refused the upload before reading its body. */
        boolean answered() throws IOException {
            return socket.getInputStream().available() > 0;
        }

        /** Sends the rest and the body's end; the answer's status line. */
        String finish(String rest) throws IOException {
            chunk(rest);
            body.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            body.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }

        private void chunk(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            body.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(bytes);
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            body.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Asks until the answer is 429, for at most ten seconds (the upload may not have reached the service yet); null
     * when the upload was answered meanwhile, refused because one of these requests had taken the place first.
     */
    private static HttpResponse<String> firstRefusal(HttpClient http, String url, String officer, HeldUpload upload) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        try {
            await().pollDelay(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        last.set(http.send(signedIn(url, officer), HttpResponse.BodyHandlers.ofString()));
                        return last.get().statusCode() == 429 || upload.answered();
                    });
        } catch (ConditionTimeoutException notRefused) {
            return null;
        }
        return last.get().statusCode() == 429 ? last.get() : null;
    }

    private static HttpRequest signedIn(String url, String officer) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", TestTokens.bearer(officer, Roles.LIST_OFFICER)).build();
    }

    @Test
    void shouldSendARecordThatTheRebuildCannotReadToTheDeadLetterTopicAndReadOn() throws Exception {
        // One of the roster's own topics: only a topic's owner dead-letters what cannot be read on it.
        Topic<String, ReleaseListPublished> topic = Topics.RELEASE_LISTS;
        String unreadable = "unreadable-" + UUID.randomUUID();
        TopicProbe.produceRaw(topic.name(), unreadable, "not Avro".getBytes(StandardCharsets.UTF_8));

        feed.awaitForRead();

        assertThat(TopicProbe.readRaw(topic.deadLetterTopic()))
                .as("the record the rebuild could not read went to the dead-letter topic, saying why")
                .anySatisfy(record -> {
                    assertThat(record.key()).isEqualTo(unreadable);
                    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("not Avro");
                    assertThat(record.headers().lastHeader("kafka_dlt-exception-message")).isNotNull();
                    assertThat(record.headers().lastHeader(DeadLetterPolicy.REASON_HEADER)).as("the innermost cause").isNotNull();
                });
        mvc.perform(get("/api/v1/rounds")).andExpect(status().isOk());
    }

    @Test
    void shouldPublishTheScenarioListsOfStageOneAndTheirLastMinuteAmendment() throws Exception {
        String rounds = resource("rounds.json");
        for (JsonNode round : JSON.readTree(rounds)) {
            mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(round.toString()))
                    .andExpect(status().isCreated());
        }

        uploadCsv("agr-2026-11-s1-ru-ua", "s1-ru-ua", resource("stage-1-released-by-ru.csv"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.entryCount").value(390));
        uploadCsv("agr-2026-11-s1-ua-ru", "s1-ua-ru", resource("stage-1-released-by-ua.csv"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.entryCount").value(390));
        uploadCsv("agr-2026-11-s1-ru-ua", "s1-ru-ua", resource("stage-1-released-by-ru-amended.csv"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.version").value(2))
                .andExpect(jsonPath("$.entryCount").value(390))
                .andExpect(jsonPath("$.listedCount").value(2))
                .andExpect(jsonPath("$.withdrawnCount").value(2))
                .andExpect(jsonPath("$.correctedCount").value(3));

        mvc.perform(get("/api/v1/rounds/agr-2026-11-s1-ru-ua/lists"))
                .andExpect(jsonPath("$[0].soldiers").value(270))
                .andExpect(jsonPath("$[0].civilians").value(120));
        assertThat(personsOfList("s1-ru-ua")).as("390 listed, then 2 + 2 + 3 changes").hasSize(397);
    }

    @Test
    void shouldDocumentTheListUploadInOpenApi() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/rounds/{roundId}/lists'].post.requestBody.content['text/csv']").exists())
                .andExpect(jsonPath("$.paths['/api/v1/rounds/{roundId}/lists'].post.requestBody.content['application/json']").exists())
                .andExpect(jsonPath("$.paths['/api/v1/persons/{personId}'].get.summary").isNotEmpty());
        // every read tells an integrator that it may answer 503 with Retry-After, and that a retry is the remedy
        for (String read : List.of("/api/v1/rounds", "/api/v1/rounds/{roundId}", "/api/v1/rounds/{roundId}/lists",
                "/api/v1/rounds/{roundId}/lists/{listId}", "/api/v1/persons/{personId}")) {
            mvc.perform(get("/v3/api-docs")).andExpect(jsonPath("$.paths['" + read + "'].get.description",
                    allOf(containsString("503"), containsString("Retry-After"))));
        }
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = RosterIntegrationTest.class.getResourceAsStream("/scenario/" + file)) {
            assertThat(in).as("scenario/" + file + " is on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String createRound(int soldiers, int civilians) throws Exception {
        String round = "round-" + UUID.randomUUID();
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON)
                        .content(roundTerms(round, soldiers, civilians)))
                .andExpect(status().isCreated());
        return round;
    }

    private static String roundTerms(String round, int soldiers, int civilians) {
        return """
                {"roundId": "%s", "agreementReference": "AGR-TEST", "stage": 1, "stageCount": 3,
                 "exchangeDate": "2026-12-05", "releasingSide": "RU", "receivingSide": "UA",
                 "plannedSoldiers": %d, "plannedCivilians": %d}""".formatted(round, soldiers, civilians);
    }

    private ResultActions changeStatus(String round, String status) throws Exception {
        return mvc.perform(post("/api/v1/rounds/" + round + "/status").contentType(MediaType.APPLICATION_JSON)
                .content("{\"status\": \"" + status + "\"}"));
    }

    private ResultActions uploadCsv(String round, String list, String csv) throws Exception {
        return uploadCsv(round, list, csv, null);
    }

    /** @param ifMatch the ETag of the version the upload was made from, or null */
    private ResultActions uploadCsv(String round, String list, String csv, String ifMatch) throws Exception {
        // The caller is named on the request: @WithMockUser's context is the test thread's only, and some uploads
        // are sent from other threads.
        var request = post("/api/v1/rounds/" + round + "/lists").param("listId", list)
                .with(user("list-officer-1").roles(Roles.LIST_OFFICER))
                .contentType("text/csv").content(csv.getBytes(StandardCharsets.UTF_8));
        return mvc.perform(ifMatch == null ? request : request.header("If-Match", ifMatch));
    }

    private static String row(String personId, String surname, String category) {
        return personId + "," + surname + ",Олександр,Іванович,,,,1990-04-12," + category
                + ",в/ч А0000,\"Вовчанськ, Харківська обл.\",2024-06-03\r\n";
    }

    private static JsonNode body(ResultActions result) throws Exception {
        return JSON.readTree(result.andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
    }

    /** A second instance over real HTTP: it trusts the testkit's token issuer instead of the identity provider. */
    private static String[] restartArguments() {
        // the test's own roster keeps running: with the same transactional id the two would fence each other
        List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0", "--homecoming.roster.instance-id=roster-restarted"));
        arguments.addAll(TestTokens.resourceServerArguments());
        return arguments.toArray(String[]::new);
    }

    private static JsonNode getJson(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", TestTokens.bearer("list-officer-1", Roles.LIST_OFFICER)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url + " answered " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<ConsumerRecord<String, PersonListingChanged>> personsOfList(String list) {
        return TopicProbe.readAll(Topics.LISTED_PERSONS).stream()
                .filter(record -> record.value().getListId().equals(list)).toList();
    }

    private static List<ReleaseListPublished> headersOfList(String list) {
        return TopicProbe.readAll(Topics.RELEASE_LISTS).stream()
                .filter(record -> record.key().equals(list)).map(ConsumerRecord::value).toList();
    }

    /** The keys of every record in the log, committed, aborted or still open: what read_committed hides. */
    private static List<String> readUncommitted(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> keys = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
            }
            return keys;
        }
    }

    /** Makes the service fail inside a list's transaction after a given number of sends, once armed. */
    @TestConfiguration
    static class CrashingPublication {
        static final String MESSAGE = "simulated crash in the middle of a list";
        final AtomicInteger failAfter = new AtomicInteger(-1);

        @Bean
        ListPublicationHook crashingHook() {
            return (transaction, sent) -> {
                if (sent == failAfter.get()) {
                    // flush first, so the records are really in the broker's log when the publication dies
                    transaction.flush();
                    throw new IllegalStateException(MESSAGE);
                }
            };
        }
    }
}

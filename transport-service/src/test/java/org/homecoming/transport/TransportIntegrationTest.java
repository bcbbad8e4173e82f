package org.homecoming.transport;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.homecoming.platform.security.Roles;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.Movement;
import org.homecoming.synthetic.buses.BusTrackers;
import org.homecoming.synthetic.buses.CrossingRoad;
import org.homecoming.synthetic.buses.TrackerReading;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.movements.Trips;
import org.homecoming.transport.telemetry.HoldShareFullException;
import org.homecoming.transport.telemetry.IntakeValidation;
import org.homecoming.platform.holding.UnresolvedRecordException;
import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@ExtendWith(KafkaAndRegistry.class)
// A state directory of its own: a state store left by an earlier run would not match this run's fresh broker.
// an integration test, not an access test (TransportAccessTest is): one user with every role the flow needs
@WithMockUser(username = "transport-1", roles = {Roles.TRANSPORT_OFFICER, Roles.TRACKER, Roles.RECEPTION_STAFF, Roles.OPS_VIEWER})
@SpringBootTest(properties = {TransportApplication.CONFIG_NAME,
        "spring.kafka.streams.state-dir=${java.io.tmpdir}/homecoming-streams/transport-it-${random.uuid}",
        "homecoming.holding.window=15s", "homecoming.holding.check-every=500ms", "homecoming.holding.capacity=40",
        "homecoming.partners=partner-a,partner-b"})
@DirtiesContext // its stream processor must not stay in the JVM, processing the intake beside later test classes' own
@AutoConfigureMockMvc
class TransportIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String ROUND = "round-it";
    /** The partner whose trackers report this test's buses, on its own intake topic; and another partner. */
    static final String PARTNER_A = "partner-a";
    /** The client of the trackers, which every manifest here names unless a test says otherwise. */
    static final String TRACKERS = "bus-trackers";
    static final Topic<String, BusPositionReported> INTAKE_A = Topics.busPositionIntake(PARTNER_A);
    static final Topic<String, BusPositionReported> INTAKE_B = Topics.busPositionIntake("partner-b");

    @Autowired
    MockMvc mvc;
    @Autowired
    TransportLedger ledger;
    @Autowired
    Trips trips;
    @Autowired
    StreamsBuilderFactoryBean streams;
    @Autowired
    CrossingGeography geography;

    /** A test that restarted the stream processor leaves it rebalancing; every test starts with it running. */
    @BeforeEach
    void streamProcessorRunning() {
        await().atMost(TIMEOUT).alias("the stream processor is running").until(() ->
                streams.getKafkaStreams() != null && streams.getKafkaStreams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
    }

    /** Roster's listings, produced once for the shared context (the ledger outlives each test instance). */
    @BeforeEach
    void listPersons() {
        if (ledger.listing("p-other-round").isPresent()) {
            return;
        }
        for (int i = 1; i <= 20; i++) {
            listing("p-" + i, ListingChange.LISTED, ROUND);
        }
        listing("p-withdrawn", ListingChange.LISTED, ROUND);
        listing("p-withdrawn", ListingChange.WITHDRAWN, ROUND);
        listing("p-other-round", ListingChange.LISTED, "round-other");
        await().atMost(TIMEOUT).alias("the ledger follows roster's listed persons").until(() ->
                ledger.listing("p-20").isPresent()
                        && ledger.listing("p-withdrawn").map(l -> l.getChange() == ListingChange.WITHDRAWN).orElse(false)
                        && ledger.listing("p-other-round").isPresent());
    }

    @Test
    void shouldCountItsStreamProcessorInReadinessAndLivenessAndItsLedgerInReadiness() throws Exception {
        for (String probe : new String[] {"/actuator/health/readiness", "/actuator/health/liveness"}) {
            mvc.perform(get(probe).with(user("ops").roles(Roles.OPS_VIEWER)))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.components.streams.status").value("UP"))
                    .andExpect(jsonPath("$.components.streams.details.state").value(org.hamcrest.Matchers.oneOf("RUNNING", "REBALANCING")));
        }
        // the ledger's replay decides readiness only: a long replay is no reason to restart the instance
        mvc.perform(get("/actuator/health/readiness").with(user("ops").roles(Roles.OPS_VIEWER)))
                .andExpect(jsonPath("$.components.ledger.status").value("UP"));
        mvc.perform(get("/actuator/health/liveness").with(user("ops").roles(Roles.OPS_VIEWER)))
                .andExpect(jsonPath("$.components.ledger").doesNotExist());
    }

    @Test
    void shouldRejectAManifestNamingEveryBadPersonAndPublishNothing() throws Exception {
        manifest("bus-a", "p-1").andExpect(status().isCreated());

        manifest("bus-b", "p-unknown", "p-withdrawn", "p-other-round", "p-1", "p-10")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors", hasSize(4)))
                .andExpect(jsonPath("$.errors[0].field").value("personIds[0]"))
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("not on any release list")))
                .andExpect(jsonPath("$.errors[1].reason").value(containsString("withdrawn")))
                .andExpect(jsonPath("$.errors[2].reason").value(containsString("listed for round round-other")))
                .andExpect(jsonPath("$.errors[3].reason").value(containsString("already rides bus bus-a")));

        assertThat(TopicProbe.readAll(Topics.BUS_MANIFESTS)).as("no manifest of bus-b was published")
                .noneSatisfy(record -> assertThat(record.key()).isEqualTo("bus-b"));
    }

    @Test
    void shouldRefuseAManifestBindingItsBusToAPartnerWhoseIntakeIsNotRead() throws Exception {
        // a typo in the partner's name would leave the bus unreported: every reading of its trackers refused
        manifestTrackedBy("partner-c", "bus-typo", "p-12")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("trackedBy"))
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("partner-a, partner-b")));

        assertThat(TopicProbe.readAll(Topics.BUS_MANIFESTS)).as("nothing published")
                .noneSatisfy(record -> assertThat(record.key()).isEqualTo("bus-typo"));
    }

    @Test
    void shouldPublishTheSameManifestOnlyOnce() throws Exception {
        manifest("bus-c", "p-2", "p-3").andExpect(status().isCreated()).andExpect(jsonPath("$.published").value(true));
        manifest("bus-c", "p-3", "p-2").andExpect(status().isOk()).andExpect(jsonPath("$.published").value(false));

        assertThat(TopicProbe.readAll(Topics.BUS_MANIFESTS)).filteredOn(record -> record.key().equals("bus-c"))
                .as("one manifest record for bus-c").hasSize(1);
    }

    @Test
    void shouldRejectABatchWithBadReadingsListingEachByIndexAndPublishNothingOfIt() throws Exception {
        manifest("bus-d", "p-7").andExpect(status().isCreated());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        positions("bus-d", reading(52.3, 31.0, now.minusSeconds(60)), reading(95.0, 31.0, now.minusSeconds(45)),
                reading(52.31, 31.0, now.plus(Duration.ofMinutes(10))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.errors[0].row").value(1))
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("impossible coordinates")))
                .andExpect(jsonPath("$.errors[1].row").value(2))
                .andExpect(jsonPath("$.errors[1].reason").value(containsString("in the future")));
        positions("bus-nobody-registered", reading(52.3, 31.0, now))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(containsString("nothing was published")));
        assertThat(TopicProbe.readAll(Topics.BUS_POSITIONS)).as("nothing of the bad batches was published")
                .noneSatisfy(record -> assertThat(record.key()).isIn("bus-d", "bus-nobody-registered"));

        positions("bus-d", reading(52.3, 31.0, now.minusSeconds(30))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.published").value(1));
        positions("bus-d", reading(52.3, 31.0, now.minusSeconds(30))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.published").value(0));
        assertThat(TopicProbe.readAll(Topics.BUS_POSITIONS)).filteredOn(record -> record.key().equals("bus-d"))
                .as("the re-sent reading was published once").hasSize(1);
    }

    @Test
    void shouldTakeNoDevicesPositionsOverRestOfABusWhoseManifestNamesNoTrackerClient() throws Exception {
        // given a bus registered, as before the field existed, without a tracker client
        manifestBoundTo(PARTNER_A, null, "bus-unbound", "p-16").andExpect(status().isCreated());
        String reading = reading(52.3, 31.0, Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20));

        // when a tracker sends a reading of it, then it is refused as a reading of another device's bus
        mvc.perform(post("/api/v1/buses/bus-unbound/positions").with(trackerClient(TRACKERS))
                        .contentType(MediaType.APPLICATION_JSON).content("[" + reading + "]"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(containsString("bus bus-unbound's registered manifest names (trackerClient)")));

        // and when the transport officer names the device by registering the manifest again, its readings are taken
        manifestBoundTo(PARTNER_A, TRACKERS, "bus-unbound", "p-16").andExpect(status().isCreated());
        mvc.perform(post("/api/v1/buses/bus-unbound/positions").with(trackerClient(TRACKERS))
                        .contentType(MediaType.APPLICATION_JSON).content("[" + reading + "]"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.published").value(1));
        assertThat(TopicProbe.readAll(Topics.BUS_POSITIONS)).filteredOn(record -> record.key().equals("bus-unbound")).hasSize(1);
    }

    @Test
    void shouldRefuseAManifestRegisteredAgainThatWouldLeaveATrackedBusWithNoTracker() throws Exception {
        // given a bus whose manifest names its partner and its device
        manifest("bus-correction", "p-17").andExpect(status().isCreated());

        // when a correction leaves both trackers out, as a tool that does not know the fields sends it
        manifestBoundTo(null, null, "bus-correction", "p-17", "p-18")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("trackerClient"))
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("partner " + PARTNER_A + " on Kafka and client "
                        + TRACKERS + " over REST")))
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("must name its trackers too")));

        // then the bus keeps its manifest and trackers, and the same correction naming another device goes through
        mvc.perform(get("/api/v1/buses/bus-correction")).andExpect(status().isOk())
                .andExpect(jsonPath("$.trackerClient").value(TRACKERS));
        manifestBoundTo(null, "tracker-bus-18", "bus-correction", "p-17", "p-18").andExpect(status().isCreated());
        mvc.perform(get("/api/v1/buses/bus-correction")).andExpect(status().isOk())
                .andExpect(jsonPath("$.trackerClient").value("tracker-bus-18"));
        assertThat(TopicProbe.readAll(Topics.BUS_MANIFESTS)).filteredOn(record -> record.key().equals("bus-correction"))
                .as("the first manifest and the correction naming a tracker, nothing of the refused one")
                .extracting(record -> record.value().getTrackerClient()).containsExactly(TRACKERS, "tracker-bus-18");
    }

    @Test
    void shouldTakeABusPositionsOverRestOnlyFromTheTrackerClientItsManifestNames() throws Exception {
        // given a bus whose manifest names its tracker device's client
        mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content("""
                        {"busId": "bus-bound", "roundId": "%s", "personIds": ["p-15"], "origin": "gomel-assembly-point",
                         "receptionPoint": "chernihiv-reception-point", "trackerClient": "tracker-bus-15"}""".formatted(ROUND)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.trackerClient").value("tracker-bus-15"));
        String reading = reading(52.3, 31.0, Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(20));

        // when another device's credentials send a reading of it, then it is refused and nothing is published
        mvc.perform(post("/api/v1/buses/bus-bound/positions").with(trackerClient("tracker-bus-16"))
                        .contentType(MediaType.APPLICATION_JSON).content("[" + reading + "]"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("nothing was published")));
        assertThat(TopicProbe.readAll(Topics.BUS_POSITIONS)).as("nothing of the other device's reading")
                .noneSatisfy(record -> assertThat(record.key()).isEqualTo("bus-bound"));

        // and its own device's reading is taken
        mvc.perform(post("/api/v1/buses/bus-bound/positions").with(trackerClient("tracker-bus-15"))
                        .contentType(MediaType.APPLICATION_JSON).content("[" + reading + "]"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.published").value(1));
        assertThat(TopicProbe.readAll(Topics.BUS_POSITIONS)).filteredOn(record -> record.key().equals("bus-bound")).hasSize(1);
        // and an operator reading the bus sees which device may position it
        mvc.perform(get("/api/v1/buses/bus-bound")).andExpect(status().isOk())
                .andExpect(jsonPath("$.trackerClient").value("tracker-bus-15"));

        // and the audit trail says who bound the bus to its device, and which other device was refused
        List<AuditEventRecorded> trail = TopicProbe.readAll(Topics.AUDIT_EVENTS).stream().map(ConsumerRecord::value)
                .filter(entry -> entry.getSubjectId().equals("bus-bound")).toList();
        assertThat(trail).extracting(AuditEventRecorded::getAction, AuditEventRecorded::getOutcome).containsExactly(
                tuple(AuditAction.MANIFEST_REGISTERED, AuditOutcome.SUCCEEDED), tuple(AuditAction.POSITIONS_REFUSED, AuditOutcome.REFUSED));
        assertThat(trail.get(0).getDetail()).contains("client tracker-bus-15 over REST");
        assertThat(trail.get(1).getDetail()).contains("client tracker-bus-16");
    }

    /** A tracker device's client-credentials token, as the identity provider issues it: the client in {@code azp}. */
    private static RequestPostProcessor trackerClient(String client) {
        return jwt().jwt(token -> token.claim("azp", client).claim("sub", "service-account-" + client))
                .authorities(new SimpleGrantedAuthority("ROLE_" + Roles.TRACKER));
    }

    @Test
    void shouldSendBadPartnerReadingsToTheDeadLetterTopicWithTheirReasonAndGoOn() throws Exception {
        // a bus of its own: one registered by another test exists only if that test ran first
        manifest("bus-dlt", "p-20").andExpect(status().isCreated());
        await().atMost(TIMEOUT).until(() -> ledger.manifest("bus-dlt").isPresent());
        Instant now = Instant.now();
        TopicProbe.produce(INTAKE_A, "dlt-unknown", reported("bus-never-registered", 52.3, 31.0, now));
        TopicProbe.produce(INTAKE_A, "dlt-coordinates", reported("bus-dlt", 52.3, 250.0, now));
        TopicProbe.produce(INTAKE_A, "dlt-future", reported("bus-dlt", 52.3, 31.0, now.plus(Duration.ofHours(1))));
        TopicProbe.produce(INTAKE_A, "dlt-bus-id", reported("b".repeat(10_000), 52.3, 31.0, now));
        TopicProbe.produceRaw(INTAKE_A.name(), "dlt-garbage", "not avro at all".getBytes(StandardCharsets.UTF_8));
        TopicProbe.produce(INTAKE_A, "tracker-a", reported("bus-dlt", 52.25, 31.02, now.minusSeconds(5)));

        String dlt = INTAKE_A.deadLetterTopic();
        // each of the five by its key: another test's refused readings share partner-a's dead-letter topic
        await().atMost(TIMEOUT).alias("five dead letters on " + dlt).until(() -> TopicProbe.readRaw(dlt).stream()
                .map(ConsumerRecord::key).filter(key -> key != null && key.startsWith("dlt-")).distinct().count() >= 5);
        List<ConsumerRecord<String, byte[]>> deadLetters = TopicProbe.readRaw(dlt);
        assertThat(reasonOf(deadLetters, "dlt-bus-id")).as("rejected for its id, which the reason does not repeat")
                .contains("busId: the bus id (10000 characters) must be 1 to 64 letters").hasSizeLessThan(300);
        assertThat(reasonOf(deadLetters, "dlt-unknown")).contains("unknown bus bus-never-registered");
        assertThat(reasonOf(deadLetters, "dlt-coordinates")).contains("impossible coordinates: longitude 250.0");
        assertThat(reasonOf(deadLetters, "dlt-future")).contains("in the future");
        assertThat(deadLetters).filteredOn(record -> "dlt-garbage".equals(record.key())).as("the record that is not Avro")
                .singleElement().satisfies(record -> {
                    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
                    assertThat(header(record, "kafka_dlt-exception-fqcn")).as("why it could not be read").isNotBlank();
                });
        TopicProbe.awaitRecords(Topics.BUS_POSITIONS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals("bus-dlt") && record.value().getLatitude() == 52.25));
    }

    @Test
    void shouldDeadLetterAnEventOfAnotherTypeOnAPartnersIntakeAndCarryNoPartnerHeadersNorTimestampOn() throws Exception {
        manifest("bus-foreign", "p-8").andExpect(status().isCreated());
        await().atMost(TIMEOUT).until(() -> ledger.manifest("bus-foreign").isPresent());
        // A partner copies a well-formed record of another topic (a manifest: a registered schema, valid Avro) onto its intake.
        byte[] manifest = TopicProbe.readRaw(Topics.BUS_MANIFESTS.name()).stream()
                .filter(record -> "bus-foreign".equals(record.key())).findFirst().orElseThrow().value();
        TopicProbe.produceRaw(INTAKE_A.name(), "dlt-foreign-event", manifest);
        // with headers and a record timestamp of its own, which must not travel on into transport's topics
        RecordHeaders partnerHeaders = new RecordHeaders();
        partnerHeaders.add("x-partner-note", "x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
        partnerHeaders.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        TopicProbe.produce(INTAKE_A, "tracker-after-foreign", reported("bus-foreign", 52.26, 31.03, Instant.now().minusSeconds(4)),
                partnerHeaders, Instant.parse("2001-01-01T00:00:00Z"));
        Instant sent = Instant.now();

        String dlt = INTAKE_A.deadLetterTopic();
        await().atMost(TIMEOUT).alias("the manifest on " + dlt).until(() ->
                TopicProbe.readRaw(dlt).stream().anyMatch(record -> "dlt-foreign-event".equals(record.key())));
        assertThat(reasonOf(TopicProbe.readRaw(dlt), "dlt-foreign-event"))
                .contains("is a BusManifestRegistered event, and " + INTAKE_A.name() + " carries BusPositionReported events only");
        ConsumerRecord<String, byte[]> recorded = await().atMost(TIMEOUT).until(() -> TopicProbe.readRaw(Topics.BUS_POSITIONS.name())
                .stream().filter(record -> "bus-foreign".equals(record.key())).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(recorded.headers().toArray()).as("the partner's headers").isEmpty();
        assertThat(Instant.ofEpochMilli(recorded.timestamp())).as("stamped when transport accepted it, not the partner's 2001")
                .isAfter(sent.minusSeconds(60));
    }

    @Test
    void shouldRefuseAPartnersReadingOfABusItDoesNotTrackToItsDeadLetterTopicAndPublishNoPositionOrMovement() throws Exception {
        // given bus-pa tracked by partner-a, and bus-rest whose manifest names no partner (REST door only)
        manifest("bus-pa", "p-13").andExpect(status().isCreated()).andExpect(jsonPath("$.trackedBy").value(PARTNER_A));
        manifestTrackedBy(null, "bus-rest", "p-14").andExpect(status().isCreated());
        await().atMost(TIMEOUT).until(() -> ledger.manifest("bus-pa").isPresent() && ledger.manifest("bus-rest").isPresent());
        GeoPoint reception = geography.receptionPoint().center();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        // when partner-b, with credentials of its own, reports partner-a's bus at the reception point three times (an
        // arrival), and partner-a reports the bus that no partner tracks; then partner-a reports its own bus
        for (int i = 0; i < 3; i++) {
            TopicProbe.produce(INTAKE_B, "forged-" + i, reported("bus-pa", reception.latitude(), reception.longitude(),
                    now.minusSeconds(40 - 15L * i)));
        }
        TopicProbe.produce(INTAKE_A, "forged-rest", reported("bus-rest", reception.latitude(), reception.longitude(), now));
        TopicProbe.produce(INTAKE_A, "tracker-pa", reported("bus-pa", 52.26, 31.03, now.minusSeconds(50)));

        // then partner-b's readings are on its own dead-letter topic with the reason, naming the bus and not its partner
        String dltOfB = INTAKE_B.deadLetterTopic();
        await().atMost(TIMEOUT).alias("three dead letters on " + dltOfB).until(() -> TopicProbe.readRaw(dltOfB).size() >= 3);
        for (int i = 0; i < 3; i++) {
            assertThat(reasonOf(TopicProbe.readRaw(dltOfB), "forged-" + i))
                    .contains("bus bus-pa is tracked by another partner: partner partner-b may report only the buses")
                    .doesNotContain(PARTNER_A);
        }
        String dltOfA = INTAKE_A.deadLetterTopic();
        await().atMost(TIMEOUT).alias("the reading of bus-rest on " + dltOfA).until(() ->
                TopicProbe.readRaw(dltOfA).stream().anyMatch(record -> "forged-rest".equals(record.key())));
        assertThat(reasonOf(TopicProbe.readRaw(dltOfA), "forged-rest")).contains("bus bus-rest is tracked by no partner");

        // and partner-a's own reading of its bus is recorded, and nothing else of these buses
        TopicProbe.awaitRecords(Topics.BUS_POSITIONS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals("bus-pa") && record.value().getLatitude() == 52.26));
        assertThat(TopicProbe.readAll(Topics.BUS_POSITIONS)).as("only partner-a's reading of bus-pa was recorded")
                .filteredOn(record -> record.key().equals("bus-pa") || record.key().equals("bus-rest"))
                .singleElement().satisfies(record -> assertThat(record.value().getLatitude()).isEqualTo(52.26));
        assertThat(movementsOf("bus-pa", Movement.ARRIVED)).as("no arrival from forged readings").isEmpty();
        assertThat(movementsOf("bus-pa", Movement.BORDER_CROSSED)).as("no crossing from forged readings").isEmpty();
    }

    @Test
    void shouldStillHoldAndThenRecordAnotherPartnersReadingWhilePartnerAFloodsUnknownBuses() throws Exception {
        // given partner-b's bus, whose manifest is not registered yet, and its person listed
        listing("p-hold-share", ListingChange.LISTED, ROUND);
        await().atMost(TIMEOUT).until(() -> ledger.listing("p-hold-share").isPresent());
        // One key for every record, on both partners' topics: the same partition number, so the same stream task and
        // the same store hold partner-a's flood and partner-b's reading.
        String key = "shared-partition";
        TopicProbe.produce(INTAKE_A, key, reported("bus-made-up-0", 52.3, 31.0, Instant.now()));
        AtomicLong sent = new AtomicLong(1);
        ScheduledExecutorService flood = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, Object> partnerA = partnerProducer(); KafkaProducer<String, Object> partnerB = partnerProducer()) {
            // when partner-a (a captured credential) reports made-up buses, 50 a second, far more than its share of the
            // hold (homecoming.holding.capacity 40 shared by two partners: 20 each) takes in a window of 15 s
            flood.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 5; i++) {
                    partnerA.send(new ProducerRecord<>(INTAKE_A.name(), key,
                            reported("bus-made-up-" + sent.getAndIncrement(), 52.3, 31.0, Instant.now())));
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            try {
                String dltOfA = INTAKE_A.deadLetterTopic();
                await().atMost(TIMEOUT).alias("partner-a's hold is full").until(() -> TopicProbe.readRaw(dltOfA).stream()
                        .anyMatch(record -> key.equals(record.key())
                                && header(record, "kafka_dlt-exception-message").contains("not held:")));

                // and partner-b's tracker reports its bus before the bus's manifest is registered
                partnerB.send(new ProducerRecord<>(INTAKE_B.name(), key, reported("bus-of-b", 52.27, 31.04, Instant.now()))).get();

                // then partner-b's reading is held, not refused, and recorded once its bus is known
                await().atMost(TIMEOUT).ignoreExceptions().alias("partner-b's reading is held while partner-a floods")
                        .until(() -> heldFrom(INTAKE_B) == 1);
                manifestTrackedBy("partner-b", "bus-of-b", "p-hold-share").andExpect(status().isCreated());
                TopicProbe.awaitRecords(Topics.BUS_POSITIONS, TIMEOUT, records -> records.stream().anyMatch(record ->
                        record.key().equals("bus-of-b") && record.value().getLatitude() == 52.27));
            } finally {
                flood.shutdown();
                assertThat(flood.awaitTermination(10, TimeUnit.SECONDS)).as("the flood stopped").isTrue();
            }
        }
        assertThat(TopicProbe.readRaw(INTAKE_B.deadLetterTopic())).as("nothing of partner-b's refused")
                .noneMatch(record -> key.equals(record.key()));

        // and every reading of partner-a's flood is refused or held and then dead-lettered, each saying why, so partner-a's
        // share is empty again for the next test
        String dltOfA = INTAKE_A.deadLetterTopic();
        await().atMost(TIMEOUT).alias("all " + sent.get() + " readings of the flood on " + dltOfA).until(() ->
                TopicProbe.readRaw(dltOfA).stream().filter(record -> key.equals(record.key())).count() >= sent.get());
        assertThat(TopicProbe.readRaw(dltOfA)).filteredOn(record -> key.equals(record.key()))
                .extracting(record -> header(record, DeadLetterPolicy.REASON_HEADER))
                .allSatisfy(reason -> assertThat(reason).satisfiesAnyOf(
                        refused -> assertThat(refused).startsWith(HoldShareFullException.class.getName() + ": ")
                                .contains("not held: partner partner-a's share of the hold is full")
                                .contains("at most 20 readings"),
                        expired -> assertThat(expired).startsWith(UnresolvedRecordException.class.getName() + ": ")
                                .contains("no manifest came")));
    }

    @Test
    void shouldDeadLetterTheWithdrawalOfAPersonNeverListedWithItsReasonOnceItsHoldIsUp() {
        // when: roster withdraws a person whom no listing ever named
        listing("p-never-listed", ListingChange.WITHDRAWN, ROUND);

        // then: the ledger holds it, then dead-letters it with the reason; it never counts as a listing
        String dlt = Topics.LISTED_PERSONS.deadLetterTopic();
        await().atMost(TIMEOUT).alias("the withdrawal on " + dlt).until(() ->
                TopicProbe.readRaw(dlt).stream().anyMatch(record -> "p-never-listed".equals(record.key())));
        ConsumerRecord<String, byte[]> letter = TopicProbe.readRaw(dlt).stream()
                .filter(record -> "p-never-listed".equals(record.key())).findFirst().orElseThrow();
        assertThat(header(letter, DeadLetterPolicy.REASON_HEADER))
                .startsWith("org.homecoming.platform.holding.UnresolvedRecordException")
                .contains("withdrawal of person p-never-listed, who was never listed");
        assertThat(ledger.listing("p-never-listed")).isEmpty();
    }

    @Test
    void shouldDeadLetterAnUnreadableManifestOnceWithItsRealCause() throws Exception {
        // given: a record on transport.bus-manifests that is not Avro; the ledger and the stream processor's
        // manifest table both read that topic
        TopicProbe.produceRaw(Topics.BUS_MANIFESTS.name(), "dlt-manifest-garbage", "not a manifest".getBytes(StandardCharsets.UTF_8));
        String dlt = Topics.BUS_MANIFESTS.deadLetterTopic();
        await().atMost(TIMEOUT).alias("the unreadable manifest on " + dlt).until(() ->
                TopicProbe.readRaw(dlt).stream().anyMatch(record -> "dlt-manifest-garbage".equals(record.key())));

        // when: the stream processor restarts and reads its manifest table again, and a good manifest follows
        restartStreams();
        manifest("bus-after-garbage", "p-11").andExpect(status().isCreated());
        await().atMost(TIMEOUT).until(() -> ledger.manifest("bus-after-garbage").isPresent());

        // then: one dead letter, which says why the record could not be read
        await().during(Duration.ofSeconds(5)).atMost(TIMEOUT).alias("still one copy of the poison record").until(() ->
                TopicProbe.readRaw(dlt).stream().filter(record -> "dlt-manifest-garbage".equals(record.key())).count() == 1);
        ConsumerRecord<String, byte[]> letter = TopicProbe.readRaw(dlt).stream()
                .filter(record -> "dlt-manifest-garbage".equals(record.key())).findFirst().orElseThrow();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not a manifest");
        assertThat(header(letter, DeadLetterPolicy.REASON_HEADER)).as("the innermost cause, not Spring's wrapper")
                .isNotBlank().doesNotContain("failed to deserialize").doesNotStartWith(DeserializationException.class.getName());
    }

    @Test
    void shouldDetectExactlyOneBorderCrossingAcrossRestartsOfTheStreamProcessor() throws Exception {
        manifest("bus-r", "p-4").andExpect(status().isCreated());
        GeoPoint crossing = geography.crossingPoint().center();
        int south = geography.border().sideOf(crossing.offsetMeters(-1000, 0)) == geography.receivingSide() ? -1 : 1;
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(90));
        List<BusPositionReported> trip = new ArrayList<>();
        GeoPoint[] points = {
                geography.origin().center(), geography.route().pointAt(5_000),
                crossing.offsetMeters(-south * 40, 0), crossing.offsetMeters(south * 30, 0), crossing.offsetMeters(-south * 10, 0),
                crossing.offsetMeters(south * 200, 0), crossing.offsetMeters(south * 260, 0), crossing.offsetMeters(south * 320, 0)};
        for (int i = 0; i < points.length; i++) {
            // at the pace a bus can drive: ten minutes to the first point on the road, an hour to the border
            Instant at = i == 0 ? start : i == 1 ? start.plus(Duration.ofMinutes(10)) : start.plus(Duration.ofMinutes(60)).plusSeconds(15L * i);
            trip.add(reported("bus-r", points[i].latitude(), points[i].longitude(), at));
        }

        // given a bus two readings short of a declared crossing
        positions("bus-r", trip.subList(0, 7).stream().map(TransportIntegrationTest::json).toArray(String[]::new))
                .andExpect(status().isAccepted());
        await().atMost(TIMEOUT).alias("the processor has seen the 7th reading").ignoreExceptions().until(() ->
                trips.find("bus-r").map(found -> trip.get(6).getRecordedAt().toEpochMilli() == found.lastRecordedAt()).orElse(false));
        assertThat(movementsOf("bus-r", Movement.BORDER_CROSSED)).as("not crossed yet").isEmpty();

        // when the processor restarts and the third clear reading comes
        restartStreams();
        positions("bus-r", json(trip.get(7))).andExpect(status().isAccepted());

        // then the count of clear readings survived the restart: the crossing is declared now
        await().atMost(TIMEOUT).alias("border crossed after the restart").until(() -> movementsOf("bus-r", Movement.BORDER_CROSSED).size() == 1);
        // and nobody can be added to the bus now: a person added after the crossing would count as crossed
        manifest("bus-r", "p-4", "p-12").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("without p-12")));

        // when it restarts again and a partner tracker replays the whole trip so far before the bus arrives
        restartStreams();
        trip.forEach(reading -> TopicProbe.produce(INTAKE_A, "bus-r", reading));
        TopicProbe.awaitRecords(Topics.BUS_POSITIONS, TIMEOUT, records ->
                records.stream().filter(record -> record.key().equals("bus-r")).count() == 2L * trip.size());
        GeoPoint reception = geography.receptionPoint().center();
        Instant atReception = start.plus(Duration.ofMinutes(88));
        positions("bus-r", reading(crossing.offsetMeters(south * 2_000, 0).latitude(), crossing.offsetMeters(south * 2_000, 0).longitude(),
                        start.plus(Duration.ofMinutes(62))), reading(reception.latitude(), reception.longitude(), atReception),
                reading(reception.latitude(), reception.longitude(), atReception.plusSeconds(15)),
                reading(reception.latitude(), reception.longitude(), atReception.plusSeconds(30)))
                .andExpect(status().isAccepted());

        // then the trip ends with exactly one of each announcement
        await().atMost(TIMEOUT).alias("the bus arrived").until(() -> movementsOf("bus-r", Movement.ARRIVED).size() == 1);
        assertThat(movementsOf("bus-r", Movement.BORDER_CROSSED)).as("exactly one crossing, read_committed").hasSize(1)
                .first().satisfies(crossed -> assertThat(crossed.getOccurredAt()).isEqualTo(trip.get(7).getRecordedAt()));
        assertThat(movementsOf("bus-r", Movement.DEPARTED)).as("exactly one departure").hasSize(1);
        mvc.perform(get("/api/v1/buses/bus-r"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("ARRIVED"))
                .andExpect(jsonPath("$.onManifest").value(1))
                .andExpect(jsonPath("$.checkpointsPassed", hasSize(0)));
    }

    @Test
    void shouldRecordHandOversOnceAndReportDiscrepanciesWhenTheyAreClosed() throws Exception {
        manifest("bus-h", "p-5", "p-6").andExpect(status().isCreated());
        mvc.perform(post("/api/v1/buses/bus-h/handovers-complete"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("has not arrived")));
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
        GeoPoint origin = geography.origin().center();
        GeoPoint reception = geography.receptionPoint().center();
        Instant atReception = start.plus(Duration.ofHours(2));
        positions("bus-h", reading(origin.latitude(), origin.longitude(), start),
                reading(reception.latitude(), reception.longitude(), atReception),
                reading(reception.latitude(), reception.longitude(), atReception.plusSeconds(15)),
                reading(reception.latitude(), reception.longitude(), atReception.plusSeconds(30)))
                .andExpect(status().isAccepted());
        await().atMost(TIMEOUT).alias("bus-h arrived").until(() -> movementsOf("bus-h", Movement.ARRIVED).size() == 1);

        handover("p-5", "bus-h").andExpect(status().isCreated()).andExpect(jsonPath("$.onManifest").value(true))
                .andExpect(jsonPath("$.roundId").value(ROUND));
        handover("p-5", "bus-h").andExpect(status().isOk()).andExpect(jsonPath("$.published").value(false));
        handover("p-stranger", "bus-h").andExpect(status().isCreated()).andExpect(jsonPath("$.onManifest").value(false));
        handover("p-8", "bus-without-manifest").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("busId"));
        admission("p-5").andExpect(status().isCreated());
        admission("p-5").andExpect(status().isOk()).andExpect(jsonPath("$.published").value(false));
        admission("p-6").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("was not handed over")));

        mvc.perform(post("/api/v1/buses/bus-h/handovers-complete")).andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(2)));
        mvc.perform(post("/api/v1/buses/bus-h/handovers-complete")).andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(2)));

        List<HandoverDiscrepancyFound> discrepancies = TopicProbe.readAll(Topics.HANDOVER_DISCREPANCIES).stream()
                .filter(record -> record.key().equals("bus-h")).map(ConsumerRecord::value).toList();
        assertThat(discrepancies).as("each discrepancy published once although hand-overs were closed twice")
                .extracting(HandoverDiscrepancyFound::getPersonId, HandoverDiscrepancyFound::getDiscrepancy)
                .containsExactlyInAnyOrder(tuple("p-stranger", Discrepancy.NOT_ON_MANIFEST),
                        tuple("p-6", Discrepancy.NOT_HANDED_OVER));
        assertThat(TopicProbe.readAll(Topics.PERSON_ARRIVALS)).filteredOn(record -> record.key().equals("p-5"))
                .as("p-5 handed over once").singleElement()
                .satisfies(record -> assertThat(record.value().getOnManifest()).isTrue());
        assertThat(TopicProbe.readAll(Topics.FACILITY_ADMISSIONS)).filteredOn(record -> record.key().equals("p-5"))
                .as("p-5 admitted once").singleElement()
                .satisfies(record -> assertThat(record.value().getRoundId()).isEqualTo(ROUND));
        mvc.perform(get("/api/v1/buses")).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.busId == 'bus-h')].handedOver").value(1))
                .andExpect(jsonPath("$[?(@.busId == 'bus-h')].onManifest").value(2));
    }

    static final String ARRIVAL_OF_P19 = "{\"personIds\": [\"p-19\"]}";

    @Test
    void shouldLetReceptionConfirmTheArrivalOfABusNoTrackerReportsAndHandItsPeopleOver() throws Exception {
        // given a bus whose manifest names no tracker (or whose device died): it never arrives by itself
        manifestBoundTo(null, null, "bus-u", "p-19").andExpect(status().isCreated());
        handover("p-19", "bus-u").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].reason").value(containsString("has not arrived")));

        // when the reception staff confirm it with someone off another bus (a mistyped bus number), nothing is published
        mvc.perform(post("/api/v1/buses/bus-u/arrival").contentType(MediaType.APPLICATION_JSON).content("{\"personIds\": [\"p-1\"]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("personIds[0]"));
        assertThat(movementsOf("bus-u", Movement.DEPARTED)).isEmpty();

        // when the reception staff, who see it at the reception point with p-19 on board, confirm its arrival
        mvc.perform(post("/api/v1/buses/bus-u/arrival").contentType(MediaType.APPLICATION_JSON).content(ARRIVAL_OF_P19))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.roundId").value(ROUND)).andExpect(jsonPath("$.published").value(true));

        // then the trip departs, crosses and arrives, each once, and its people are handed over
        await().atMost(TIMEOUT).alias("bus-u arrived").until(() -> movementsOf("bus-u", Movement.ARRIVED).size() == 1);
        assertThat(movementsOf("bus-u", Movement.BORDER_CROSSED)).as("the crossing a silent tracker never showed").hasSize(1);
        assertThat(movementsOf("bus-u", Movement.DEPARTED)).hasSize(1);
        handover("p-19", "bus-u").andExpect(status().isCreated());
        // and a second confirmation publishes nothing, nor does the arrival come twice
        mvc.perform(post("/api/v1/buses/bus-u/arrival").contentType(MediaType.APPLICATION_JSON).content(ARRIVAL_OF_P19))
                .andExpect(status().isOk()).andExpect(jsonPath("$.published").value(false));
        assertThat(movementsOf("bus-u", Movement.ARRIVED)).hasSize(1);
        assertThat(TopicProbe.readAll(Topics.AUDIT_EVENTS)).filteredOn(record -> record.key().equals("bus-u"))
                .extracting(record -> record.value().getAction()).containsOnlyOnce(AuditAction.ARRIVAL_CONFIRMED);
        mvc.perform(post("/api/v1/buses/bus-unknown/arrival").contentType(MediaType.APPLICATION_JSON).content(ARRIVAL_OF_P19))
                .andExpect(status().isBadRequest());
    }

    @Test
    void shouldFollowABusThatATrackerDrivesFromGomelToChernihiv() throws Exception {
        manifest("bus-sim", "p-9").andExpect(status().isCreated());
        CrossingRoad road;
        try (InputStream geoJson = TransportIntegrationTest.class.getResourceAsStream("/geo/chernihiv-crossing.geojson")) {
            road = CrossingRoad.fromGeoJson(geoJson);
        }

        try (BusTrackers.Convoy convoy = new BusTrackers(road, this::sendPositions).drive(List.of("bus-sim"), 3600, 7)) {
            await().atMost(TIMEOUT).alias("the tracked bus arrived").until(() -> movementsOf("bus-sim", Movement.ARRIVED).size() == 1);
            assertThat(convoy.failures()).as("every batch of readings accepted").isEmpty();
        }

        assertThat(movementsOf("bus-sim", Movement.BORDER_CROSSED)).as("one crossing despite jitter at the line").hasSize(1);
        assertThat(movementsOf("bus-sim", Movement.CHECKPOINT_PASSED)).extracting(BusMovementDetected::getPlace)
                .containsExactly("Nova Huta customs (BY)", "Novi Yarylovychi checkpoint (UA)", "Ripky police checkpoint (UA)");
    }

    /** The way a partner's tracker sends its readings: the public positions endpoint. */
    private void sendPositions(String busId, List<TrackerReading> readings) {
        try {
            // sent from the convoy's own thread, so the tracker's identity goes with each request
            mvc.perform(post("/api/v1/buses/" + busId + "/positions").with(trackerClient(TRACKERS))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(TrackerReading.jsonArray(readings))).andExpect(status().isAccepted());
        } catch (Exception e) {
            throw new IllegalStateException("readings of " + busId + " refused: " + e.getMessage(), e);
        }
    }

    private void restartStreams() {
        streams.stop();
        streams.start();
        await().atMost(TIMEOUT).alias("the stream processor runs again").until(() ->
                streams.getKafkaStreams() != null && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
    }

    private static List<BusMovementDetected> movementsOf(String busId, Movement movement) {
        return TopicProbe.readAll(Topics.BUS_MOVEMENTS).stream()
                .filter(record -> record.key().equals(busId))
                .map(ConsumerRecord::value)
                .filter(detected -> detected.getMovement() == movement)
                .toList();
    }

    private static String reasonOf(List<ConsumerRecord<String, byte[]>> deadLetters, String key) {
        return deadLetters.stream().filter(record -> key.equals(record.key())).findFirst()
                .map(record -> header(record, "kafka_dlt-exception-message"))
                .orElseThrow(() -> new AssertionError("no dead letter with key " + key));
    }

    /** A partner's producer, as a partner's own client writes its intake topic (the schema registered by transport). */
    private static KafkaProducer<String, Object> partnerProducer() {
        Map<String, Object> config = TopicProbe.avroProducerConfig();
        config.put("apicurio.registry.auto-register", false);
        config.put("apicurio.registry.find-latest", true);
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), serializer);
    }

    /** How many readings from {@code intake} transport's stream processor holds now (its store, queried). */
    private long heldFrom(Topic<String, BusPositionReported> intake) {
        ReadOnlyKeyValueStore<String, byte[]> held = streams.getKafkaStreams().store(StoreQueryParameters.fromNameAndType(
                IntakeValidation.HELD_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        long count = 0;
        try (KeyValueIterator<String, byte[]> all = held.all()) {
            while (all.hasNext()) {
                if (all.next().key.contains("|" + intake.name() + "|")) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A manifest of a bus that partner-a's trackers report on Kafka, and the trackers' client over REST. */
    private ResultActions manifest(String busId, String... personIds) throws Exception {
        return manifestTrackedBy(PARTNER_A, busId, personIds);
    }

    /** A manifest of a bus that {@code partner}'s trackers report (null: no partner's), and the trackers' client. */
    private ResultActions manifestTrackedBy(String partner, String busId, String... personIds) throws Exception {
        return manifestBoundTo(partner, TRACKERS, busId, personIds);
    }

    /** A manifest that binds the bus to {@code partner} on Kafka and to {@code client} over REST (null: to none). */
    private ResultActions manifestBoundTo(String partner, String client, String busId, String... personIds) throws Exception {
        String persons = String.join("\", \"", personIds);
        return mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content("""
                {"busId": "%s", "roundId": "%s", "personIds": ["%s"], "origin": "gomel-assembly-point",
                 "receptionPoint": "chernihiv-reception-point", "trackedBy": %s, "trackerClient": %s}""".formatted(busId, ROUND,
                persons, quoted(partner), quoted(client))));
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private ResultActions positions(String busId, String... readings) throws Exception {
        return mvc.perform(post("/api/v1/buses/" + busId + "/positions").with(trackerClient(TRACKERS)).contentType(MediaType.APPLICATION_JSON)
                .content("[" + String.join(",", readings) + "]"));
    }

    private ResultActions handover(String personId, String busId) throws Exception {
        return mvc.perform(post("/api/v1/handovers").contentType(MediaType.APPLICATION_JSON).content("""
                {"personId": "%s", "busId": "%s", "identityVerified": true, "triageLevel": "URGENT",
                 "destinationFacility": "chernihiv-regional-hospital"}""".formatted(personId, busId)));
    }

    private ResultActions admission(String personId) throws Exception {
        return mvc.perform(post("/api/v1/admissions").contentType(MediaType.APPLICATION_JSON).content("""
                {"personId": "%s", "facility": "chernihiv-regional-hospital"}""".formatted(personId)));
    }

    private static String reading(double latitude, double longitude, Instant recordedAt) {
        return """
                {"latitude": %s, "longitude": %s, "speedKmh": 40.0, "recordedAt": "%s"}""".formatted(latitude, longitude, recordedAt);
    }

    private static String json(BusPositionReported reported) {
        return reading(reported.getLatitude(), reported.getLongitude(), reported.getRecordedAt());
    }

    private static BusPositionReported reported(String busId, double latitude, double longitude, Instant recordedAt) {
        return BusPositionReported.newBuilder().setBusId(busId).setLatitude(latitude).setLongitude(longitude)
                .setSpeedKmh(40.0).setRecordedAt(recordedAt).build();
    }

    private static void listing(String personId, ListingChange change, String roundId) {
        TopicProbe.produce(Topics.LISTED_PERSONS, personId, PersonListingChanged.newBuilder()
                .setPersonId(personId)
                .setChange(change)
                .setRoundId(roundId)
                .setListId("list-" + roundId)
                .setListVersion(1)
                .setReleasingSide(Side.RU)
                .setNativeName(new PersonName("Тестовий", "Особа", null))
                .setCategory(PersonCategory.CIVILIAN)
                .setChangedAt(Instant.now())
                .build());
    }
}

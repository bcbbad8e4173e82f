package org.homecoming.transport.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.events.transport.Movement;
import org.homecoming.platform.holding.HoldingSettings;
import org.homecoming.platform.holding.UnresolvedRecordException;
import org.homecoming.platform.kafka.TopicSerdes;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.geo.CrossingGeographyTestAccess;
import org.homecoming.transport.geo.GeoPoint;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MissedPartnerMovements;
import org.homecoming.transport.movements.MovementDetector;
import org.homecoming.transport.movements.TripStoreTestAccess;
import org.homecoming.transport.telemetry.HoldShareFullException;
import org.homecoming.transport.telemetry.ReadingHold;
import org.homecoming.transport.telemetry.RejectedReadingException;
import org.homecoming.transport.telemetry.ReadingValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportTopologyTest {

    static final Instant START = Instant.parse("2026-11-20T06:00:00Z");

    @TempDir
    Path stateDir;

    final CrossingGeography geography = CrossingGeographyTestAccess.shipped();
    final TopicSerdes serdes = PlainAvroSerde.forTopics();

    static final Duration HOLD = Duration.ofSeconds(30);
    /** The partner whose trackers report bus-1 (its intake topic: {@link #intake}), and another partner. */
    static final String PARTNER_A = "partner-a";
    static final String PARTNER_B = "partner-b";
    static final Topic<String, BusPositionReported> INTAKE_A = Topics.busPositionIntake(PARTNER_A);
    static final Topic<String, BusPositionReported> INTAKE_B = Topics.busPositionIntake(PARTNER_B);
    static final int HELD_BYTES = 64 * 1024;

    record DeadLetter(String topic, long offset, BusPositionReported reading, Exception reason) {
    }

    final List<DeadLetter> deadLetters = new ArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Dead-letter topics a send to fails (deleted with their partner, or no longer writable). */
    final Set<String> unreachableDeadLetterTopics = new HashSet<>();
    TopologyTestDriver driver;
    TestInputTopic<String, BusManifestRegistered> manifests;
    TestInputTopic<String, BusPositionReported> intake;
    TestInputTopic<String, BusPositionReported> intakeOfB;
    TestInputTopic<String, BusPositionRecorded> positions;
    TestOutputTopic<String, BusPositionRecorded> recorded;
    TestOutputTopic<String, BusMovementDetected> movements;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        TransportTopology.addTo(builder, serdes, List.of(PARTNER_A, PARTNER_B), new ReadingValidator(),
                new ReadingHold(new HoldingSettings(HOLD, 100, Duration.ofSeconds(1), 0), (record, exception) -> {
                    if (unreachableDeadLetterTopics.contains(record.topic() + Topic.DEAD_LETTER_SUFFIX)) {
                        throw new IllegalStateException("Topic " + record.topic() + Topic.DEAD_LETTER_SUFFIX + " not present in metadata");
                    }
                    deadLetters.add(new DeadLetter(record.topic(), record.offset(), serdes.values(INTAKE_A).deserializer()
                            .deserialize(record.topic(), (byte[]) record.value()), exception));
                }, HELD_BYTES),
                new MovementDetector(geography, DetectionSettings.defaults()), DetectionSettings.defaults(),
                new MissedPartnerMovements(meters));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "transport-topology-test");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(builder.build(), config, START);
        manifests = driver.createInputTopic(Topics.BUS_MANIFESTS.name(), serdes.keys(Topics.BUS_MANIFESTS).serializer(), serdes.values(Topics.BUS_MANIFESTS).serializer());
        intake = driver.createInputTopic(INTAKE_A.name(), serdes.keys(INTAKE_A).serializer(), serdes.values(INTAKE_A).serializer());
        intakeOfB = driver.createInputTopic(INTAKE_B.name(), serdes.keys(INTAKE_B).serializer(), serdes.values(INTAKE_B).serializer());
        positions = driver.createInputTopic(Topics.BUS_POSITIONS.name(), serdes.keys(Topics.BUS_POSITIONS).serializer(), serdes.values(Topics.BUS_POSITIONS).serializer());
        recorded = driver.createOutputTopic(Topics.BUS_POSITIONS.name(), serdes.keys(Topics.BUS_POSITIONS).deserializer(), serdes.values(Topics.BUS_POSITIONS).deserializer());
        movements = driver.createOutputTopic(Topics.BUS_MOVEMENTS.name(), serdes.keys(Topics.BUS_MOVEMENTS).deserializer(), serdes.values(Topics.BUS_MOVEMENTS).deserializer());
        manifests.pipeInput("bus-1", BusManifestRegistered.newBuilder().setBusId("bus-1").setRoundId("round-1")
                .setPersonIds(List.of("p-1", "p-2")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).setTrackedBy(PARTNER_A).build());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldRepublishAValidPartnerReadingKeyedByBusWithTheRoundOfItsManifest() {
        intake.pipeInput("tracker-77", reported("bus-1", 52.30, 31.01, START.plusSeconds(30)));

        List<KeyValue<String, BusPositionRecorded>> out = recorded.readKeyValuesToList();
        assertThat(out).as("one recorded position").hasSize(1);
        assertThat(out.get(0).key).isEqualTo("bus-1");
        assertThat(out.get(0).value.getRoundId()).isEqualTo("round-1");
        assertThat(out.get(0).value.getLatitude()).isEqualTo(52.30);
    }

    @Test
    void shouldHoldAReadingOfABusWhoseManifestIsNotReadYetAndRepublishItWhenTheManifestIs() {
        // given: a tracker reports before the bus's manifest is read
        intake.pipeInput("tracker-9", reported("bus-9", 52.30, 31.01, START.plusSeconds(10)));
        assertThat(recorded.isEmpty()).as("held, not republished without a round").isTrue();

        // when: the manifest is read within the hold
        manifests.pipeInput("bus-9", BusManifestRegistered.newBuilder().setBusId("bus-9").setRoundId("round-9")
                .setPersonIds(List.of("p-9")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).setTrackedBy(PARTNER_A).build());
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // then
        assertThat(recorded.readKeyValuesToList()).singleElement().satisfies(out -> {
            assertThat(out.key).isEqualTo("bus-9");
            assertThat(out.value.getRoundId()).isEqualTo("round-9");
        });
        driver.advanceWallClockTime(HOLD);
        assertThat(deadLetters).as("nothing dead-lettered").isEmpty();
        assertThat(recorded.isEmpty()).as("republished once").isTrue();
    }

    @Test
    void shouldDeadLetterAReadingOfABusThatNeverGetsAManifestWhenItsHoldIsUp() {
        intake.pipeInput("tracker-8", reported("bus-never", 52.30, 31.01, START.plusSeconds(10)));
        driver.advanceWallClockTime(HOLD.minusSeconds(5));
        assertThat(deadLetters).as("still held").isEmpty();

        driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo(INTAKE_A.name());
            assertThat(letter.reading().getBusId()).isEqualTo("bus-never");
            assertThat(letter.reason()).isInstanceOf(UnresolvedRecordException.class)
                    .hasMessageContaining("unknown bus bus-never: no manifest is registered for it");
        });
        assertThat(recorded.isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseAReadingOfABusBoundToAnotherPartnerAndRecordTheBoundPartnersReading() {
        // when partner-b reports bus-1, whose manifest says partner-a tracks it
        assertThatThrownBy(() -> intakeOfB.pipeInput("forged", reported("bus-1", 52.30, 31.01, START.plusSeconds(30))))
                .rootCause().isInstanceOf(RejectedReadingException.class)
                .hasMessageContaining("bus bus-1 is tracked by another partner: partner partner-b may report only the buses"
                        + " whose manifest names it");
        // then nothing of it is recorded, while partner-a's reading of bus-1 is
        assertThat(recorded.isEmpty()).as("partner-b's reading of partner-a's bus was not recorded").isTrue();
        intake.pipeInput("tracker-a", reported("bus-1", 52.31, 31.01, START.plusSeconds(35)));
        assertThat(recorded.readValuesToList()).singleElement()
                .satisfies(position -> assertThat(position.getLatitude()).isEqualTo(52.31));
    }

    @Test
    void shouldRefuseEveryPartnersReadingOfABusWhoseManifestNamesNoPartner() {
        manifests.pipeInput("bus-rest", BusManifestRegistered.newBuilder().setBusId("bus-rest").setRoundId("round-1")
                .setPersonIds(List.of("p-3")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).build());

        for (TestInputTopic<String, BusPositionReported> topic : List.of(intake, intakeOfB)) {
            assertThatThrownBy(() -> topic.pipeInput("bus-rest", reported("bus-rest", 52.30, 31.01, START.plusSeconds(30))))
                    .rootCause().isInstanceOf(RejectedReadingException.class)
                    .hasMessageContaining("bus bus-rest is tracked by no partner");
        }
        assertThat(recorded.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAHeldReadingFromAnotherPartnerOnceTheManifestSaysWhoTracksTheBus() {
        // given partner-b reports bus-9 before its manifest is read: held
        intakeOfB.pipeInput("forged", reported("bus-9", 52.30, 31.01, START.plusSeconds(10)));
        assertThat(recorded.isEmpty()).isTrue();

        // when the manifest comes, binding bus-9 to partner-a
        manifests.pipeInput("bus-9", BusManifestRegistered.newBuilder().setBusId("bus-9").setRoundId("round-9")
                .setPersonIds(List.of("p-9")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).setTrackedBy(PARTNER_A).build());
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // then the reading goes to partner-b's dead-letter topic with the reason, at once, and no position is recorded
        assertThat(recorded.isEmpty()).as("not recorded").isTrue();
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo(INTAKE_B.name());
            assertThat(letter.reading().getBusId()).isEqualTo("bus-9");
            assertThat(letter.reason()).isInstanceOf(RejectedReadingException.class)
                    .hasMessageContaining("bus bus-9 is tracked by another partner: partner partner-b");
        });
    }

    @Test
    void shouldRejectPartnerReadingsOfUnknownBusesWithImpossibleCoordinatesOrFromTheFuture() {
        assertRejected(reported("bus-unknown", 52.30, 250.0, START), "unknown bus bus-unknown");
        assertRejected(reported("bus-1", 95.0, 31.01, START), "impossible coordinates: latitude 95.0");
        assertRejected(reported("bus-1", 52.30, 31.01, START.plus(Duration.ofMinutes(6))), "in the future");
        assertRejected(reported("bus-1", 52.30, 31.01, START.plusSeconds(90)), "more than 60 seconds in the future");

        assertThat(recorded.isEmpty()).as("no rejected reading was republished").isTrue();
    }

    @Test
    void shouldDetectOneCrossingFromJitteryDuplicatedAndOutOfOrderPositions() {
        GeoPoint crossing = geography.crossingPoint().center();
        int south = geography.border().sideOf(crossing.offsetMeters(-1000, 0)) == geography.receivingSide() ? -1 : 1;
        position(geography.origin().center(), -3600);   // an hour's drive before the line
        position(crossing.offsetMeters(-south * 30, 0), 60);
        position(crossing.offsetMeters(south * 40, 0), 75);
        position(crossing.offsetMeters(-south * 10, 0), 90);
        position(crossing.offsetMeters(south * 200, 0), 105);
        position(crossing.offsetMeters(south * 200, 0), 105);   // duplicate
        position(crossing.offsetMeters(-south * 20, 0), 95);    // late, from before
        position(crossing.offsetMeters(south * 260, 0), 120);
        position(crossing.offsetMeters(south * 320, 0), 135);
        position(crossing.offsetMeters(-south * 15, 0), 150);   // jitter after crossing
        position(crossing.offsetMeters(south * 400, 0), 165);
        position(crossing.offsetMeters(south * 500, 0), 180);
        position(crossing.offsetMeters(south * 600, 0), 195);

        List<BusMovementDetected> out = movements.readValuesToList();
        assertThat(out).filteredOn(movement -> movement.getMovement() == Movement.BORDER_CROSSED).as("exactly one crossing")
                .singleElement()
                .satisfies(crossed -> assertThat(crossed.getOccurredAt()).isEqualTo(START.plusSeconds(135)));
        assertThat(out).filteredOn(movement -> movement.getMovement() == Movement.DEPARTED).hasSize(1);
        assertThat(driver.getKeyValueStore("bus-trips").get("bus-1")).as("the trip is in the persistent store").isNotNull();
    }

    @Test
    void shouldReportASilentTrackerOnceByWallClock() {
        position(geography.route().pointAt(20_000), 0);
        movements.readValuesToList();

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(movements.isEmpty()).as("one minute of silence is not yet silence").isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(70));
        driver.advanceWallClockTime(Duration.ofMinutes(5));

        assertThat(movements.readValuesToList()).extracting(BusMovementDetected::getMovement)
                .as("reported once after two minutes").containsExactly(Movement.TRACKER_SILENT);
    }

    @Test
    void shouldRepublishWithTheRoundOfTheBussLatestManifestAndHoldItsReadingsOnceTheManifestIsRemoved() {
        // given: bus-1 is registered for round-1, then again for round-2
        manifests.pipeInput("bus-1", BusManifestRegistered.newBuilder().setBusId("bus-1").setRoundId("round-2")
                .setPersonIds(List.of("p-3")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START.plusSeconds(5)).setTrackedBy(PARTNER_A).build());
        intake.pipeInput("tracker-77", reported("bus-1", 52.30, 31.01, START.plusSeconds(30)));
        assertThat(recorded.readValuesToList()).singleElement().as("the round of the latest manifest")
                .satisfies(out -> assertThat(out.getRoundId()).isEqualTo("round-2"));

        // when: its manifest is removed (a tombstone)
        manifests.pipeInput("bus-1", (BusManifestRegistered) null);
        intake.pipeInput("tracker-77", reported("bus-1", 52.31, 31.01, START.plusSeconds(40)));

        // then: the bus is unknown again, its reading held and then dead-lettered
        assertThat(recorded.isEmpty()).as("not republished for a bus without a manifest").isTrue();
        driver.advanceWallClockTime(HOLD.plusSeconds(2));
        assertThat(deadLetters).singleElement().satisfies(letter ->
                assertThat(letter.reason()).hasMessageContaining("unknown bus bus-1"));
    }

    @Test
    void shouldReportASilentTrackerAgainAfterItSpokeAndFellSilentAgain() {
        position(geography.route().pointAt(20_000), 0);
        driver.advanceWallClockTime(Duration.ofMinutes(3));
        position(geography.route().pointAt(20_500), 200);
        driver.advanceWallClockTime(Duration.ofMinutes(3));

        assertThat(movements.readValuesToList()).extracting(BusMovementDetected::getMovement)
                .as("each silence reported once, the trip read back from the store after the silence check wrote it")
                .containsSubsequence(Movement.TRACKER_SILENT, Movement.TRACKER_SILENT)
                .filteredOn(movement -> movement == Movement.TRACKER_SILENT).hasSize(2);
        assertThat(driver.<String, Object>getKeyValueStore("bus-trips").get("bus-1")).as("stored after the second silence")
                .extracting("silent").isEqualTo(true);
    }

    @Test
    void shouldWriteTheTripToTheChangelogOncePerCommitAsTheStoreHoldsIt() {
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic("transport-topology-test-bus-trips-changelog",
                new StringDeserializer(), new ByteArrayDeserializer());
        // the test driver commits after each record it is given
        position(geography.route().pointAt(20_000), 0);
        position(geography.route().pointAt(20_500), 30);
        position(geography.route().pointAt(20_500), 30);   // a duplicate changes nothing, so nothing is written

        List<KeyValue<String, byte[]>> written = changelog.readKeyValuesToList();
        assertThat(written).as("one changelog record per commit that changed the trip").hasSize(2)
                .allSatisfy(record -> assertThat(record.key).isEqualTo("bus-1"));
        assertThat(written.get(1).value).as("the changelog carries the trip as the store holds it after the commit")
                .isEqualTo(TripStoreTestAccess.encoded(driver.<String, Object>getKeyValueStore("bus-trips").get("bus-1")));
    }

    @Test
    void shouldRejectAReadingWhoseBusIdBreaksTheIdRuleWithoutHoldingOrEchoingIt() {
        String hugeId = "b".repeat(10_000);

        assertThatThrownBy(() -> intake.pipeInput("tracker-66", reported(hugeId, 52.30, 31.01, START)))
                .rootCause().isInstanceOf(RejectedReadingException.class)
                .hasMessageContaining("must be 1 to 64 letters")
                .satisfies(reason -> assertThat(reason.getMessage()).as("the reason does not repeat the id").hasSizeLessThan(300));
        assertRejected(reported("bus/../1", 52.30, 31.01, START), "must be 1 to 64 letters");

        assertThat(heldReadings()).as("nothing held").isZero();
        driver.advanceWallClockTime(HOLD.plusSeconds(2));
        assertThat(deadLetters).as("rejected at once, not held until the window is up").isEmpty();
        assertThat(recorded.isEmpty()).isTrue();
    }

    @Test
    void shouldHoldNoMoreReadingsOfUnknownBusesFromAPartnerThanItsShareAndHoldAgainOnceTheyAreGone() {
        // the capacity of 100 readings is shared by two partners: 50 each
        for (int i = 0; i < 50; i++) {
            intake.pipeInput("tracker-" + i, reported("bus-unknown-" + i, 52.30, 31.01, START));
        }
        assertThat(heldReadings()).isEqualTo(50);

        assertThatThrownBy(() -> intake.pipeInput("tracker-50", reported("bus-unknown-50", 52.30, 31.01, START)))
                .rootCause().isInstanceOf(HoldShareFullException.class)
                .hasMessageContaining("unknown bus bus-unknown-50")
                .hasMessageContaining("not held: partner partner-a's share of the hold is full: 50 of its readings of unknown buses")
                .hasMessageContaining("at most 50 readings");
        assertThat(heldReadings()).as("partner-a's share is 50 readings").isEqualTo(50);

        driver.advanceWallClockTime(HOLD.plusSeconds(2));
        assertThat(deadLetters).as("every held reading dead-lettered when its time was up").hasSize(50);
        assertThat(heldReadings()).isZero();
        intake.pipeInput("tracker-0", reported("bus-unknown-101", 52.30, 31.01, START.plusSeconds(40)));
        assertThat(heldReadings()).as("room again").isEqualTo(1);
    }

    @Test
    void shouldStillHoldAndThenRecordAnotherPartnersReadingWhileOnePartnerFloodsUnknownBuses() {
        // given partner-a (a captured credential) reports 200 made-up buses, four times its share of the hold
        List<Throwable> refused = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            try {
                intake.pipeInput("flood", reported("bus-made-up-" + i, 52.30, 31.01, START));
            } catch (RuntimeException e) {
                Throwable cause = e;
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                refused.add(cause);
            }
        }

        // when partner-b's tracker reports its bus before the bus's manifest is read
        intakeOfB.pipeInput("tracker-b", reported("bus-of-b", 52.30, 31.01, START.plusSeconds(10)));

        // then partner-b's reading is held, not refused, and partner-a's held readings were not evicted for it
        assertThat(heldReadings()).as("partner-a's 50 and partner-b's one").isEqualTo(51);
        assertThat(refused).as("partner-a's readings beyond its share are refused, saying why").hasSize(150)
                .allSatisfy(reason -> assertThat(reason).isInstanceOf(HoldShareFullException.class)
                        .hasMessageContaining("partner partner-a's share of the hold is full"));
        assertThat(recorded.isEmpty()).isTrue();

        // and when the manifest comes, binding the bus to partner-b, the reading goes on
        manifests.pipeInput("bus-of-b", BusManifestRegistered.newBuilder().setBusId("bus-of-b").setRoundId("round-b")
                .setPersonIds(List.of("p-b")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).setTrackedBy(PARTNER_B).build());
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(recorded.readKeyValuesToList()).as("partner-b's reading recorded with its bus's round").singleElement()
                .satisfies(out -> {
                    assertThat(out.key).isEqualTo("bus-of-b");
                    assertThat(out.value.getRoundId()).isEqualTo("round-b");
                });
        assertThat(deadLetters).as("nothing of partner-b's dead-lettered").noneMatch(letter -> letter.topic().equals(INTAKE_B.name()));
    }

    @Test
    void shouldHoldNoMoreBytesFromAPartnerThanItsShareOfTheBytes() {
        // a partner may key its records with anything; the held row keeps the key for the dead letter
        String longKey = "k".repeat(10_000);
        for (int i = 0; i < 3; i++) {
            intake.pipeInput(longKey + i, reported("bus-unknown-" + i, 52.30, 31.01, START));
        }
        assertThat(heldReadings()).isEqualTo(3);

        assertThatThrownBy(() -> intake.pipeInput(longKey + 3, reported("bus-unknown-3", 52.30, 31.01, START)))
                .rootCause().isInstanceOf(HoldShareFullException.class).hasMessageContaining("bytes) are held already");
        assertThat(heldReadings()).as("partner-a's 32 KiB, half of 64 KiB, hold three of these readings").isEqualTo(3);

        // partner-b's share of the bytes is its own
        intakeOfB.pipeInput(longKey, reported("bus-unknown-b", 52.30, 31.01, START));
        assertThat(heldReadings()).isEqualTo(4);
    }

    @Test
    void shouldSayAReadingIsLargerThanAWholeShareRatherThanThatTheShareIsFull() {
        // given partner-a's share of the bytes is 32 KiB and nothing of it is held
        String hugeKey = "k".repeat(40_000);

        // when its tracker sends a reading of an unknown bus under a 40 kB key
        // then it is refused for its size, not for a full share that ops would go looking for
        assertThatThrownBy(() -> intake.pipeInput(hugeKey, reported("bus-unknown-huge", 52.30, 31.01, START)))
                .rootCause().isInstanceOf(HoldShareFullException.class)
                .hasMessageContaining("more than partner partner-a's whole share of the hold (32768 bytes")
                .hasMessageContaining("shorten the record's key")
                .message().doesNotContain("share of the hold is full");
        assertThat(heldReadings()).isZero();
    }

    @Test
    void shouldNeverApplyAReadingHeldFromAPartnerNoLongerConfiguredAndDeadLetterItInstead() {
        // given a reading held from partner-c, which an earlier configuration read and this one no longer does (its
        // credential withdrawn)
        Topic<String, BusPositionReported> intakeOfC = Topics.busPositionIntake("partner-c");
        BusPositionReported reading = reported("bus-of-c", 52.30, 31.01, START);
        driver.<String, byte[]>getKeyValueStore("held-readings").put(
                String.format("%013d|%s|0|7|tracker-c", START.plus(HOLD).toEpochMilli(), intakeOfC.name()),
                serdes.values(intakeOfC).serializer().serialize(intakeOfC.name(), reading));

        // when the bus's manifest comes and names partner-c as its tracker
        manifests.pipeInput("bus-of-c", BusManifestRegistered.newBuilder().setBusId("bus-of-c").setRoundId("round-c")
                .setPersonIds(List.of("p-c")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).setTrackedBy("partner-c").build());
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // then the reading is not recorded, and goes to partner-c's dead-letter topic saying why
        assertThat(recorded.isEmpty()).as("a removed partner's reading applied").isTrue();
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo(intakeOfC.name());
            assertThat(letter.offset()).isEqualTo(7);
            assertThat(letter.reason()).isInstanceOf(RejectedReadingException.class)
                    .hasMessageContaining("partner partner-c is no longer one whose readings transport takes");
        });
        assertThat(heldReadings()).isZero();
    }

    @Test
    void shouldDropAReadingHeldFromARemovedPartnerWhoseDeadLetterTopicIsGoneAndGoOnHoldingTheOthers() {
        // given a reading held from partner-c, no longer configured, whose dead-letter topic went with it
        Topic<String, BusPositionReported> intakeOfC = Topics.busPositionIntake("partner-c");
        unreachableDeadLetterTopics.add(intakeOfC.name() + Topic.DEAD_LETTER_SUFFIX);
        driver.<String, byte[]>getKeyValueStore("held-readings").put(
                String.format("%013d|%s|0|7|tracker-c", START.plus(HOLD).toEpochMilli(), intakeOfC.name()),
                serdes.values(intakeOfC).serializer().serialize(intakeOfC.name(), reported("bus-of-c", 52.30, 31.01, START)));

        // when the held readings are checked, and partner-a reports a bus not known yet
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        intake.pipeInput("tracker-a", reported("bus-early", 52.30, 31.01, START.plusSeconds(5)));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // then the removed partner's reading is gone, never applied, and the intake goes on holding partner-a's
        assertThat(recorded.isEmpty()).isTrue();
        assertThat(heldReadings()).as("partner-a's early reading only").isEqualTo(1);
    }

    @Test
    void shouldGiveAPartnerTheMovementsOfTheBusesItTracksOnItsOwnTopicAndNoOneElsesMovements() {
        TestOutputTopic<String, BusMovementDetected> ofA = partnerMovements(PARTNER_A);
        TestOutputTopic<String, BusMovementDetected> ofB = partnerMovements(PARTNER_B);
        // given a bus that no partner tracks (positioned through the REST door), on the road with bus-1
        manifests.pipeInput("bus-rest", BusManifestRegistered.newBuilder().setBusId("bus-rest").setRoundId("round-1")
                .setPersonIds(List.of("p-3")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).build());

        // when both leave the origin and drive through the crossing point
        GeoPoint crossing = geography.crossingPoint().center();
        int south = geography.border().sideOf(crossing.offsetMeters(-1000, 0)) == geography.receivingSide() ? -1 : 1;
        int[] seconds = {-3600, 60, 105, 120, 135, 165, 180, 195};
        GeoPoint[] points = {geography.origin().center(), crossing.offsetMeters(-south * 30, 0),
                crossing.offsetMeters(south * 200, 0), crossing.offsetMeters(south * 260, 0),
                crossing.offsetMeters(south * 320, 0), crossing.offsetMeters(south * 400, 0),
                crossing.offsetMeters(south * 500, 0), crossing.offsetMeters(south * 600, 0)};
        for (int i = 0; i < points.length; i++) {
            position(points[i], seconds[i]);
            positions.pipeInput("bus-rest", BusPositionRecorded.newBuilder().setBusId("bus-rest").setRoundId("round-1")
                    .setLatitude(points[i].latitude()).setLongitude(points[i].longitude()).setSpeedKmh(40.0)
                    .setRecordedAt(START.plusSeconds(seconds[i])).build());
        }

        // then partner-a reads exactly bus-1's movements, as transport.bus-movements has them, and partner-b nothing
        List<KeyValue<String, BusMovementDetected>> all = movements.readKeyValuesToList();
        assertThat(all).extracting(movement -> movement.key).as("both buses moved").contains("bus-1", "bus-rest");
        List<KeyValue<String, BusMovementDetected>> shared = ofA.readKeyValuesToList();
        assertThat(shared).as("partner-a's copy of its own bus's movements")
                .isNotEmpty()
                .containsExactlyElementsOf(all.stream().filter(movement -> movement.key.equals("bus-1")).toList());
        assertThat(shared).extracting(movement -> movement.value.getMovement()).contains(Movement.DEPARTED, Movement.BORDER_CROSSED);
        assertThat(ofB.isEmpty()).as("partner-b tracks none of these buses").isTrue();

        // when bus-1 is registered for the next round, and a movement of its finished trip is still detected
        manifests.pipeInput("bus-1", BusManifestRegistered.newBuilder().setBusId("bus-1").setRoundId("round-2")
                .setPersonIds(List.of("p-9")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START.plusSeconds(600)).setTrackedBy(PARTNER_B).build());
        driver.advanceWallClockTime(Duration.ofHours(2));

        // then a movement of round-1's trip goes to no partner: partner-b, who tracks the next trip, never tracked it
        assertThat(movements.readValuesToList()).extracting(BusMovementDetected::getRoundId).as("a movement of the old trip")
                .contains("round-1");
        assertThat(ofA.isEmpty()).isTrue();
        assertThat(ofB.isEmpty()).as("no movement of another round's trip").isTrue();
    }

    @Test
    void shouldCarryAMovementsTraceOnToItsPartnersCopy() {
        TestOutputTopic<String, BusMovementDetected> ofA = partnerMovements(PARTNER_A);
        // given bus-1 (tracked by partner-a), whose readings carry the trace of the tracker's request
        RecordHeaders traced = new RecordHeaders();
        traced.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        GeoPoint origin = geography.origin().center();

        // when it leaves the origin
        positions.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("bus-1", BusPositionRecorded.newBuilder()
                .setBusId("bus-1").setRoundId("round-1").setLatitude(origin.latitude()).setLongitude(origin.longitude())
                .setSpeedKmh(40.0).setRecordedAt(START.minusSeconds(3600)).build(), traced, START.minusSeconds(3600)));
        GeoPoint away = geography.crossingPoint().center().offsetMeters(
                geography.border().sideOf(geography.crossingPoint().center().offsetMeters(-1000, 0)) == geography.receivingSide() ? 30 : -30, 0);
        positions.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("bus-1", BusPositionRecorded.newBuilder()
                .setBusId("bus-1").setRoundId("round-1").setLatitude(away.latitude()).setLongitude(away.longitude())
                .setSpeedKmh(40.0).setRecordedAt(START.plusSeconds(60)).build(), traced, START.plusSeconds(60)));

        // then the partner's copy of each movement carries the same trace as transport's own
        var own = movements.readRecordsToList();
        var copies = ofA.readRecordsToList();
        assertThat(copies).as("partner-a's copies").isNotEmpty().hasSameSizeAs(own);
        assertThat(copies).allSatisfy(copy -> assertThat(copy.headers().lastHeader("traceparent"))
                .as("the trace of the reading the movement was detected from").isNotNull()
                .extracting(header -> new String(header.value(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    @Test
    void shouldGiveAPartnerAMovementDetectedBeforeItsBussManifestWasReadOnceItIsAndInOrderWithTheLaterOnes() {
        TestOutputTopic<String, BusMovementDetected> ofA = partnerMovements(PARTNER_A);
        // given bus-7, registered for partner-a a moment ago, whose departure and crossing come through the REST door
        // before transport has read its manifest
        drive("bus-7", "round-7", 0, 4);
        List<KeyValue<String, BusMovementDetected>> detected = movements.readKeyValuesToList();
        assertThat(detected).extracting(movement -> movement.value.getMovement()).as("detected before the manifest was read")
                .contains(Movement.DEPARTED, Movement.BORDER_CROSSED);
        assertThat(ofA.isEmpty()).as("nothing shared while the bus's manifest is not read").isTrue();

        // when the manifest is read and the held movements are checked
        manifests.pipeInput("bus-7", manifest("bus-7", "round-7", PARTNER_A));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // then partner-a reads them, in the order detected, once
        assertThat(ofA.readKeyValuesToList()).as("partner-a's copy of bus-7's early movements")
                .containsExactlyElementsOf(detected);
        assertThat(heldMovements()).as("nothing left held").isZero();

        // and the bus's later movements follow them, as transport.bus-movements has them
        drive("bus-7", "round-7", 5, 7);
        driver.advanceWallClockTime(HOLD.plusSeconds(2));
        assertThat(ofA.readKeyValuesToList()).as("the later movements, once each")
                .containsExactlyElementsOf(movements.readKeyValuesToList());
    }

    @Test
    void shouldNotLetABussLaterMovementOvertakeItsHeldOneOnThePartnersTopic() {
        TestOutputTopic<String, BusMovementDetected> ofA = partnerMovements(PARTNER_A);
        // given bus-7's departure held, its manifest not read yet
        drive("bus-7", "round-7", 0, 1);
        List<KeyValue<String, BusMovementDetected>> departed = movements.readKeyValuesToList();
        assertThat(departed).extracting(movement -> movement.value.getMovement()).contains(Movement.DEPARTED)
                .doesNotContain(Movement.BORDER_CROSSED);
        assertThat(ofA.isEmpty()).isTrue();

        // when the manifest is read and the crossing is detected before the held movements are checked
        manifests.pipeInput("bus-7", manifest("bus-7", "round-7", PARTNER_A));
        drive("bus-7", "round-7", 2, 4);

        // then partner-a reads the departure first, then the crossing, with no check needed
        List<KeyValue<String, BusMovementDetected>> all = new ArrayList<>(departed);
        all.addAll(movements.readKeyValuesToList());
        assertThat(all).extracting(movement -> movement.value.getMovement()).contains(Movement.BORDER_CROSSED);
        assertThat(ofA.readKeyValuesToList()).as("bus-7's movements on partner-a's topic in the order detected")
                .containsExactlyElementsOf(all);
        driver.advanceWallClockTime(HOLD.plusSeconds(2));
        assertThat(ofA.isEmpty()).as("none twice").isTrue();
    }

    @Test
    void shouldGiveUpAHeldMovementWhoseBussManifestIsNotReadWithinTheHold() {
        TestOutputTopic<String, BusMovementDetected> ofA = partnerMovements(PARTNER_A);
        // given bus-8's departure (and first ETA), detected before any manifest of it is read
        drive("bus-8", "round-8", 0, 1);
        int detected = movements.readValuesToList().size();
        assertThat(detected).isPositive();
        assertThat(heldMovements()).as("held").isEqualTo(detected);

        // when the hold is up with no manifest read
        driver.advanceWallClockTime(HOLD.minusSeconds(5));
        assertThat(heldMovements()).as("still held within the hold").isEqualTo(detected);
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        // then it is given up, counted where operators alert on it: the hold is empty, and a manifest read after that
        // no longer shares it
        assertThat(heldMovements()).as("given up when the hold was up").isZero();
        assertThat(missed("no-manifest-in-window")).as("counted as missed").isEqualTo(detected);
        assertThat(missed("hold-full")).isZero();
        manifests.pipeInput("bus-8", manifest("bus-8", "round-8", PARTNER_A));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(ofA.isEmpty()).isTrue();
    }

    @Test
    void shouldGiveNoPartnerAHeldMovementOnceItsBussManifestNamesNoPartnerOrIsForAnotherRound() {
        TestOutputTopic<String, BusMovementDetected> ofA = partnerMovements(PARTNER_A);
        TestOutputTopic<String, BusMovementDetected> ofB = partnerMovements(PARTNER_B);
        // given two buses' first movements held: bus-rest's and bus-next's, neither manifest read yet
        drive("bus-rest", "round-1", 0, 1);
        drive("bus-next", "round-1", 0, 1);
        assertThat(heldMovements()).isEqualTo(movements.readValuesToList().size()).isPositive();

        // when bus-rest's manifest names no partner, and bus-next's is for the next round, tracked by partner-b
        manifests.pipeInput("bus-rest", BusManifestRegistered.newBuilder().setBusId("bus-rest").setRoundId("round-1")
                .setPersonIds(List.of("p-3")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).build());
        manifests.pipeInput("bus-next", manifest("bus-next", "round-2", PARTNER_B));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        // then neither reaches a partner, and neither is held any longer
        assertThat(ofA.isEmpty()).as("partner-a tracks neither bus").isTrue();
        assertThat(ofB.isEmpty()).as("partner-b never tracked bus-next's round-1 trip").isTrue();
        assertThat(heldMovements()).isZero();
    }

    @Test
    void shouldHoldNoMoreMovementsThanTheHoldsCapacityAndGiveUpTheOthers() {
        TestOutputTopic<String, BusMovementDetected> ofA = partnerMovements(PARTNER_A);
        // given buses whose movements come before their manifests, more of them than the hold's 100
        int detected = 0;
        for (int i = 0; detected <= 100; i++) {
            drive("bus-early-" + i, "round-1", 0, 1);
            detected += movements.readValuesToList().size();
        }

        // then the hold keeps 100 of them, and the next ones are given up rather than stopping the stream
        assertThat(heldMovements()).as("held up to the capacity").isEqualTo(100);
        drive("bus-early-more", "round-1", 0, 1);
        int more = movements.readValuesToList().size();
        assertThat(more).as("transport.bus-movements still gets every movement").isPositive();
        assertThat(heldMovements()).isEqualTo(100);
        assertThat(ofA.isEmpty()).isTrue();
        assertThat(missed("hold-full")).as("every movement the full hold turned away, counted")
                .isEqualTo(detected - 100 + more);

        // and once they are given up there is room again
        driver.advanceWallClockTime(HOLD.plusSeconds(2));
        assertThat(heldMovements()).isZero();
        drive("bus-early-last", "round-1", 0, 1);
        assertThat(heldMovements()).as("room again").isPositive();
    }

    /** Drives {@code busId} through the trip's points {@code from} to {@code to} (inclusive), through the REST door. */
    private void drive(String busId, String round, int from, int to) {
        GeoPoint crossing = geography.crossingPoint().center();
        int south = geography.border().sideOf(crossing.offsetMeters(-1000, 0)) == geography.receivingSide() ? -1 : 1;
        int[] seconds = {-3600, 60, 105, 120, 135, 165, 180, 195};
        GeoPoint[] points = {geography.origin().center(), crossing.offsetMeters(-south * 30, 0),
                crossing.offsetMeters(south * 200, 0), crossing.offsetMeters(south * 260, 0),
                crossing.offsetMeters(south * 320, 0), crossing.offsetMeters(south * 400, 0),
                crossing.offsetMeters(south * 500, 0), crossing.offsetMeters(south * 600, 0)};
        for (int i = from; i <= to; i++) {
            positions.pipeInput(busId, BusPositionRecorded.newBuilder().setBusId(busId).setRoundId(round)
                    .setLatitude(points[i].latitude()).setLongitude(points[i].longitude()).setSpeedKmh(40.0)
                    .setRecordedAt(START.plusSeconds(seconds[i])).build());
        }
    }

    private static BusManifestRegistered manifest(String busId, String round, String trackedBy) {
        return BusManifestRegistered.newBuilder().setBusId(busId).setRoundId(round).setPersonIds(List.of("p-" + busId))
                .setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(START).setTrackedBy(trackedBy).build();
    }

    /** How many partners' movements were given up for {@code reason}, as the operators' counter says. */
    private double missed(String reason) {
        var counter = meters.find(MetricNames.TRANSPORT_PARTNER_MOVEMENTS_MISSED).tag("reason", reason).counter();
        assertThat(counter).as("the counter of missed partner movements, tagged " + reason).isNotNull();
        return counter.count();
    }

    private long heldMovements() {
        long count = 0;
        var held = driver.<String, byte[]>getKeyValueStore("held-partner-movements");
        assertThat(held).as("the store of partners' movements held for their bus's manifest").isNotNull();
        try (var all = held.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private TestOutputTopic<String, BusMovementDetected> partnerMovements(String partner) {
        Topic<String, BusMovementDetected> topic = Topics.busMovementsFor(partner);
        return driver.createOutputTopic(topic.name(), serdes.keys(topic).deserializer(), serdes.values(topic).deserializer());
    }

    @Test
    void shouldNotLetOneForgedPartnerReadingAnnounceACrossingOrAnArrival() {
        // given bus-1 on the road north of the border, reporting through the intake every 15 s
        for (int i = 0; i < 6; i++) {
            GeoPoint onRoad = geography.route().pointAt(10_000 + 250 * i);
            intake.pipeInput("bus-1", reported("bus-1", onRoad.latitude(), onRoad.longitude(), START.minusSeconds(90 - 15L * i)));
        }
        // when another partner, who read the bus id from transport.bus-movements, reports it at the reception point
        GeoPoint reception = geography.receptionPoint().center();
        for (int i = 0; i < 3; i++) {
            intake.pipeInput("forged", reported("bus-1", reception.latitude(), reception.longitude(), START.plusSeconds(30 + i)));
        }
        // and the real tracker goes on
        GeoPoint next = geography.route().pointAt(10_000 + 250 * 6);
        intake.pipeInput("bus-1", reported("bus-1", next.latitude(), next.longitude(), START));

        List<Movement> announced = movements.readValuesToList().stream().map(BusMovementDetected::getMovement).toList();
        assertThat(announced).as("no alert-worthy movement from forged readings")
                .doesNotContain(Movement.BORDER_CROSSED, Movement.ARRIVED).contains(Movement.DEPARTED);
        assertThat(driver.<String, Object>getKeyValueStore("bus-trips").get("bus-1")).as("the real tracker's reading was applied")
                .extracting("lastRecordedAt").isEqualTo(START.toEpochMilli());
    }

    private long heldReadings() {
        long count = 0;
        try (var all = driver.<String, byte[]>getKeyValueStore("held-readings").all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    private void assertRejected(BusPositionReported reading, String reason) {
        assertThatThrownBy(() -> intake.pipeInput(reading.getBusId(), reading))
                .as("rejected because: " + reason)
                .rootCause().isInstanceOf(RejectedReadingException.class).hasMessageContaining(reason);
    }

    private void position(GeoPoint point, int secondsAfterStart) {
        positions.pipeInput("bus-1", BusPositionRecorded.newBuilder().setBusId("bus-1").setRoundId("round-1")
                .setLatitude(point.latitude()).setLongitude(point.longitude()).setSpeedKmh(40.0)
                .setRecordedAt(START.plusSeconds(secondsAfterStart)).build());
    }

    private static BusPositionReported reported(String busId, double latitude, double longitude, Instant recordedAt) {
        return BusPositionReported.newBuilder().setBusId(busId).setLatitude(latitude).setLongitude(longitude)
                .setSpeedKmh(50.0).setRecordedAt(recordedAt).build();
    }
}

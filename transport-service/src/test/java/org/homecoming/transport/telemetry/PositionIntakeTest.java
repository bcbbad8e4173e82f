package org.homecoming.transport.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.transport.ledger.LedgerFixtures;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.RecordingKafka;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

class PositionIntakeTest {

    static final Instant NOW = Instant.parse("2026-11-20T06:00:00Z");
    /** The client a tracker's token was issued to, which bus-1's manifest names. */
    static final Optional<String> TRACKER = Optional.of("bus-trackers");

    final TransportLedger ledger = LedgerFixtures.caughtUp();
    final List<BusPositionRecorded> published = new ArrayList<>();
    final KafkaTemplate<String, Object> kafka = RecordingKafka.into(published);
    final AuditTrail audit = mock(AuditTrail.class);
    PositionIntake intake;

    @BeforeEach
    void setUp() {
        intake = new PositionIntake(ledger, new ReadingValidator(), kafka, Clock.fixed(NOW, ZoneOffset.UTC), audit);
        ledger.record(BusManifestRegistered.newBuilder().setBusId("bus-1").setRoundId("round-1").setPersonIds(List.of("p-1"))
                .setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point").setRegisteredAt(NOW)
                .setTrackerClient(TRACKER.orElseThrow()).build());
    }

    @Test
    void shouldListEveryBadReadingByIndexAndPublishNothingOfTheBatch() {
        List<Reading> batch = List.of(new Reading(52.3, 31.0, 50.0, NOW.minusSeconds(30)),
                new Reading(52.3, -200.0, 50.0, NOW.minusSeconds(15)),
                new Reading(52.3, 31.0, 50.0, NOW.plusSeconds(3600)));

        assertThatThrownBy(() -> intake.accept("bus-1", TRACKER, batch)).isInstanceOfSatisfying(InvalidRequestException.class,
                invalid -> assertThat(invalid.violations()).extracting(Violation::row, Violation::field)
                        .containsExactly(tuple(1, "longitude"), tuple(2, "recordedAt")));
        assertThat(published).as("nothing of a bad batch").isEmpty();
    }

    @Test
    void shouldPublishAGoodBatchWithTheRoundOfTheManifestAndNotRepublishReadingsSentAgain() {
        Reading first = new Reading(52.3, 31.0, 50.0, NOW.minusSeconds(30));
        Reading second = new Reading(52.29, 31.0, 51.0, NOW.minusSeconds(15));

        assertThat(intake.accept("bus-1", TRACKER, List.of(first, second, second))).isEqualTo(2);
        assertThat(intake.accept("bus-1", TRACKER, List.of(second, new Reading(52.28, 31.0, 52.0, NOW)))).as("one new of two").isEqualTo(1);

        assertThat(published).extracting(BusPositionRecorded::getRecordedAt)
                .containsExactly(NOW.minusSeconds(30), NOW.minusSeconds(15), NOW);
        assertThat(published).allSatisfy(position -> assertThat(position.getRoundId()).isEqualTo("round-1"));
    }

    @Test
    void shouldRefuseAMalformedBusIdAnEmptyBatchAndAnOversizedOne() {
        Reading reading = new Reading(52.3, 31.0, 50.0, NOW);

        assertThatThrownBy(() -> intake.accept("bus 9\u202e", TRACKER, List.of(reading)))
                .isInstanceOfSatisfying(InvalidRequestException.class, invalid ->
                        assertThat(invalid.violations().get(0).field()).isEqualTo("busId"));
        assertThatThrownBy(() -> intake.accept("bus-1", TRACKER, List.of())).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> intake.accept("bus-1", TRACKER, Collections.nCopies(PositionIntake.MAX_BATCH + 1, reading)))
                .isInstanceOfSatisfying(InvalidRequestException.class, invalid ->
                        assertThat(invalid.violations().get(0).reason()).contains("at most 1000"));
        assertThat(published).isEmpty();
        verifyNoMoreInteractions(audit);
    }

    @Test
    void shouldTakeABoundBusPositionsOnlyFromItsOwnTrackersClient() {
        // given a bus whose manifest names the client of its tracker device
        ledger.record(BusManifestRegistered.newBuilder().setBusId("bus-7").setRoundId("round-1").setPersonIds(List.of("p-7"))
                .setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point").setRegisteredAt(NOW)
                .setTrackerClient("tracker-bus-07").build());
        List<Reading> batch = List.of(new Reading(52.3, 31.0, 50.0, NOW.minusSeconds(30)));

        // when another device's client, a token naming no client, and its own client send a reading
        assertThatThrownBy(() -> intake.accept("bus-7", Optional.of("tracker-bus-08"), batch))
                .isInstanceOfSatisfying(ErrorResponseException.class, refused -> {
                    assertThat(refused.getStatusCode().value()).isEqualTo(403);
                    assertThat(refused.getBody().getDetail()).contains("bus-7").contains("nothing was published")
                            .doesNotContain("tracker-bus-07");
                });
        assertThatThrownBy(() -> intake.accept("bus-7", Optional.empty(), batch)).isInstanceOf(ErrorResponseException.class);
        assertThat(published).as("published for another device").isEmpty();
        int accepted = intake.accept("bus-7", Optional.of("tracker-bus-07"), batch);

        // then only its own client's reading is published
        assertThat(accepted).isEqualTo(1);
        assertThat(published).extracting(BusPositionRecorded::getBusId).containsExactly("bus-7");
        // and each refusal is on the audit trail, with the client that tried
        verify(audit).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-7"), eq(AuditOutcome.REFUSED),
                contains("client tracker-bus-08"));
        verify(audit).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-7"), eq(AuditOutcome.REFUSED),
                contains("names no client"));
        verifyNoMoreInteractions(audit);
    }

    @Test
    void shouldStillRefuseAnotherDevicesPositionsWhenTheAuditTrailIsAway() {
        // given a bound bus, and an audit trail that cannot take entries
        ledger.record(BusManifestRegistered.newBuilder().setBusId("bus-7").setRoundId("round-1").setPersonIds(List.of("p-7"))
                .setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point").setRegisteredAt(NOW)
                .setTrackerClient("tracker-bus-07").build());
        doThrow(new AuditTrail.AuditUnavailableException(AuditAction.POSITIONS_REFUSED, new IllegalStateException("broker away")))
                .when(audit).recorded(any(), any(), anyString(), any(), anyString());

        // when another device sends a reading, then it is refused all the same, and nothing is published
        assertThatThrownBy(() -> intake.accept("bus-7", Optional.of("tracker-bus-08"),
                List.of(new Reading(52.3, 31.0, 50.0, NOW.minusSeconds(30)))))
                .isInstanceOfSatisfying(ErrorResponseException.class, refused -> assertThat(refused.getStatusCode().value()).isEqualTo(403));
        assertThat(published).isEmpty();
    }

    @Test
    void shouldTakeNoDevicesPositionsOfABusWhoseManifestNamesNoneAndAnswerAsForAnUnknownBus() {
        // given a bus whose manifest names no tracker client, and the answer to another device about a bound bus
        ledger.record(BusManifestRegistered.newBuilder().setBusId("bus-2").setRoundId("round-1").setPersonIds(List.of("p-2"))
                .setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point").setRegisteredAt(NOW).build());
        List<Reading> batch = List.of(new Reading(52.3, 31.0, 50.0, NOW.minusSeconds(30)));
        String toAnotherDevice = refusal(() -> intake.accept("bus-1", Optional.of("tracker-bus-08"), batch));

        // when a tracker sends readings of that bus, and of a bus that has no manifest
        String unbound = refusal(() -> intake.accept("bus-2", TRACKER, batch));
        String unknown = refusal(() -> intake.accept("bus-9", TRACKER, batch));

        // then both are refused with nothing published, in the very words said of a bus bound to another device
        assertThat(published).isEmpty();
        assertThat(unbound.replace("bus-2", "bus-1")).isEqualTo(toAnotherDevice);
        assertThat(unknown.replace("bus-9", "bus-1")).isEqualTo(toAnotherDevice);
        // and the trail says why each was refused
        verify(audit).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-2"), eq(AuditOutcome.REFUSED),
                contains("names no tracker client"));
        verify(audit).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-9"), eq(AuditOutcome.REFUSED),
                contains("no manifest is registered"));
    }

    /** The detail of the 403 that {@code call} is answered with. */
    private static String refusal(Runnable call) {
        try {
            call.run();
        } catch (ErrorResponseException refused) {
            assertThat(refused.getStatusCode().value()).isEqualTo(403);
            return refused.getBody().getDetail();
        }
        throw new AssertionError("not refused");
    }
}

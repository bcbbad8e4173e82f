package org.homecoming.transport.manifests;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.transport.geo.CrossingGeographyTestAccess;
import org.homecoming.transport.ledger.LedgerFixtures;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.movements.TripSnapshot;
import org.homecoming.transport.RecordingKafka;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** A bus registered for its next round: only once its current round is done. */
class ManifestRegistrationTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    final TransportLedger ledger = LedgerFixtures.caughtUp();
    final List<Object> published = new ArrayList<>();
    final KafkaTemplate<String, Object> kafka = RecordingKafka.into(published);
    final AuditTrail audit = mock(AuditTrail.class);
    ManifestRegistration registration;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        when(audit.writingWith(kafka)).thenReturn(audit);
        registration = new ManifestRegistration(ledger, CrossingGeographyTestAccess.shipped(), kafka,
                Clock.fixed(NOW, ZoneOffset.UTC), audit, mock(ObjectProvider.class), mock(ObjectProvider.class), "");
        for (String personId : List.of("p-1", "p-2")) {
            LedgerFixtures.listed(ledger, personId, "round-1");
        }
        LedgerFixtures.listed(ledger, "p-9", "round-2");
        registration.register(manifest("round-1", "p-1", "p-2"));
        published.clear();
    }

    @Test
    void shouldRefuseTheNextRoundForABusOnItsWayAndPublishNothing() {
        for (TripSnapshot.Phase underWay : List.of(TripSnapshot.Phase.EN_ROUTE, TripSnapshot.Phase.CROSSED_BORDER, TripSnapshot.Phase.SILENT)) {
            tripOfRound1(underWay);

            assertThatThrownBy(() -> registration.register(manifest("round-2", "p-9")))
                    .isInstanceOfSatisfying(ErrorResponseException.class, refused -> {
                        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
                        assertThat(refused.getBody().getDetail()).contains("is on its way with round round-1");
                    });
        }
        assertThat(published).isEmpty();
        assertThat(ledger.manifest("bus-1")).get().extracting(BusManifestRegistered::getRoundId).isEqualTo("round-1");
    }

    @Test
    void shouldRefuseTheNextRoundUntilTheArrivedRoundsHandOversAreClosed() {
        tripOfRound1(TripSnapshot.Phase.ARRIVED);
        ledger.record(handover("p-1"));

        assertThatThrownBy(() -> registration.register(manifest("round-2", "p-9")))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        refused -> assertThat(refused.getBody().getDetail()).contains("hand-overs are not closed"));

        // once p-2 is reported as never handed over (the bus was closed), round 2 may have the bus
        ledger.record(HandoverDiscrepancyFound.newBuilder().setBusId("bus-1").setRoundId("round-1").setPersonId("p-2")
                .setDiscrepancy(Discrepancy.NOT_HANDED_OVER).setFoundAt(NOW).build());
        assertThat(registration.register(manifest("round-2", "p-9")).published()).isTrue();
        assertThat(published).singleElement().isInstanceOfSatisfying(BusManifestRegistered.class,
                manifest -> assertThat(manifest.getRoundId()).isEqualTo("round-2"));
    }

    @Test
    void shouldAddNobodyToABusOnceItsTripDepartedButLetAPersonBeTakenOff() {
        LedgerFixtures.listed(ledger, "p-3", "round-1");
        for (TripSnapshot.Phase departed : List.of(TripSnapshot.Phase.EN_ROUTE, TripSnapshot.Phase.CROSSED_BORDER,
                TripSnapshot.Phase.SILENT, TripSnapshot.Phase.ARRIVED)) {
            tripOfRound1(departed);

            // a person added after the crossing would count as crossed: his family told while he may still be held
            assertThatThrownBy(() -> registration.register(manifest("round-1", "p-1", "p-2", "p-3")))
                    .isInstanceOfSatisfying(ErrorResponseException.class, refused -> {
                        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
                        assertThat(refused.getBody().getDetail()).contains("without p-3").contains("nothing was published");
                    });
        }
        assertThat(published).isEmpty();

        // a person who turned out not to have boarded is taken off
        assertThat(registration.register(manifest("round-1", "p-1")).published()).isTrue();
    }

    @Test
    void shouldTakeOnAnotherPersonBeforeTheTripDeparted() {
        LedgerFixtures.listed(ledger, "p-3", "round-1");
        tripOfRound1(TripSnapshot.Phase.REGISTERED);

        assertThat(registration.register(manifest("round-1", "p-1", "p-2", "p-3")).published()).isTrue();
    }

    @Test
    void shouldGiveABusToAnotherRoundBeforeItsTripDeparted() {
        tripOfRound1(TripSnapshot.Phase.REGISTERED);

        assertThat(registration.register(manifest("round-2", "p-9")).published()).isTrue();
    }

    @Test
    void shouldKeepACorrectionRegisteredByAnInstanceWhoseClockIsBehind() {
        // given round 1's manifest registered at NOW, and another instance whose clock is a minute behind
        ManifestRegistration behind = new ManifestRegistration(ledger, CrossingGeographyTestAccess.shipped(), kafka,
                Clock.fixed(NOW.minusSeconds(60), ZoneOffset.UTC), audit, mock(ObjectProvider.class), mock(ObjectProvider.class), "");

        // when it registers a correction: p-2 no longer rides this bus
        assertThat(behind.register(manifest("round-1", "p-1")).published()).isTrue();

        // then every ledger keeps the correction, not the manifest it corrects
        assertThat(ledger.manifest("bus-1")).get().satisfies(kept -> {
            assertThat(kept.getPersonIds()).containsExactly("p-1");
            assertThat(kept.getRegisteredAt()).isAfter(NOW);
        });
    }

    /** The movements the stream processor committed for bus-1's round-1 trip, read by the ledger, up to {@code phase}. */
    private void tripOfRound1(TripSnapshot.Phase phase) {
        List<Movement> movements = switch (phase) {
            case REGISTERED -> List.of();
            case EN_ROUTE -> List.of(Movement.DEPARTED);
            case CROSSED_BORDER -> List.of(Movement.DEPARTED, Movement.BORDER_CROSSED);
            case SILENT -> List.of(Movement.DEPARTED, Movement.TRACKER_SILENT);
            case ARRIVED -> List.of(Movement.DEPARTED, Movement.BORDER_CROSSED, Movement.ARRIVED);
        };
        movements.forEach(movement -> LedgerFixtures.moved(ledger, "bus-1", "round-1", movement));
    }

    private static PersonHandedOver handover(String personId) {
        return new PersonHandedOver(personId, "bus-1", "round-1", NOW, true, TriageLevel.MINOR, "Chernihiv Regional Hospital",
                true, "chernihiv-regional-hospital");
    }

    private static ManifestRequest manifest(String roundId, String... personIds) {
        return new ManifestRequest("bus-1", roundId, List.of(personIds), "gomel-assembly-point", "chernihiv-reception-point",
                null, null);
    }
}

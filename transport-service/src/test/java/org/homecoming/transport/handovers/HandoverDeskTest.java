package org.homecoming.transport.handovers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.transport.ledger.LedgerFixtures;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.movements.TripSnapshot;
import org.homecoming.transport.movements.Trips;
import org.homecoming.transport.RecordingKafka;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class HandoverDeskTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    final TransportLedger ledger = LedgerFixtures.caughtUp();
    final Trips trips = mock(Trips.class);
    final List<Object> published = new ArrayList<>();
    final KafkaTemplate<String, Object> kafka = RecordingKafka.into(published);
    final AuditTrail audit = mock(AuditTrail.class);
    HandoverDesk desk;

    @BeforeEach
    void setUp() {
        desk = deskAt(NOW);
        when(audit.writingWith(kafka)).thenReturn(audit);
        ledger.record(BusManifestRegistered.newBuilder().setBusId("bus-1").setRoundId("round-1")
                .setPersonIds(List.of("p-1", "p-2", "p-3")).setOrigin("gomel-assembly-point")
                .setReceptionPoint("chernihiv-reception-point").setRegisteredAt(NOW.minus(Duration.ofHours(6))).build());
        when(trips.find("bus-1")).thenReturn(Optional.of(trip(TripSnapshot.Phase.ARRIVED, NOW.minusSeconds(60))));
        LedgerFixtures.moved(ledger, "bus-1", "round-1", Movement.ARRIVED);
    }

    @Test
    void shouldRefuseAHandOverFromABusThatHasNotArrived() {
        busOnTheRoad();

        assertThatThrownBy(() -> desk.handOver("p-4", "bus-4", true, TriageLevel.URGENT, "chernihiv-regional-hospital"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("has not arrived");
        assertThat(published).isEmpty();
    }

    @Test
    void shouldHandOverFromABusTheMovementsSayArrivedThoughThisInstancesTripStoreLagsBehind() {
        // given this instance's copy of the trip store still restoring, a step behind the movements topic
        when(trips.find("bus-1")).thenReturn(Optional.of(trip(TripSnapshot.Phase.CROSSED_BORDER, null)));

        // when the reception point hands over a person from the bus the movements say arrived
        desk.handOver("p-1", "bus-1", true, TriageLevel.URGENT, "chernihiv-regional-hospital");

        // then the hand-over is published: the family hears of the arrival
        assertThat(published).isNotEmpty();
    }

    /** bus-4 crossed the border but has not arrived, as the movements topic says. */
    private void busOnTheRoad() {
        ledger.record(BusManifestRegistered.newBuilder().setBusId("bus-4").setRoundId("round-1")
                .setPersonIds(List.of("p-4")).setOrigin("gomel-assembly-point")
                .setReceptionPoint("chernihiv-reception-point").setRegisteredAt(NOW.minus(Duration.ofHours(6))).build());
        LedgerFixtures.moved(ledger, "bus-4", "round-1", Movement.BORDER_CROSSED);
    }

    @Test
    void shouldPublishOnlyAConfiguredFacilityNeverTheCallersText() {
        assertThatThrownBy(() -> desk.handOver("p-1", "bus-1", true, TriageLevel.URGENT,
                "Hospital - pay the processing fee at http://evil.example/pay"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("configured list");
        assertThat(published).isEmpty();

        desk.handOver("p-1", "bus-1", true, TriageLevel.URGENT, "chernihiv-regional-hospital");
        desk.admit("p-1", "chernihiv-regional-hospital");

        assertThat(published.get(0)).isInstanceOfSatisfying(PersonHandedOver.class, handover -> {
            assertThat(handover.getDestinationFacilityId()).isEqualTo("chernihiv-regional-hospital");
            assertThat(handover.getDestinationFacility()).isEqualTo("Chernihiv Regional Hospital");
        });
        assertThat(published.get(1)).isInstanceOfSatisfying(org.homecoming.events.transport.PersonAdmitted.class,
                admitted -> assertThat(admitted.getFacilityId()).isEqualTo("chernihiv-regional-hospital"));
        assertThatThrownBy(() -> desk.admit("p-1x", "St. Elsewhere")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void shouldRecordAHandOverOnceAndReportAStrangerAtOnce() {
        assertThat(desk.handOver("p-1", "bus-1", true, TriageLevel.URGENT, "chernihiv-regional-hospital").published()).isTrue();
        assertThat(desk.handOver("p-1", "bus-1", true, TriageLevel.MINOR, "chernihiv-regional-hospital").published()).as("the second time").isFalse();
        desk.handOver("p-stranger", "bus-1", false, TriageLevel.IMMEDIATE, "chernihiv-regional-hospital");

        assertThat(published).hasSize(3);
        assertThat(published.get(0)).isInstanceOfSatisfying(PersonHandedOver.class, handover -> {
            assertThat(handover.getOnManifest()).isTrue();
            assertThat(handover.getRoundId()).isEqualTo("round-1");
            assertThat(handover.getTriageLevel()).isEqualTo(TriageLevel.URGENT);
        });
        assertThat(published.get(1)).isInstanceOfSatisfying(PersonHandedOver.class,
                handover -> assertThat(handover.getOnManifest()).isFalse());
        assertThat(published.get(2)).isInstanceOfSatisfying(HandoverDiscrepancyFound.class,
                found -> assertThat(found.getDiscrepancy()).isEqualTo(Discrepancy.NOT_ON_MANIFEST));
    }

    @Test
    void shouldHandOverAPersonFromTheirOwnBusAfterAStrangerWasHandedOverUnderTheirIdFromAnother() {
        // given a second arrived bus, where staff mistyped a stranger's id as p-1 (off bus-2's manifest)
        secondBusArrived();
        assertThat(desk.handOver("p-1", "bus-2", true, TriageLevel.MINOR, "chernihiv-regional-hospital").published()).isTrue();
        published.clear();

        // when p-1 steps off bus-1, whose manifest names them
        HandoverDesk.Outcome<PersonHandedOver> real = desk.handOver("p-1", "bus-1", true, TriageLevel.DELAYED, "chernihiv-regional-hospital");

        // then their hand-over is published, on the manifest, so their family is told they arrived
        assertThat(real.published()).isTrue();
        assertThat(published).singleElement().isInstanceOfSatisfying(PersonHandedOver.class, handover -> {
            assertThat(handover.getBusId()).isEqualTo("bus-1");
            assertThat(handover.getOnManifest()).isTrue();
        });
        // and it is the person's hand-over from now on: a repeat is answered with it, and bus-1 closes without p-1 missing
        assertThat(desk.handOver("p-1", "bus-1", true, TriageLevel.DELAYED, "chernihiv-regional-hospital").event().getBusId())
                .isEqualTo("bus-1");
        assertThat(desk.close("bus-1")).extracting(HandoverDiscrepancyFound::getPersonId).containsExactlyInAnyOrder("p-2", "p-3");
        // and bus-2's close still names the stranger who stepped off it under p-1's id
        assertThat(desk.close("bus-2")).extracting(HandoverDiscrepancyFound::getPersonId, HandoverDiscrepancyFound::getDiscrepancy)
                .containsExactlyInAnyOrder(tuple("p-1", Discrepancy.NOT_ON_MANIFEST), tuple("p-9", Discrepancy.NOT_HANDED_OVER));
    }

    @Test
    void shouldCountAManifestPersonMissingWhenOnlyAStrangerFromAnotherBusWasRecordedUnderTheirId() {
        secondBusArrived();
        desk.handOver("p-1", "bus-2", true, TriageLevel.MINOR, "chernihiv-regional-hospital");

        assertThat(desk.close("bus-1")).extracting(HandoverDiscrepancyFound::getPersonId, HandoverDiscrepancyFound::getDiscrepancy)
                .containsExactlyInAnyOrder(tuple("p-1", Discrepancy.NOT_HANDED_OVER), tuple("p-2", Discrepancy.NOT_HANDED_OVER),
                        tuple("p-3", Discrepancy.NOT_HANDED_OVER));
    }

    @Test
    void shouldAdmitAPersonInTheirOwnRightAfterAStrangerWasAdmittedUnderTheirId() {
        // given a stranger handed over as p-1 off bus-2's manifest, and admitted at the regional hospital
        secondBusArrived();
        desk.handOver("p-1", "bus-2", false, TriageLevel.IMMEDIATE, "chernihiv-regional-hospital");
        desk.admit("p-1", "chernihiv-regional-hospital");
        published.clear();

        // when the real p-1 steps off bus-1 ten minutes later, and is admitted at the children's hospital
        HandoverDesk later = deskAt(NOW.plusSeconds(600));
        later.handOver("p-1", "bus-1", true, TriageLevel.DELAYED, "chernihiv-childrens-hospital");
        HandoverDesk.Outcome<PersonAdmitted> admitted = later.admit("p-1", "chernihiv-childrens-hospital");

        // then their own admission is published: the stranger's says nothing about where they are
        assertThat(admitted.published()).isTrue();
        assertThat(published).filteredOn(PersonAdmitted.class::isInstance).singleElement()
                .isInstanceOfSatisfying(PersonAdmitted.class, admission -> {
                    assertThat(admission.getFacilityId()).isEqualTo("chernihiv-childrens-hospital");
                    assertThat(admission.getAdmittedAt()).isEqualTo(NOW.plusSeconds(600));
                });
        // and it is theirs from now on: a repeat is answered with it, also after a restart replays the ledger
        assertThat(later.admit("p-1", "chernihiv-regional-hospital").event().getFacilityId()).isEqualTo("chernihiv-childrens-hospital");
        assertThat(ledger.admission("p-1")).get().extracting(PersonAdmitted::getFacilityId).isEqualTo("chernihiv-childrens-hospital");
    }

    @Test
    void shouldNeverStampAnAdmissionBeforeTheHandOverItFollowsWhateverTheClocks() {
        // given a hand-over recorded by an instance whose clock is two minutes ahead
        deskAt(NOW.plusSeconds(120)).handOver("p-1", "bus-1", true, TriageLevel.DELAYED, "chernihiv-regional-hospital");

        // when the admission is recorded here, and sent again
        HandoverDesk.Outcome<PersonAdmitted> first = desk.admit("p-1", "chernihiv-regional-hospital");
        HandoverDesk.Outcome<PersonAdmitted> again = desk.admit("p-1", "chernihiv-regional-hospital");

        // then it follows the hand-over, and the repeat publishes nothing
        assertThat(first.event().getAdmittedAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(again.published()).as("a repeat is answered with the first admission").isFalse();
        assertThat(published).filteredOn(PersonAdmitted.class::isInstance).hasSize(1);
    }

    private HandoverDesk deskAt(Instant now) {
        Facilities facilities = new Facilities(Map.of(
                "chernihiv-regional-hospital", Map.of("uk", "Чернігівська обласна лікарня", "ru", "Черниговская областная больница", "en", "Chernihiv Regional Hospital"),
                "chernihiv-childrens-hospital", Map.of("uk", "Чернігівська дитяча лікарня", "ru", "Черниговская детская больница", "en", "Chernihiv Children's Hospital")));
        return new HandoverDesk(ledger, trips, facilities, ReceptionPointFence.unfenced(kafka), Clock.fixed(now, ZoneOffset.UTC), audit, Duration.ofHours(2));
    }

    private void secondBusArrived() {
        ledger.record(BusManifestRegistered.newBuilder().setBusId("bus-2").setRoundId("round-1")
                .setPersonIds(List.of("p-9")).setOrigin("gomel-assembly-point")
                .setReceptionPoint("chernihiv-reception-point").setRegisteredAt(NOW.minus(Duration.ofHours(6))).build());
        when(trips.find("bus-2")).thenReturn(Optional.of(trip(TripSnapshot.Phase.ARRIVED, NOW.minusSeconds(60))));
        LedgerFixtures.moved(ledger, "bus-2", "round-1", Movement.ARRIVED);
    }

    @Test
    void shouldPutWhoHandedOverAndAdmittedOnTheAuditTrailInTheSameTransaction() {
        List<Boolean> inTransaction = new ArrayList<>();
        doAnswer(call -> inTransaction.add(!published.isEmpty()))
                .when(audit).recorded(any(), any(), any(), any(), any());

        desk.handOver("p-1", "bus-1", true, TriageLevel.URGENT, "chernihiv-regional-hospital");
        desk.handOver("p-stranger", "bus-1", false, TriageLevel.MINOR, "chernihiv-regional-hospital");
        desk.admit("p-1", "chernihiv-regional-hospital");

        verify(audit).recorded(AuditAction.PERSON_HANDED_OVER, AuditSubject.PERSON, "p-1", AuditOutcome.SUCCEEDED,
                "bus bus-1, identity verified");
        verify(audit).recorded(AuditAction.PERSON_HANDED_OVER, AuditSubject.PERSON, "p-stranger", AuditOutcome.SUCCEEDED,
                "bus bus-1, identity not verified, not on the manifest");
        verify(audit).recorded(AuditAction.PERSON_ADMITTED, AuditSubject.PERSON, "p-1", AuditOutcome.SUCCEEDED,
                "facility chernihiv-regional-hospital");
        assertThat(inTransaction).as("each entry written inside the transaction, after its record").containsExactly(true, true, true);
    }

    @Test
    void shouldRefuseToCloseABusThatHasNotArrived() {
        busOnTheRoad();

        assertThatThrownBy(() -> desk.close("bus-4")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("has not arrived");
        assertThat(published).isEmpty();
    }

    @Test
    void shouldReportEachDiscrepancyOnceWhenClosedTwice() {
        when(trips.find("bus-1")).thenReturn(Optional.of(trip(TripSnapshot.Phase.ARRIVED, NOW.minusSeconds(600))));
        desk.handOver("p-1", "bus-1", true, TriageLevel.DELAYED, "chernihiv-regional-hospital");
        desk.handOver("p-stranger", "bus-1", false, TriageLevel.DELAYED, "chernihiv-regional-hospital");
        published.clear();

        List<HandoverDiscrepancyFound> first = desk.close("bus-1");
        List<HandoverDiscrepancyFound> second = desk.close("bus-1");

        assertThat(first).extracting(HandoverDiscrepancyFound::getPersonId, HandoverDiscrepancyFound::getDiscrepancy)
                .containsExactlyInAnyOrder(tuple("p-2", Discrepancy.NOT_HANDED_OVER), tuple("p-3", Discrepancy.NOT_HANDED_OVER),
                        tuple("p-stranger", Discrepancy.NOT_ON_MANIFEST));
        assertThat(second).as("the answer is the same the second time").hasSize(3);
        assertThat(published).as("only the two persons not handed over were new; the stranger was reported at hand-over")
                .extracting(found -> ((HandoverDiscrepancyFound) found).getPersonId()).containsExactlyInAnyOrder("p-2", "p-3");
    }

    @Test
    void shouldGiveTheStaffTheirTimeFromWhenTheArrivalWasLearntNotFromTheTrackersClock() {
        // given a tracker without signal at the reception point, whose buffered readings came in three hours late
        when(trips.find("bus-1")).thenReturn(Optional.of(trip(TripSnapshot.Phase.ARRIVED, NOW.minus(Duration.ofHours(3)),
                NOW.minus(Duration.ofMinutes(1)))));

        desk.closeOverdue();

        // then nobody on the bus is reported missing before the staff had the time to hand anyone over
        assertThat(published).isEmpty();
    }

    @Test
    void shouldCloseByItselfOnlyTheHandOversOfABusThatArrivedLongerAgoThanTheTimeout() {
        when(trips.find("bus-1")).thenReturn(Optional.of(trip(TripSnapshot.Phase.ARRIVED, NOW.minus(Duration.ofMinutes(90)))));
        desk.closeOverdue();
        assertThat(published).as("arrived 90 minutes ago: still open").isEmpty();

        when(trips.find("bus-1")).thenReturn(Optional.of(trip(TripSnapshot.Phase.ARRIVED, NOW.minus(Duration.ofMinutes(150)))));
        desk.closeOverdue();
        desk.closeOverdue();

        assertThat(published).as("arrived 150 minutes ago: closed once")
                .extracting(found -> ((HandoverDiscrepancyFound) found).getPersonId()).containsExactlyInAnyOrder("p-1", "p-2", "p-3");
    }

    private static TripSnapshot trip(TripSnapshot.Phase phase, Instant arrivedAt) {
        return trip(phase, arrivedAt, arrivedAt);
    }

    /** {@code arrivedAt} by the tracker's clock; {@code seenAt} when transport learnt of it. */
    private static TripSnapshot trip(TripSnapshot.Phase phase, Instant arrivedAt, Instant seenAt) {
        return new TripSnapshot("bus-1", "round-1", phase, 51.5, 31.3, 0.0, NOW.toEpochMilli(), null, null,
                arrivedAt == null ? null : arrivedAt.toEpochMilli(), List.of(), seenAt == null ? null : seenAt.toEpochMilli());
    }
}

package org.homecoming.console;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;

/** Synthetic events for the console's tests: made-up people and places only. */
public final class Events {

    public static final Instant T0 = Instant.parse("2026-05-14T06:00:00Z");

    private Events() {
    }

    public static ExchangeRoundRecorded round(String roundId, int stage, int planned) {
        return ExchangeRoundRecorded.newBuilder().setRoundId(roundId).setAgreementReference("AGR-TEST")
                .setStage(stage).setStageCount(3).setExchangeDate(LocalDate.of(2026, 5, 14))
                .setReleasingSide(Side.RU).setReceivingSide(Side.UA)
                .setPlannedSoldiers(planned - planned / 3).setPlannedCivilians(planned / 3)
                .setStatus(RoundStatus.IN_PROGRESS).setRecordedAt(T0).build();
    }

    public static PersonListingChanged listed(String personId, String roundId) {
        return listing(personId, roundId, ListingChange.LISTED);
    }

    public static PersonListingChanged listing(String personId, String roundId, ListingChange change) {
        return PersonListingChanged.newBuilder().setPersonId(personId).setChange(change).setRoundId(roundId)
                .setListId("list-" + roundId).setListVersion(1).setReleasingSide(Side.RU)
                .setNativeName(new PersonName("Тестенко", "Іван", null))
                .setCategory(PersonCategory.SOLDIER).setChangedAt(T0).build();
    }

    /** A manifest as the scenario registers it: the bus's positions come from the trackers' client. */
    public static BusManifestRegistered manifest(String busId, String roundId, String... personIds) {
        return BusManifestRegistered.newBuilder().setBusId(busId).setRoundId(roundId).setPersonIds(List.of(personIds))
                .setOrigin("Origin").setReceptionPoint("Reception point").setTrackerClient("bus-trackers").setRegisteredAt(T0).build();
    }

    public static BusMovementDetected movement(String busId, String roundId, Movement movement, Instant at,
                                               Double latitude, Double longitude, String place) {
        return BusMovementDetected.newBuilder().setBusId(busId).setRoundId(roundId).setMovement(movement)
                .setOccurredAt(at).setLatitude(latitude).setLongitude(longitude).setPlace(place).build();
    }

    public static BusMovementDetected movement(String busId, String roundId, Movement movement) {
        return movement(busId, roundId, movement, T0, null, null, null);
    }

    public static BusPositionRecorded position(String busId, String roundId, double latitude, double longitude, Instant at) {
        return BusPositionRecorded.newBuilder().setBusId(busId).setRoundId(roundId).setLatitude(latitude)
                .setLongitude(longitude).setSpeedKmh(60.0).setRecordedAt(at).build();
    }

    public static PersonHandedOver handedOver(String personId, String busId, String roundId, boolean identityVerified) {
        return PersonHandedOver.newBuilder().setPersonId(personId).setBusId(busId).setRoundId(roundId)
                .setHandedOverAt(T0).setIdentityVerified(identityVerified).setTriageLevel(TriageLevel.DELAYED)
                .setDestinationFacility("Hospital").setOnManifest(true).build();
    }

    public static HandoverDiscrepancyFound discrepancy(String busId, String roundId, String personId, Discrepancy kind) {
        return HandoverDiscrepancyFound.newBuilder().setBusId(busId).setRoundId(roundId).setPersonId(personId)
                .setDiscrepancy(kind).setFoundAt(T0.plusSeconds(7200)).build();
    }

    public static MatchDecided match(String matchId, String inquiryId, String personId, MatchStatus status) {
        return MatchDecided.newBuilder().setMatchId(matchId).setInquiryId(inquiryId).setPersonId(personId)
                .setStatus(status).setScore(12.5).setEvidence(List.of()).setDecidedBy("matcher").setDecidedAt(T0).build();
    }

    public static AlertIssued alert(String alertId, String inquiryId, String personId) {
        return AlertIssued.newBuilder().setAlertId(alertId).setInquiryId(inquiryId).setPersonId(personId)
                .setMilestone(Milestone.ARRIVED).setLanguage(Language.UK).setChannel(AlertChannel.EMAIL)
                .setIssuedAt(T0).build();
    }

    public static AlertDeliveryAttempted delivery(String alertId, String inquiryId, int attempt, DeliveryOutcome outcome) {
        return AlertDeliveryAttempted.newBuilder().setAlertId(alertId).setInquiryId(inquiryId).setAttempt(attempt)
                .setChannel(AlertChannel.EMAIL).setOutcome(outcome).setAttemptedAt(T0.plusSeconds(attempt)).build();
    }
}

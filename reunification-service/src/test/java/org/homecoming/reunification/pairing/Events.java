package org.homecoming.reunification.pairing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;

/** Synthetic events for the tests. The people are invented. */
final class Events {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private Events() {
    }

    static PersonListingChanged listing(String personId, ListingChange change, String surname, String givenName,
                                        LocalDate birthDate, Instant changedAt) {
        return PersonListingChanged.newBuilder()
                .setPersonId(personId)
                .setChange(change)
                .setRoundId("round-1")
                .setListId("list-1")
                .setListVersion(1)
                .setReleasingSide(Side.RU)
                .setNativeName(new PersonName(surname, givenName, null))
                .setBirthDate(birthDate)
                .setCategory(PersonCategory.SOLDIER)
                .setChangedAt(changedAt)
                .build();
    }

    static PersonListingChanged listed(String personId, String surname, String givenName, LocalDate birthDate) {
        return listing(personId, ListingChange.LISTED, surname, givenName, birthDate, T0);
    }

    static InquiryRegistered inquiry(String inquiryId, int revision, String surname, String givenName, LocalDate birthDate) {
        return InquiryRegistered.newBuilder()
                .setInquiryId(inquiryId)
                .setRevision(revision)
                .setSought(SoughtPerson.newBuilder()
                        .setNames(List.of(new PersonName(surname, givenName, null)))
                        .setBirthDate(birthDate)
                        .setCategory(PersonCategory.SOLDIER)
                        .build())
                .setRelative(Relative.newBuilder()
                        .setName("Relative of " + inquiryId)
                        .setRelationship("wife")
                        .setLanguage(Language.UK)
                        .setConsentGiven(true)
                        .setEmail(inquiryId + "@example.org")
                        .build())
                .setRegisteredAt(T0)
                .setUpdatedAt(T0)
                .build();
    }

    /**
     * The inquiry at a later revision whose relative corrected the sought person in a way that still fits him: she adds
     * that he is a man. The sought person changes, so matching decides its pairs again.
     */
    static InquiryRegistered corrected(InquiryRegistered inquiry, int revision) {
        return InquiryRegistered.newBuilder(inquiry)
                .setRevision(revision)
                .setSoughtRevision(revision)
                .setSought(SoughtPerson.newBuilder(inquiry.getSought()).setSex(org.homecoming.events.common.Sex.MALE).build())
                .build();
    }

    /** The inquiry at a later revision in which the relative changed only her e-mail address. */
    static InquiryRegistered newEmail(InquiryRegistered inquiry, int revision) {
        return InquiryRegistered.newBuilder(inquiry)
                .setRevision(revision)
                .setSoughtRevision(inquiry.getSoughtRevision() == null ? inquiry.getRevision() : inquiry.getSoughtRevision())
                .setRelative(Relative.newBuilder(inquiry.getRelative()).setEmail("new-" + inquiry.getRelative().getEmail()).build())
                .build();
    }

    static BusManifestRegistered manifest(String busId, String... personIds) {
        return manifestOfRound("round-1", busId, personIds);
    }

    static BusManifestRegistered manifestOfRound(String roundId, String busId, String... personIds) {
        return new BusManifestRegistered(busId, roundId, List.of(personIds), "Kursk", "Chernihiv reception point", T0, null, null);
    }

    static BusMovementDetected movement(String busId, Movement movement) {
        return movementOfRound("round-1", busId, movement);
    }

    static BusMovementDetected movementOfRound(String roundId, String busId, Movement movement) {
        return BusMovementDetected.newBuilder().setBusId(busId).setRoundId(roundId).setMovement(movement)
                .setOccurredAt(T0).build();
    }

    static PersonHandedOver handedOver(String personId, boolean verified) {
        return handedOver(personId, verified, true);
    }

    static PersonHandedOver handedOver(String personId, boolean verified, boolean onManifest) {
        return new PersonHandedOver(personId, "bus-1", "round-1", T0, verified, TriageLevel.DELAYED, "Chernihiv Regional Hospital",
                onManifest, "chernihiv-regional-hospital");
    }

    static PersonAdmitted admitted(String personId, String facilityId) {
        return new PersonAdmitted(personId, "round-1", "Chernihiv Regional Hospital", T0, facilityId);
    }

    static MatchDecided caseworker(MatchView match, MatchStatus status, String reason) {
        return MatchDecided.newBuilder()
                .setMatchId(match.matchId())
                .setInquiryId(match.inquiryId())
                .setPersonId(match.personId())
                .setStatus(status)
                .setScore(match.score())
                .setEvidence(List.of())
                .setDecidedBy("caseworker-7")
                .setReason(reason)
                .setDecidedAt(T0)
                .setInquiryRevision(match.inquiryRevision())
                .setPersonChangedAt(Instant.ofEpochMilli(match.personVersion()))
                .build();
    }
}

package org.homecoming.transport.ledger;

/** A ledger that has finished its replay, for unit tests of the services that read it. */
public final class LedgerFixtures {

    private LedgerFixtures() {
    }

    /** Lists the person for the round, as the roster's topic would. */
    public static void listed(TransportLedger ledger, String personId, String roundId) {
        ledger.apply(org.homecoming.catalogue.Topics.LISTED_PERSONS.name(), org.homecoming.events.roster.PersonListingChanged.newBuilder()
                .setPersonId(personId).setChange(org.homecoming.events.roster.ListingChange.LISTED).setRoundId(roundId)
                .setListId("list-" + roundId).setListVersion(1).setReleasingSide(org.homecoming.events.common.Side.RU)
                .setNativeName(new org.homecoming.events.common.PersonName("Тестовий", "Особа", null))
                .setCategory(org.homecoming.events.common.PersonCategory.CIVILIAN)
                .setChangedAt(java.time.Instant.parse("2026-11-20T00:00:00Z")).build());
    }

    /** The movement of the bus's trip in the round, as the ledger reads it from the movements topic. */
    public static void moved(TransportLedger ledger, String busId, String roundId, org.homecoming.events.transport.Movement movement) {
        ledger.apply(org.homecoming.catalogue.Topics.BUS_MOVEMENTS.name(), org.homecoming.events.transport.BusMovementDetected
                .newBuilder().setBusId(busId).setRoundId(roundId).setMovement(movement)
                .setOccurredAt(java.time.Instant.parse("2026-11-20T12:00:00Z")).build());
    }

    public static TransportLedger caughtUp() {
        TransportLedger ledger = new TransportLedger();
        ledger.markCaughtUp();
        return ledger;
    }
}

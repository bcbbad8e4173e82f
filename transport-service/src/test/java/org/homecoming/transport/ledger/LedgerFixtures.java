package org.homecoming.transport.ledger;

/** A ledger that has finished its replay, for unit tests of the services that read it. */
public final class LedgerFixtures {

    private LedgerFixtures() {
    }

    public static TransportLedger caughtUp() {
        TransportLedger ledger = new TransportLedger();
        ledger.markCaughtUp();
        return ledger;
    }
}

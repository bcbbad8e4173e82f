package org.homecoming.transport.movements;

/** The trip store's encoding, for tests of other packages that read its changelog. */
public final class TripStoreTestAccess {

    private TripStoreTestAccess() {
    }

    /** The bytes the store and its changelog hold for a trip read from the store. */
    public static byte[] encoded(Object trip) {
        return TripStateSerde.write((TripState) trip);
    }
}

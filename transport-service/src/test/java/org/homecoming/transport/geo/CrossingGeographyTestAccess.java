package org.homecoming.transport.geo;

/** Gives tests of other packages the shipped geography. */
public final class CrossingGeographyTestAccess {

    private CrossingGeographyTestAccess() {
    }

    public static CrossingGeography shipped() {
        return CrossingGeographyTest.shipped();
    }
}

package org.homecoming.synthetic.buses;

/** A WGS84 position in decimal degrees. */
public record Point(double latitude, double longitude) {

    static final double EARTH_RADIUS_METERS = 6_371_008.8;

    /** Great-circle distance by the haversine formula. */
    double distanceTo(Point other) {
        double dLat = Math.toRadians(other.latitude - latitude);
        double dLon = Math.toRadians(other.longitude - longitude);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(latitude)) * Math.cos(Math.toRadians(other.latitude)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The point reached by moving the given metres north and east: GPS jitter. */
    Point offsetMeters(double north, double east) {
        double dLat = Math.toDegrees(north / EARTH_RADIUS_METERS);
        double dLon = Math.toDegrees(east / (EARTH_RADIUS_METERS * Math.cos(Math.toRadians(latitude))));
        return new Point(latitude + dLat, longitude + dLon);
    }
}

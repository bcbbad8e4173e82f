package org.homecoming.transport.geo;

import java.util.List;

/**
 * A line through two or more points: the border, or a road route. Distances to the line are computed in a
 * local flat projection around the point asked about, which is exact enough within tens of kilometres.
 *
 * <p>Movement detection asks the border and the route about every reading, so the line's segment lengths (great-circle
 * distances) are computed once here, and a query projects the point onto the segments without allocating.
 */
public final class Polyline {

    private final List<GeoPoint> points;
    /** Length of segment i (from point i to point i + 1) in metres. */
    private final double[] segmentMeters;
    /** Length of the line after segment i, from point i + 1 to the end, in metres. */
    private final double[] metersAfterSegment;
    private final double lengthMeters;

    public Polyline(List<GeoPoint> points) {
        this.points = List.copyOf(points);
        if (this.points.size() < 2) {
            throw new IllegalArgumentException("A polyline needs at least two points, got " + this.points.size());
        }
        int segments = this.points.size() - 1;
        segmentMeters = new double[segments];
        double length = 0;
        for (int i = 0; i < segments; i++) {
            segmentMeters[i] = this.points.get(i).distanceTo(this.points.get(i + 1));
            length += segmentMeters[i];
        }
        lengthMeters = length;
        metersAfterSegment = new double[segments];
        for (int i = segments - 2; i >= 0; i--) {
            metersAfterSegment[i] = metersAfterSegment[i + 1] + segmentMeters[i + 1];
        }
    }

    public List<GeoPoint> points() {
        return points;
    }

    /** Where a point lies relative to the line: found once, then asked for its distance, side or remaining length. */
    public Projection project(GeoPoint point) {
        // Flat projection in metres centred on the point: x east, y north.
        double metresPerDegreeNorth = Math.toRadians(GeoPoint.EARTH_RADIUS_METERS);
        double metresPerDegreeEast = metresPerDegreeNorth * Math.cos(Math.toRadians(point.latitude()));
        int bestSegment = -1;
        double bestFraction = 0;
        double bestDistanceSquared = Double.POSITIVE_INFINITY;
        double bestCross = 0;
        GeoPoint start = points.get(0);
        double ax = (start.longitude() - point.longitude()) * metresPerDegreeEast;
        double ay = (start.latitude() - point.latitude()) * metresPerDegreeNorth;
        for (int i = 0; i + 1 < points.size(); i++) {
            GeoPoint end = points.get(i + 1);
            double bx = (end.longitude() - point.longitude()) * metresPerDegreeEast;
            double by = (end.latitude() - point.latitude()) * metresPerDegreeNorth;
            double dx = bx - ax;
            double dy = by - ay;
            double lengthSquared = dx * dx + dy * dy;
            double t = lengthSquared == 0 ? 0 : Math.max(0, Math.min(1, (-ax * dx - ay * dy) / lengthSquared));
            double px = ax + t * dx;
            double py = ay + t * dy;
            double distanceSquared = px * px + py * py;
            if (i == 0 || distanceSquared < bestDistanceSquared) {
                bestSegment = i;
                bestFraction = t;
                bestDistanceSquared = distanceSquared;
                bestCross = dx * (-ay) - dy * (-ax);
            }
            ax = bx;
            ay = by;
        }
        return new Projection(bestSegment, bestFraction, Math.sqrt(bestDistanceSquared), (int) Math.signum(bestCross));
    }

    /** Shortest distance in metres from the point to the line. */
    public double distanceTo(GeoPoint point) {
        return project(point).distanceMeters();
    }

    /**
     * Which side of the line the point lies on, looking along the line from its first point to its last:
     * +1 left, -1 right, 0 exactly on it. Decided by the nearest segment.
     */
    public int sideOf(GeoPoint point) {
        return project(point).side();
    }

    /** Length of the whole line in metres. */
    public double lengthMeters() {
        return lengthMeters;
    }

    /** Distance in metres along the line from the point's projection onto it to the line's end. */
    public double remainingMeters(GeoPoint point) {
        return project(point).remainingMeters();
    }

    /** The point at the given distance in metres along the line from its start (clamped to its ends). */
    public GeoPoint pointAt(double metersFromStart) {
        double left = Math.max(0, metersFromStart);
        for (int i = 1; i < points.size(); i++) {
            GeoPoint a = points.get(i - 1);
            GeoPoint b = points.get(i);
            double segment = segmentMeters[i - 1];
            if (left <= segment) {
                double t = segment == 0 ? 0 : left / segment;
                return new GeoPoint(a.latitude() + t * (b.latitude() - a.latitude()),
                        a.longitude() + t * (b.longitude() - a.longitude()));
            }
            left -= segment;
        }
        return points.get(points.size() - 1);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Polyline line && line.points.equals(points);
    }

    @Override
    public int hashCode() {
        return points.hashCode();
    }

    @Override
    public String toString() {
        return "Polyline" + points;
    }

    /**
     * A point's projection onto the nearest segment of the line.
     *
     * @param side +1 left of the line, -1 right, 0 exactly on it (see {@link #sideOf})
     */
    public final class Projection {
        private final int segment;
        private final double fraction;
        private final double distanceMeters;
        private final int side;

        private Projection(int segment, double fraction, double distanceMeters, int side) {
            this.segment = segment;
            this.fraction = fraction;
            this.distanceMeters = distanceMeters;
            this.side = side;
        }

        /** Shortest distance in metres from the point to the line. */
        public double distanceMeters() {
            return distanceMeters;
        }

        /** +1 left of the line (looking from its first point to its last), -1 right, 0 exactly on it. */
        public int side() {
            return side;
        }

        /** Distance in metres along the line from the projection to the line's end. */
        public double remainingMeters() {
            return (1 - fraction) * segmentMeters[segment] + metersAfterSegment[segment];
        }
    }
}

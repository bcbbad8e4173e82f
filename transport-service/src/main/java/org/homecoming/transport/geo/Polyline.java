package org.homecoming.transport.geo;

import java.util.List;

/**
 * A line through two or more points: the border, or a road route. Distances to the line are computed in a
 * local flat projection around the point asked about, which is exact enough within tens of kilometres.
 */
public record Polyline(List<GeoPoint> points) {

    public Polyline {
        points = List.copyOf(points);
        if (points.size() < 2) {
            throw new IllegalArgumentException("A polyline needs at least two points, got " + points.size());
        }
    }

    /** Shortest distance in metres from the point to the line. */
    public double distanceTo(GeoPoint point) {
        return nearest(point).distance;
    }

    /**
     * Which side of the line the point lies on, looking along the line from its first point to its last:
     * +1 left, -1 right, 0 exactly on it. Decided by the nearest segment.
     */
    public int sideOf(GeoPoint point) {
        Nearest nearest = nearest(point);
        return (int) Math.signum(nearest.cross);
    }

    /** Length of the whole line in metres. */
    public double lengthMeters() {
        double length = 0;
        for (int i = 1; i < points.size(); i++) {
            length += points.get(i - 1).distanceTo(points.get(i));
        }
        return length;
    }

    /** Distance in metres along the line from the point's projection onto it to the line's end. */
    public double remainingMeters(GeoPoint point) {
        Nearest nearest = nearest(point);
        double remaining = (1 - nearest.fraction) * points.get(nearest.segment).distanceTo(points.get(nearest.segment + 1));
        for (int i = nearest.segment + 2; i < points.size(); i++) {
            remaining += points.get(i - 1).distanceTo(points.get(i));
        }
        return remaining;
    }

    /** The point at the given distance in metres along the line from its start (clamped to its ends). */
    public GeoPoint pointAt(double metersFromStart) {
        double left = Math.max(0, metersFromStart);
        for (int i = 1; i < points.size(); i++) {
            GeoPoint a = points.get(i - 1);
            GeoPoint b = points.get(i);
            double segment = a.distanceTo(b);
            if (left <= segment) {
                double t = segment == 0 ? 0 : left / segment;
                return new GeoPoint(a.latitude() + t * (b.latitude() - a.latitude()),
                        a.longitude() + t * (b.longitude() - a.longitude()));
            }
            left -= segment;
        }
        return points.get(points.size() - 1);
    }

    private Nearest nearest(GeoPoint point) {
        Nearest best = null;
        for (int i = 0; i + 1 < points.size(); i++) {
            Nearest candidate = toSegment(point, i);
            if (best == null || candidate.distance < best.distance) {
                best = candidate;
            }
        }
        return best;
    }

    private Nearest toSegment(GeoPoint point, int segment) {
        // Flat projection in metres centred on the point: x east, y north.
        double[] a = project(point, points.get(segment));
        double[] b = project(point, points.get(segment + 1));
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : Math.max(0, Math.min(1, (-a[0] * dx - a[1] * dy) / lengthSquared));
        double px = a[0] + t * dx;
        double py = a[1] + t * dy;
        double cross = dx * (-a[1]) - dy * (-a[0]);
        return new Nearest(segment, t, Math.hypot(px, py), cross);
    }

    private static double[] project(GeoPoint origin, GeoPoint point) {
        double metresPerDegree = Math.toRadians(GeoPoint.EARTH_RADIUS_METERS);
        double x = (point.longitude() - origin.longitude()) * metresPerDegree * Math.cos(Math.toRadians(origin.latitude()));
        double y = (point.latitude() - origin.latitude()) * metresPerDegree;
        return new double[] {x, y};
    }

    private record Nearest(int segment, double fraction, double distance, double cross) {
    }
}

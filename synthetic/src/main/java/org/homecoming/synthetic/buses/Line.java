package org.homecoming.synthetic.buses;

import java.util.List;

/**
 * A road or the border line, as a driven bus needs it: where it is after so many metres, and which side of the
 * border a reading lies on. Distances to the line use a local flat projection, as transport's own geometry does.
 */
public record Line(List<Point> points) {

    public Line {
        points = List.copyOf(points);
        if (points.size() < 2) {
            throw new IllegalArgumentException("A line needs at least two points, got " + points.size());
        }
    }

    double lengthMeters() {
        double length = 0;
        for (int i = 1; i < points.size(); i++) {
            length += points.get(i - 1).distanceTo(points.get(i));
        }
        return length;
    }

    /** The point at the given distance along the line from its start (clamped to its ends). */
    Point pointAt(double metersFromStart) {
        double left = Math.max(0, metersFromStart);
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            double segment = a.distanceTo(b);
            if (left <= segment) {
                double t = segment == 0 ? 0 : left / segment;
                return new Point(a.latitude() + t * (b.latitude() - a.latitude()),
                        a.longitude() + t * (b.longitude() - a.longitude()));
            }
            left -= segment;
        }
        return points.get(points.size() - 1);
    }

    /** Distance along the line from the point's projection onto it to the line's end. */
    double remainingMeters(Point point) {
        Nearest nearest = nearest(point);
        double remaining = (1 - nearest.fraction) * points.get(nearest.segment).distanceTo(points.get(nearest.segment + 1));
        for (int i = nearest.segment + 2; i < points.size(); i++) {
            remaining += points.get(i - 1).distanceTo(points.get(i));
        }
        return remaining;
    }

    double distanceTo(Point point) {
        return nearest(point).distance;
    }

    /** +1 left of the line looking from its first point to its last, -1 right, 0 on it; decided by the nearest segment. */
    int sideOf(Point point) {
        return (int) Math.signum(nearest(point).cross);
    }

    private Nearest nearest(Point point) {
        Nearest best = null;
        for (int i = 0; i + 1 < points.size(); i++) {
            // flat projection in metres centred on the point: x east, y north
            double[] a = project(point, points.get(i));
            double[] b = project(point, points.get(i + 1));
            double dx = b[0] - a[0];
            double dy = b[1] - a[1];
            double lengthSquared = dx * dx + dy * dy;
            double t = lengthSquared == 0 ? 0 : Math.max(0, Math.min(1, (-a[0] * dx - a[1] * dy) / lengthSquared));
            Nearest candidate = new Nearest(i, t, Math.hypot(a[0] + t * dx, a[1] + t * dy), dx * (-a[1]) - dy * (-a[0]));
            if (best == null || candidate.distance < best.distance) {
                best = candidate;
            }
        }
        return best;
    }

    private static double[] project(Point origin, Point point) {
        double metresPerDegree = Math.toRadians(Point.EARTH_RADIUS_METERS);
        return new double[] {(point.longitude() - origin.longitude()) * metresPerDegree * Math.cos(Math.toRadians(origin.latitude())),
                (point.latitude() - origin.latitude()) * metresPerDegree};
    }

    private record Nearest(int segment, double fraction, double distance, double cross) {
    }
}

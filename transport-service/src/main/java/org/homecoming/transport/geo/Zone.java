package org.homecoming.transport.geo;

import java.util.List;

/** A named geofence: the origin, a checkpoint, the reception point. */
public sealed interface Zone {

    /** Stable id used in manifests and configuration, e.g. {@code chernihiv-reception-point}. */
    String id();

    /** Human-readable name carried in movement events. */
    String name();

    boolean contains(GeoPoint point);

    /** A representative point inside the zone. */
    GeoPoint center();

    /** Everything within a radius of a point. */
    record Circle(String id, String name, GeoPoint center, double radiusMeters) implements Zone {
        @Override
        public boolean contains(GeoPoint point) {
            // Most readings are kilometres from any zone: the north-south distance alone (never more than the
            // great-circle distance; 0.1% of slack for rounding) rules them out without the haversine formula.
            double northSouthMeters = Math.abs(Math.toRadians(point.latitude() - center.latitude())) * GeoPoint.EARTH_RADIUS_METERS;
            if (northSouthMeters > radiusMeters * 1.001) {
                return false;
            }
            return center.distanceTo(point) <= radiusMeters;
        }
    }

    /** Everything inside a closed ring of points (ray casting; the ring may or may not repeat its first point). */
    record Polygon(String id, String name, List<GeoPoint> ring) implements Zone {
        public Polygon {
            ring = List.copyOf(ring);
            if (ring.size() < 3) {
                throw new IllegalArgumentException("Zone " + id + " needs at least three points");
            }
        }

        @Override
        public boolean contains(GeoPoint point) {
            boolean inside = false;
            for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
                GeoPoint a = ring.get(i);
                GeoPoint b = ring.get(j);
                boolean straddles = (a.latitude() > point.latitude()) != (b.latitude() > point.latitude());
                if (straddles) {
                    double crossingLongitude = a.longitude() + (point.latitude() - a.latitude())
                            * (b.longitude() - a.longitude()) / (b.latitude() - a.latitude());
                    if (point.longitude() < crossingLongitude) {
                        inside = !inside;
                    }
                }
            }
            return inside;
        }

        @Override
        public GeoPoint center() {
            double latitude = ring.stream().mapToDouble(GeoPoint::latitude).average().orElseThrow();
            double longitude = ring.stream().mapToDouble(GeoPoint::longitude).average().orElseThrow();
            return new GeoPoint(latitude, longitude);
        }
    }
}

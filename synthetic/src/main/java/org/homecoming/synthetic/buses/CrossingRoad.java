package org.homecoming.synthetic.buses;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a driven bus needs to know of the crossing: the road, the border line it crosses, and where the
 * checkpoints on the road are. Read from the same GeoJSON that transport-service tracks buses against
 * ({@code transport-service/src/main/resources/geo/chernihiv-crossing.geojson}), so the trackers and the
 * tracking never disagree about the road; this module reads the file rather than depending on the service.
 */
public record CrossingRoad(Line route, Line border, List<Point> checkpoints) {

    public CrossingRoad {
        checkpoints = List.copyOf(checkpoints);
    }

    /** Reads a FeatureCollection whose features say their role in {@code properties.role}; other roles are ignored. */
    public static CrossingRoad fromGeoJson(InputStream geoJson) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(geoJson);
        Line route = null;
        Line border = null;
        List<Point> checkpoints = new ArrayList<>();
        for (JsonNode feature : root.path("features")) {
            JsonNode geometry = feature.path("geometry");
            switch (feature.path("properties").path("role").asString()) {
                case "route" -> route = new Line(points(geometry.path("coordinates")));
                case "border" -> border = new Line(points(geometry.path("coordinates")));
                case "checkpoint" -> checkpoints.add(center(geometry));
                default -> { }
            }
        }
        if (route == null || border == null) {
            throw new IllegalArgumentException("The geography needs a feature with role 'route' and one with role 'border'");
        }
        return new CrossingRoad(route, border, checkpoints);
    }

    /** A Point zone's centre, or a Polygon zone's average corner, as transport takes a zone's centre. */
    private static Point center(JsonNode geometry) {
        if (geometry.path("type").asString().equals("Point")) {
            return point(geometry.path("coordinates"));
        }
        List<Point> ring = points(geometry.path("coordinates").path(0));
        return new Point(ring.stream().mapToDouble(Point::latitude).average().orElseThrow(),
                ring.stream().mapToDouble(Point::longitude).average().orElseThrow());
    }

    private static List<Point> points(JsonNode coordinates) {
        List<Point> points = new ArrayList<>();
        coordinates.forEach(coordinate -> points.add(point(coordinate)));
        return points;
    }

    /** GeoJSON writes longitude first. */
    private static Point point(JsonNode coordinate) {
        return new Point(coordinate.path(1).asDouble(), coordinate.path(0).asDouble());
    }
}

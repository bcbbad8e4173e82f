package org.homecoming.transport.geo;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The places a trip is measured against: where buses leave, the border and its crossing point, the
 * checkpoints, the reception point, and the road between them. It is configuration (a GeoJSON file), so ops
 * can point the service at another crossing without a code change.
 *
 * @param receivingSide the side of {@code border} ({@link Polyline#sideOf}) that the reception point lies on
 */
public record CrossingGeography(Zone origin, Polyline border, int receivingSide, Zone crossingPoint,
                                List<Zone> checkpoints, Zone receptionPoint, Polyline route) {

    public CrossingGeography {
        checkpoints = List.copyOf(checkpoints);
        if (receivingSide == 0) {
            throw new IllegalArgumentException("The reception point lies on the border line");
        }
    }

    /** Reads a FeatureCollection whose features say their role in {@code properties.role}. */
    public static CrossingGeography fromGeoJson(InputStream geoJson) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(geoJson);
        Zone origin = null;
        Zone crossing = null;
        Zone reception = null;
        Polyline border = null;
        Polyline route = null;
        List<Zone> checkpoints = new ArrayList<>();
        for (JsonNode feature : root.path("features")) {
            JsonNode properties = feature.path("properties");
            String role = properties.path("role").asString();
            JsonNode geometry = feature.path("geometry");
            switch (role) {
                case "origin" -> origin = zone(properties, geometry);
                case "crossing" -> crossing = zone(properties, geometry);
                case "checkpoint" -> checkpoints.add(zone(properties, geometry));
                case "reception" -> reception = zone(properties, geometry);
                case "border" -> border = new Polyline(points(geometry.path("coordinates")));
                case "route" -> route = new Polyline(points(geometry.path("coordinates")));
                default -> throw new IllegalArgumentException("Unknown role '" + role + "' in the geography");
            }
        }
        require(origin, "origin");
        require(crossing, "crossing");
        require(reception, "reception");
        require(border, "border");
        require(route, "route");
        return new CrossingGeography(origin, border, border.sideOf(reception.center()), crossing, checkpoints, reception, route);
    }

    private static Zone zone(JsonNode properties, JsonNode geometry) {
        String id = properties.path("id").asString();
        String name = properties.path("name").asString();
        return switch (geometry.path("type").asString()) {
            case "Point" -> new Zone.Circle(id, name, point(geometry.path("coordinates")),
                    properties.path("radiusMeters").asDouble());
            case "Polygon" -> new Zone.Polygon(id, name, points(geometry.path("coordinates").path(0)));
            default -> throw new IllegalArgumentException("Zone " + id + " must be a Point with radiusMeters or a Polygon");
        };
    }

    private static List<GeoPoint> points(JsonNode coordinates) {
        List<GeoPoint> points = new ArrayList<>();
        coordinates.forEach(coordinate -> points.add(point(coordinate)));
        return points;
    }

    /** GeoJSON writes longitude first. */
    private static GeoPoint point(JsonNode coordinate) {
        return new GeoPoint(coordinate.path(1).asDouble(), coordinate.path(0).asDouble());
    }

    private static void require(Object feature, String role) {
        if (feature == null) {
            throw new IllegalArgumentException("The geography has no feature with role '" + role + "'");
        }
    }
}

package org.homecoming.console.route;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The schematic route drawn on the console: the box of the map in degrees, the border as a line of
 * points, and the named landmarks. Set in {@code homecoming.console.route}.
 */
@ConfigurationProperties("homecoming.console.route")
public record RouteProperties(double north, double south, double west, double east, List<GeoPoint> border,
                              Landmark origin, Landmark crossingPoint, Landmark receptionPoint,
                              String northLabel, String southLabel) {

    public record GeoPoint(double latitude, double longitude) {
    }

    public record Landmark(String name, double latitude, double longitude) {
    }
}

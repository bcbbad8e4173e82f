package org.homecoming.console.route;

import java.util.List;

import org.homecoming.console.route.RouteProperties.GeoPoint;
import org.homecoming.console.route.RouteProperties.Landmark;

/**
 * Projects latitude and longitude linearly into an SVG box. Over a region a hundred kilometres across a
 * plain linear projection is close enough for a schematic, and it needs no map tiles: the console works
 * offline and sends nothing to a third party.
 *
 * <p>The box is {@link #WIDTH} wide and as high as keeps east-west and north-south distances to the same
 * scale at the box's middle latitude.
 */
public final class RouteSchematic {

    public static final double WIDTH = 720;

    private final RouteProperties route;
    private final double height;

    public RouteSchematic(RouteProperties route) {
        if (!(route.north() > route.south() && route.east() > route.west())) {
            throw new IllegalArgumentException("The route box needs north > south and east > west, got " + route);
        }
        this.route = route;
        double middleLatitude = Math.toRadians((route.north() + route.south()) / 2);
        double widthInLatitudeDegrees = (route.east() - route.west()) * Math.cos(middleLatitude);
        this.height = Math.round(WIDTH * (route.north() - route.south()) / widthInLatitudeDegrees);
    }

    /** A point of the box, clamped to its edges so that a bus outside the box still shows, at the edge. */
    public MapPoint project(double latitude, double longitude) {
        double x = (longitude - route.west()) / (route.east() - route.west()) * WIDTH;
        double y = (route.north() - latitude) / (route.north() - route.south()) * height;
        boolean inside = x >= 0 && x <= WIDTH && y >= 0 && y <= height;
        return new MapPoint(round(clamp(x, WIDTH)), round(clamp(y, height)), inside);
    }

    public RouteMap map() {
        List<MapPoint> border = route.border().stream().map(point -> project(point)).toList();
        return new RouteMap(WIDTH, height, border, place(route.origin()), place(route.crossingPoint()),
                place(route.receptionPoint()), route.northLabel(), route.southLabel());
    }

    private MapPoint project(GeoPoint point) {
        return project(point.latitude(), point.longitude());
    }

    private MapPlace place(Landmark landmark) {
        return landmark == null ? null : new MapPlace(landmark.name(), project(landmark.latitude(), landmark.longitude()));
    }

    private static double clamp(double value, double max) {
        return Math.max(0, Math.min(max, value));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** A point in SVG user units; {@code inside} is false when it was clamped to the box's edge. */
    public record MapPoint(double x, double y, boolean inside) {
    }

    public record MapPlace(String name, MapPoint point) {
    }

    /** Everything the page needs to draw the route. */
    public record RouteMap(double width, double height, List<MapPoint> border, MapPlace origin,
                           MapPlace crossingPoint, MapPlace receptionPoint, String northLabel, String southLabel) {
    }
}

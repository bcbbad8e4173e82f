package org.homecoming.console.route;

import java.util.List;

import org.homecoming.console.route.RouteProperties.GeoPoint;
import org.homecoming.console.route.RouteProperties.Landmark;
import org.homecoming.console.route.RouteSchematic.MapPoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RouteSchematicTest {

    private final RouteProperties box = new RouteProperties(52.0, 51.0, 30.0, 32.0,
            List.of(new GeoPoint(51.5, 30.0), new GeoPoint(51.5, 32.0)),
            new Landmark("origin", 52.0, 30.0), new Landmark("crossing", 51.5, 31.0), new Landmark("reception", 51.0, 32.0),
            "NORTH", "SOUTH");
    private final RouteSchematic schematic = new RouteSchematic(box);

    @Test
    void shouldPutNorthWestTopLeftAndSouthEastBottomRight() {
        RouteSchematic.RouteMap map = schematic.map();

        assertThat(schematic.project(52.0, 30.0)).isEqualTo(new MapPoint(0, 0, true));
        assertThat(schematic.project(51.0, 32.0)).isEqualTo(new MapPoint(RouteSchematic.WIDTH, map.height(), true));
        assertThat(map.crossingPoint().point()).isEqualTo(new MapPoint(360, map.height() / 2, true));
    }

    @Test
    void shouldKeepDistancesToTheSameScaleBothWays() {
        // 2 degrees of longitude at 51.5 N are about 1.245 degrees of latitude long.
        assertThat(schematic.map().height() / RouteSchematic.WIDTH).isCloseTo(1 / (2 * Math.cos(Math.toRadians(51.5))), within(0.01));
    }

    @Test
    void shouldPinABusOutsideTheBoxToItsEdgeAndSaySo() {
        MapPoint farNorthEast = schematic.project(53.0, 33.0);

        assertThat(farNorthEast.x()).isEqualTo(RouteSchematic.WIDTH);
        assertThat(farNorthEast.y()).isZero();
        assertThat(farNorthEast.inside()).isFalse();
    }

    @Test
    void shouldRefuseABoxTurnedInsideOut() {
        RouteProperties upsideDown = new RouteProperties(51.0, 52.0, 30.0, 32.0, List.of(), null, null, null, null, null);

        assertThatThrownBy(() -> new RouteSchematic(upsideDown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("north > south");
    }
}

package org.homecoming.transport.geo;

import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CrossingGeographyTest {

    static CrossingGeography shipped() {
        try (InputStream in = CrossingGeographyTest.class.getResourceAsStream("/geo/chernihiv-crossing.geojson")) {
            return CrossingGeography.fromGeoJson(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldMeasureGreatCircleDistancesLikeAMap() {
        GeoPoint gomel = new GeoPoint(52.4345, 30.9754);
        GeoPoint chernihiv = new GeoPoint(51.4982, 31.2893);

        assertThat(gomel.distanceTo(chernihiv)).as("Gomel to Chernihiv as the crow flies, in metres")
                .isCloseTo(106_000, within(2_000.0));
        assertThat(gomel.offsetMeters(300, -400).distanceTo(gomel)).as("a 300 m north, 400 m west offset")
                .isCloseTo(500, within(0.5));
    }

    @Test
    void shouldPlaceTheReceptionPointOnTheUkrainianSideAndTheOriginOnTheOther() {
        CrossingGeography geography = shipped();

        assertThat(geography.border().sideOf(geography.receptionPoint().center())).isEqualTo(geography.receivingSide());
        assertThat(geography.border().sideOf(geography.origin().center())).as("Gomel is on the releasing side")
                .isEqualTo(-geography.receivingSide());
        assertThat(geography.border().sideOf(new GeoPoint(51.85, 30.8))).as("a point south of the line, west of the crossing")
                .isEqualTo(geography.receivingSide());
        assertThat(geography.border().sideOf(new GeoPoint(51.95, 31.4))).as("a point north of the line, east of the crossing")
                .isEqualTo(-geography.receivingSide());
    }

    @Test
    void shouldTellPointsInsideAPolygonAndACircleFromPointsOutside() {
        CrossingGeography geography = shipped();

        assertThat(geography.origin().contains(new GeoPoint(52.42, 31.00))).as("the Gomel assembly point").isTrue();
        assertThat(geography.origin().contains(new GeoPoint(52.38, 31.00))).as("2 km south of the assembly point").isFalse();
        GeoPoint reception = geography.receptionPoint().center();
        assertThat(geography.receptionPoint().contains(reception.offsetMeters(0, 350))).as("350 m from the reception point").isTrue();
        assertThat(geography.receptionPoint().contains(reception.offsetMeters(0, 450))).as("450 m from the reception point").isFalse();
    }

    @Test
    void shouldMeasureTheRouteAndWhatRemainsOfIt() {
        CrossingGeography geography = shipped();
        Polyline route = geography.route();

        assertThat(route.lengthMeters()).as("the road from Gomel to Chernihiv").isBetween(100_000.0, 130_000.0);
        assertThat(route.remainingMeters(route.pointAt(0))).isCloseTo(route.lengthMeters(), within(1.0));
        assertThat(route.remainingMeters(route.pointAt(40_000))).isCloseTo(route.lengthMeters() - 40_000, within(5.0));
        assertThat(route.remainingMeters(geography.receptionPoint().center())).isCloseTo(0, within(1.0));
    }

    @Test
    void shouldMeasureTheDistanceToTheBorderLine() {
        Polyline line = new Polyline(List.of(new GeoPoint(51.9, 30.9), new GeoPoint(51.9, 31.1)));
        GeoPoint onLine = new GeoPoint(51.9, 31.0);

        assertThat(line.distanceTo(onLine.offsetMeters(-200, 0))).isCloseTo(200, within(0.5));
        assertThat(line.sideOf(onLine.offsetMeters(-200, 0))).as("south of a west-to-east line is its right").isEqualTo(-1);
        assertThat(line.sideOf(onLine.offsetMeters(200, 0))).isEqualTo(1);
    }
}

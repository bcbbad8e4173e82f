package org.homecoming.synthetic.buses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BusTrackersTest {

    static final CrossingRoad ROAD = road();

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -5})
    void shouldRefuseASpeedupThatWouldNeverEndOrRunBackwards(double speedup) {
        BusTrackers trackers = new BusTrackers(ROAD, (bus, readings) -> { });

        assertThatThrownBy(() -> trackers.drive(List.of("bus-1"), speedup, 42))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speedup");
    }

    @Test
    void shouldRefuseToDriveNoBuses() {
        assertThatThrownBy(() -> new BusTrackers(ROAD, (bus, readings) -> { }).drive(List.of(), 60, 42))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSendEveryPlannedReadingOfEveryBusNoneOfThemInTheFuture() {
        Map<String, List<TrackerReading>> sent = new ConcurrentHashMap<>();
        Instant started = Instant.now();

        try (BusTrackers.Convoy convoy = new BusTrackers(ROAD, (bus, readings) ->
                sent.computeIfAbsent(bus, b -> new CopyOnWriteArrayList<>()).addAll(readings)).drive(List.of("bus-1", "bus-2"), 3600, 7)) {
            await().atMost(Duration.ofSeconds(60)).until(convoy::finished);

            assertThat(convoy.failures()).isEmpty();
            assertThat(convoy.readingsSent()).isEqualTo(convoy.readingsPlanned());
            assertThat(sent.keySet()).containsExactlyInAnyOrder("bus-1", "bus-2");
            assertThat(sent.values().stream().mapToInt(List::size).sum()).isEqualTo(convoy.readingsPlanned());
            assertThat(convoy.simulatedDuration()).as("about two hours of road").isBetween(Duration.ofMinutes(90), Duration.ofMinutes(180));
        }
        Instant finished = Instant.now();
        assertThat(sent.values()).allSatisfy(readings -> assertThat(readings).allSatisfy(reading ->
                assertThat(reading.recordedAt()).as("recorded in the past, as transport requires").isBefore(finished.plusSeconds(1))));
        assertThat(sent.get("bus-1").get(0).recordedAt()).as("the trip happened before it was reported in full")
                .isBefore(started);
    }

    @Test
    void shouldStopAndSayWhyWhenTheReceiverRefusesReadings() {
        try (BusTrackers.Convoy convoy = new BusTrackers(ROAD, (bus, readings) -> {
            throw new IllegalStateException("400 from transport");
        }).drive(List.of("bus-1"), 3600, 7)) {
            await().atMost(Duration.ofSeconds(30)).until(convoy::finished);

            assertThat(convoy.failures()).containsExactly("400 from transport");
        }
    }

    @Test
    void shouldWriteTheReadingsAsThePositionsEndpointTakesThem() {
        String body = TrackerReading.jsonArray(List.of(new TrackerReading(51.9, 31.06, 42.5, Instant.parse("2026-12-05T06:00:00Z"))));

        assertThat(body).isEqualTo("[{\"latitude\":51.9,\"longitude\":31.06,\"speedKmh\":42.5,\"recordedAt\":\"2026-12-05T06:00:00Z\"}]");
    }

    /** Transport-service owns the crossing's GeoJSON; the trackers read the same file. */
    static CrossingRoad road() {
        Path geoJson = Path.of("..", "transport-service", "src", "main", "resources", "geo", "chernihiv-crossing.geojson");
        try (InputStream in = Files.newInputStream(geoJson)) {
            return CrossingRoad.fromGeoJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

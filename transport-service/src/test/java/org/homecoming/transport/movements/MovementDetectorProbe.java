package org.homecoming.transport.movements;

import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.telemetry.Reading;

/** Runs readings through a detector the way the stream processor does. */
final class MovementDetectorProbe {

    private MovementDetectorProbe() {
    }

    static List<BusMovementDetected> detect(CrossingGeography geography, DetectionSettings settings, String busId,
                                                   String roundId, List<Reading> readings) {
        return detect(geography, settings, new RefusedReadings(null), busId, roundId, readings);
    }

    static List<BusMovementDetected> detect(CrossingGeography geography, DetectionSettings settings, RefusedReadings refused,
                                            String busId, String roundId, List<Reading> readings) {
        MovementDetector detector = new MovementDetector(geography, settings, refused);
        TripState trip = null;
        List<BusMovementDetected> movements = new ArrayList<>();
        for (Reading reading : readings) {
            BusPositionRecorded position = BusPositionRecorded.newBuilder().setBusId(busId).setRoundId(roundId)
                    .setLatitude(reading.latitude()).setLongitude(reading.longitude()).setSpeedKmh(reading.speedKmh())
                    .setRecordedAt(reading.recordedAt()).build();
            trip = detector.tripFor(trip, position);
            movements.addAll(detector.observe(trip, position, reading.recordedAt().toEpochMilli()));
        }
        return movements;
    }
}

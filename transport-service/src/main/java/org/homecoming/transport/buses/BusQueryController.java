package org.homecoming.transport.buses;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.platform.web.EntityId;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.movements.TripSnapshot;
import org.homecoming.transport.movements.Trips;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Where each bus is, for ops: state, last position, ETA, and how many of its persons were handed over. */
@RestController
class BusQueryController {

    private final TransportLedger ledger;
    private final Trips trips;

    BusQueryController(TransportLedger ledger, Trips trips) {
        this.ledger = ledger;
        this.trips = trips;
    }

    @Operation(summary = "Every bus with a manifest: state (REGISTERED, EN_ROUTE, CROSSED_BORDER, ARRIVED, SILENT), last position, ETA, counts")
    @GetMapping("/api/v1/buses")
    List<Bus> all() {
        ledger.awaitCurrentForRead();
        Map<String, TripSnapshot> snapshots = trips.all();
        return ledger.manifests().stream()
                .sorted(Comparator.comparing(BusManifestRegistered::getBusId))
                .map(manifest -> overview(manifest, Optional.ofNullable(snapshots.get(manifest.getBusId()))))
                .toList();
    }

    @Operation(summary = "One bus: state, last position, ETA, checkpoints passed, who may position it (trackedBy, trackerClient), "
            + "counts on manifest and handed over")
    @GetMapping("/api/v1/buses/{busId}")
    Bus one(@PathVariable String busId) {
        EntityId.require("busId", busId);
        ledger.awaitCurrentForRead();
        BusManifestRegistered manifest = ledger.manifest(busId).orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No manifest is registered for bus " + busId), null));
        return overview(manifest, trips.find(busId));
    }

    private Bus overview(BusManifestRegistered manifest, Optional<TripSnapshot> found) {
        // A trip of an earlier round says nothing about the bus's current manifest.
        Optional<TripSnapshot> trip = found.filter(snapshot -> snapshot.roundId().equals(manifest.getRoundId()));
        int handedOver = (int) manifest.getPersonIds().stream()
                .filter(personId -> ledger.handover(personId).filter(h -> h.getBusId().equals(manifest.getBusId())).isPresent())
                .count();
        return new Bus(manifest.getBusId(), manifest.getRoundId(),
                trip.map(TripSnapshot::phase).orElse(TripSnapshot.Phase.REGISTERED),
                trip.filter(t -> t.latitude() != null)
                        .map(t -> new Position(t.latitude(), t.longitude(), t.speedKmh(), Instant.ofEpochMilli(t.lastRecordedAt())))
                        .orElse(null),
                trip.map(TripSnapshot::estimatedArrival).map(Instant::ofEpochMilli).orElse(null),
                trip.map(TripSnapshot::crossedAt).map(Instant::ofEpochMilli).orElse(null),
                trip.map(TripSnapshot::arrivedAt).map(Instant::ofEpochMilli).orElse(null),
                trip.map(TripSnapshot::checkpointsPassed).orElse(List.of()),
                manifest.getOrigin(), manifest.getReceptionPoint(), manifest.getTrackedBy(), manifest.getTrackerClient(),
                manifest.getPersonIds().size(), handedOver);
    }

    /**
     * {@code trackedBy} and {@code trackerClient} say who may position the bus (a partner on Kafka, a device's client
     * over REST): a silent bus whose device is refused is found by reading them, not the manifest's history.
     */
    record Bus(String busId, String roundId, TripSnapshot.Phase state, Position lastPosition, Instant estimatedArrival,
               Instant crossedBorderAt, Instant arrivedAt, List<String> checkpointsPassed, String origin, String receptionPoint,
               String trackedBy, String trackerClient, int onManifest, int handedOver) {
    }

    record Position(double latitude, double longitude, Double speedKmh, Instant recordedAt) {
    }
}

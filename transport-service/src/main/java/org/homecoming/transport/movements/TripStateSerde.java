package org.homecoming.transport.movements;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import tools.jackson.databind.json.JsonMapper;

/** JSON for the trip state store and its changelog: internal to this service, readable when debugging. */
final class TripStateSerde {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TripStateSerde() {
    }

    static Serde<TripState> create() {
        return Serdes.serdeFrom(
                (topic, trip) -> trip == null ? null : JSON.writeValueAsBytes(trip),
                (topic, bytes) -> bytes == null ? null : JSON.readValue(bytes, TripState.class));
    }
}

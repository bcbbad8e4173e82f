package org.homecoming.transport.movements;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TripStateSerdeTest {

    @Test
    void shouldReadBackEveryFieldOfATripItWrote() {
        TripState trip = TripState.start("bus-7", "round-1");
        trip.lastRecordedAt = 1_700_000_000_000L;
        trip.latitude = 51.91;
        trip.longitude = 31.05;
        trip.speedKmh = 62.5;
        trip.recentSpeedKmh = 58.0;
        trip.departed = true;
        trip.departedAt = 1_699_999_000_000L;
        trip.departedProgressMeters = 120.0;
        trip.checkpointsPassed.add("checkpoint-horodnia");
        trip.crossingStreak = 2;
        trip.borderCrossed = true;
        trip.crossedAt = 1_699_999_900_000L;
        trip.receptionStreak = 2;
        trip.estimatedArrival = 1_700_003_600_000L;
        trip.lastSeenAt = 1_700_000_000_500L;
        trip.arrivalSeenAt = 1_700_000_000_400L;

        TripState read = TripStateSerde.read(TripStateSerde.write(trip));

        assertThat(read).usingRecursiveComparison().isEqualTo(trip);
        assertThat(read.snapshot()).isEqualTo(trip.snapshot());
    }

    @Test
    void shouldWriteTheBytesThatEarlierVersionsWroteSoStoredTripsStayReadable() throws Exception {
        TripState trip = TripState.start("bus-ч\u0000-€", "round-1");
        trip.lastRecordedAt = 1_700_000_000_000L;
        trip.latitude = -51.91;
        trip.speedKmh = 62.5;
        trip.departed = true;
        trip.checkpointsPassed.add("пункт-горностаївка");
        trip.checkpointsPassed.add("checkpoint-2");
        trip.crossingStreak = -3;
        trip.estimatedArrival = -1L;
        trip.lastSeenAt = Long.MIN_VALUE;
        trip.silent = true;

        // the format as version 1 wrote it, with java.io.DataOutputStream
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeByte(1);
            out.writeUTF(trip.busId);
            out.writeBoolean(true);
            out.writeUTF(trip.roundId);
            out.writeBoolean(true);
            out.writeLong(trip.lastRecordedAt);
            out.writeBoolean(true);
            out.writeDouble(trip.latitude);
            out.writeBoolean(false);
            out.writeBoolean(true);
            out.writeDouble(trip.speedKmh);
            out.writeBoolean(false);
            out.writeBoolean(true);
            out.writeBoolean(false);
            out.writeBoolean(false);
            out.writeShort(2);
            out.writeUTF("пункт-горностаївка");
            out.writeUTF("checkpoint-2");
            out.writeInt(-3);
            out.writeBoolean(false);
            out.writeBoolean(false);
            out.writeBoolean(false);
            out.writeBoolean(false);
            out.writeBoolean(true);
            out.writeLong(-1L);
            out.writeLong(Long.MIN_VALUE);
            out.writeBoolean(true);
        }

        assertThat(TripStateSerde.read(expected.toByteArray())).as("a trip stored before receptionStreak was appended")
                .usingRecursiveComparison().isEqualTo(trip);
        // appended fields follow the bytes that earlier versions wrote, which ignore them
        trip.receptionStreak = 2;
        byte[] written = TripStateSerde.write(trip);
        byte[] earlier = expected.toByteArray();
        assertThat(java.util.Arrays.copyOf(written, earlier.length)).isEqualTo(earlier);
        assertThat(java.util.Arrays.copyOfRange(written, earlier.length, written.length))
                .as("receptionStreak, then returning, then backOnReleasingSide, then arrivalSeenAt (none)")
                .containsExactly(0, 0, 0, 2, 0, 0, 0);
        assertThat(TripStateSerde.read(written).receptionStreak).isEqualTo(2);
        // a trip stored with receptionStreak but before returning was appended reads as not returning
        assertThat(TripStateSerde.read(java.util.Arrays.copyOf(written, written.length - 3)).returning).isFalse();
        // and one stored before backOnReleasingSide, as not back yet
        trip.returning = true;
        byte[] returning = TripStateSerde.write(trip);
        TripState beforeBack = TripStateSerde.read(java.util.Arrays.copyOf(returning, returning.length - 2));
        assertThat(beforeBack.returning).isTrue();
        assertThat(beforeBack.backOnReleasingSide).isFalse();
        // and one stored before arrivalSeenAt, with its arrival's time unknown (the tracker's time is used then)
        trip.arrived = true;
        trip.arrivedAt = 1_700_000_000_000L;
        trip.arrivalSeenAt = 1_700_000_009_000L;
        byte[] seen = TripStateSerde.write(trip);
        assertThat(TripStateSerde.read(seen).arrivalSeenAt).isEqualTo(1_700_000_009_000L);
        assertThat(TripStateSerde.read(java.util.Arrays.copyOf(seen, seen.length - 9)).arrivalSeenAt).isNull();
    }

    @Test
    void shouldKeepUnknownValuesUnknown() {
        TripState trip = TripState.start("bus-8", null);

        TripState read = TripStateSerde.read(TripStateSerde.write(trip));

        assertThat(read.roundId).isNull();
        assertThat(read.lastRecordedAt).isNull();
        assertThat(read.latitude).isNull();
        assertThat(read.checkpointsPassed).isEmpty();
    }
}

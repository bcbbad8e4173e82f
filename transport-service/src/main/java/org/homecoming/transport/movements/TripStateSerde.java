package org.homecoming.transport.movements;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A compact binary form of the trip state for its store and changelog. The store is written once per position,
 * so its format is on the hot path: profiling the intake hop showed JSON (re)encoding as a fifth of a stream
 * thread's time. The first byte is the format version, so a later format can still read this one.
 */
final class TripStateSerde {

    private static final byte VERSION = 1;

    private TripStateSerde() {
    }

    static Serde<TripState> create() {
        return Serdes.serdeFrom((topic, trip) -> trip == null ? null : write(trip),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    static byte[] write(TripState trip) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(trip.busId);
            writeString(out, trip.roundId);
            writeLong(out, trip.lastRecordedAt);
            writeDouble(out, trip.latitude);
            writeDouble(out, trip.longitude);
            writeDouble(out, trip.speedKmh);
            writeDouble(out, trip.recentSpeedKmh);
            out.writeBoolean(trip.departed);
            writeLong(out, trip.departedAt);
            writeDouble(out, trip.departedProgressMeters);
            out.writeShort(trip.checkpointsPassed.size());
            for (String checkpoint : trip.checkpointsPassed) {
                out.writeUTF(checkpoint);
            }
            out.writeInt(trip.crossingStreak);
            out.writeBoolean(trip.borderCrossed);
            writeLong(out, trip.crossedAt);
            out.writeBoolean(trip.arrived);
            writeLong(out, trip.arrivedAt);
            writeLong(out, trip.estimatedArrival);
            out.writeLong(trip.lastSeenAt);
            out.writeBoolean(trip.silent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TripState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("Unknown trip state format " + version);
            }
            TripState trip = new TripState();
            trip.busId = in.readUTF();
            trip.roundId = readString(in);
            trip.lastRecordedAt = readLong(in);
            trip.latitude = readDouble(in);
            trip.longitude = readDouble(in);
            trip.speedKmh = readDouble(in);
            trip.recentSpeedKmh = readDouble(in);
            trip.departed = in.readBoolean();
            trip.departedAt = readLong(in);
            trip.departedProgressMeters = readDouble(in);
            int checkpoints = in.readShort();
            trip.checkpointsPassed = new ArrayList<>(checkpoints);
            for (int i = 0; i < checkpoints; i++) {
                trip.checkpointsPassed.add(in.readUTF());
            }
            trip.crossingStreak = in.readInt();
            trip.borderCrossed = in.readBoolean();
            trip.crossedAt = readLong(in);
            trip.arrived = in.readBoolean();
            trip.arrivedAt = readLong(in);
            trip.estimatedArrival = readLong(in);
            trip.lastSeenAt = in.readLong();
            trip.silent = in.readBoolean();
            return trip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeLong(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static void writeDouble(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }
}

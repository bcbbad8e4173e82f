package org.homecoming.transport.movements;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A compact binary form of the trip state for its store and changelog. The store is written once per position,
 * so its format is on the hot path: profiling the intake hop showed JSON (re)encoding as a fifth of a stream
 * thread's time. The first byte is the format version, so a later format can still read this one.
 *
 * <p>Fields added later are appended to version 1 and read only if the bytes go on: a trip written before them reads
 * with their zero value, and a version that does not know them ignores the rest of the bytes, so instances of both
 * versions can share the changelog during a rolling upgrade. Appended so far: {@code receptionStreak} (an int), {@code returning} (a boolean),
 * {@code backOnReleasingSide} (a boolean), {@code arrivalSeenAt} (a nullable long).
 */
final class TripStateSerde {

    private static final byte VERSION = 1;

    private TripStateSerde() {
    }

    static Serde<TripState> create() {
        return Serdes.serdeFrom((topic, trip) -> trip == null ? null : write(trip),
                (topic, bytes) -> bytes == null ? null : read(bytes));
    }

    /**
     * Writes the same bytes as {@link DataOutputStream} would (the format {@link #read} reads), straight into an array:
     * the store is written once per position, and the stream wrappers (synchronized, one call per byte) cost twice
     * as much as the fields.
     */
    static byte[] write(TripState trip) {
        Writer out = new Writer();
        out.writeByte(VERSION);
        out.writeUTF(trip.busId);
        out.writeString(trip.roundId);
        out.writeLong(trip.lastRecordedAt);
        out.writeDouble(trip.latitude);
        out.writeDouble(trip.longitude);
        out.writeDouble(trip.speedKmh);
        out.writeDouble(trip.recentSpeedKmh);
        out.writeBoolean(trip.departed);
        out.writeLong(trip.departedAt);
        out.writeDouble(trip.departedProgressMeters);
        out.writeShort(trip.checkpointsPassed.size());
        for (String checkpoint : trip.checkpointsPassed) {
            out.writeUTF(checkpoint);
        }
        out.writeInt(trip.crossingStreak);
        out.writeBoolean(trip.borderCrossed);
        out.writeLong(trip.crossedAt);
        out.writeBoolean(trip.arrived);
        out.writeLong(trip.arrivedAt);
        out.writeLong(trip.estimatedArrival);
        out.writeLong(trip.lastSeenAt);
        out.writeBoolean(trip.silent);
        out.writeInt(trip.receptionStreak);
        out.writeBoolean(trip.returning);
        out.writeBoolean(trip.backOnReleasingSide);
        out.writeLong(trip.arrivalSeenAt);
        return out.toByteArray();
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
            // appended fields: absent in trips stored before them
            trip.receptionStreak = in.available() >= Integer.BYTES ? in.readInt() : 0;
            trip.returning = in.available() >= 1 && in.readBoolean();
            trip.backOnReleasingSide = in.available() >= 1 && in.readBoolean();
            trip.arrivalSeenAt = in.available() >= 1 ? readLong(in) : null;
            return trip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static Double readDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    /** A growing byte array with {@link DataOutputStream}'s encodings (big-endian, modified UTF-8 with a length). */
    private static final class Writer {
        private byte[] bytes = new byte[160];
        private int size;

        void writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void writeBoolean(boolean value) {
            writeByte(value ? 1 : 0);
        }

        void writeShort(int value) {
            ensure(2);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        void writeInt(int value) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void writeLong(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void writeLong(Long value) {
            writeBoolean(value != null);
            if (value != null) {
                writeLong(value.longValue());
            }
        }

        void writeDouble(Double value) {
            writeBoolean(value != null);
            if (value != null) {
                writeLong(Double.doubleToLongBits(value));
            }
        }

        void writeString(String value) {
            writeBoolean(value != null);
            if (value != null) {
                writeUTF(value);
            }
        }

        void writeUTF(String value) {
            int length = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                length += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
            }
            if (length > 65535) {
                throw new IllegalArgumentException("A trip's text is too long to store: " + length + " bytes");
            }
            writeShort(length);
            ensure(length);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 0x0001 && c <= 0x007F) {
                    bytes[size++] = (byte) c;
                } else if (c <= 0x07FF) {
                    bytes[size++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
                    bytes[size++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    bytes[size++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
                    bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    bytes[size++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}

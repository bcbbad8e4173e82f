package org.homecoming.platform.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.events.transport.BusPositionRecorded;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KnownSchemaSerializerTest {

    private static final String TOPIC = "transport.bus-positions";

    /** A registry serializer as the registry's writes it: magic byte, 4-byte id, Avro binary; it counts its calls. */
    private static class Registry implements Serializer<BusPositionRecorded> {
        final AtomicInteger calls = new AtomicInteger();
        volatile int id = 42;
        volatile boolean extraByte;

        @Override
        public byte[] serialize(String topic, BusPositionRecorded data) {
            calls.incrementAndGet();
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                new SpecificDatumWriter<>(BusPositionRecorded.class).write(data, encoder);
                encoder.flush();
                if (extraByte) {
                    out.write(7);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static BusPositionRecorded position(double latitude, Double speed) {
        return BusPositionRecorded.newBuilder().setBusId("bus-1").setRoundId("round-1").setLatitude(latitude)
                .setLongitude(31.05).setSpeedKmh(speed).setRecordedAt(Instant.parse("2026-11-20T06:00:00Z")).build();
    }

    @Test
    void shouldWriteTheRegistrysBytesItselfOnceTheRegistryHasShownThem() {
        Registry registry = new Registry();
        KnownSchemaSerializer<BusPositionRecorded> serializer = new KnownSchemaSerializer<>(registry, () -> 0L);

        serializer.serialize(TOPIC, position(51.90, 40.0));
        byte[] withSpeed = serializer.serialize(TOPIC, position(51.91, 42.5));
        byte[] withoutSpeed = serializer.serialize(TOPIC, position(51.92, null));

        assertThat(registry.calls).as("only the first record went to the registry's serializer").hasValue(1);
        assertThat(withSpeed).isEqualTo(new Registry().serialize(TOPIC, position(51.91, 42.5)));
        assertThat(withoutSpeed).isEqualTo(new Registry().serialize(TOPIC, position(51.92, null)));
    }

    @Test
    void shouldLeaveEveryRecordToTheRegistryWhenItWritesOtherBytes() {
        Registry registry = new Registry();
        registry.extraByte = true;
        KnownSchemaSerializer<BusPositionRecorded> serializer = new KnownSchemaSerializer<>(registry, () -> 0L);

        serializer.serialize(TOPIC, position(51.90, 40.0));
        byte[] second = serializer.serialize(TOPIC, position(51.91, 42.5));

        assertThat(registry.calls).hasValue(2);
        assertThat(second).isEqualTo(registry.serialize(TOPIC, position(51.91, 42.5)));
    }

    @Test
    void shouldAskTheRegistryAgainAfterTheRecheckPeriodAndFollowANewSchemaId() {
        Registry registry = new Registry();
        AtomicLong now = new AtomicLong();
        KnownSchemaSerializer<BusPositionRecorded> serializer = new KnownSchemaSerializer<>(registry, now::get);
        serializer.serialize(TOPIC, position(51.90, 40.0));

        registry.id = 43;
        now.set(KnownSchemaSerializer.RECHECK_MILLIS);
        serializer.serialize(TOPIC, position(51.91, 42.5));
        byte[] after = serializer.serialize(TOPIC, position(51.92, 41.0));

        assertThat(registry.calls).hasValue(2);
        assertThat(after).startsWith(0, 0, 0, 0, 43);
        assertThat(after).isEqualTo(registry.serialize(TOPIC, position(51.92, 41.0)));
    }

    @Test
    void shouldLeaveEveryRecordToTheRegistryWhenItPutsTheSchemaIdInAHeader() {
        Registry registry = new Registry() {
            @Override
            public byte[] serialize(String topic, Headers headers, BusPositionRecorded data) {
                headers.add("apicurio.value.globalId", new byte[] {0, 0, 0, 0, 0, 0, 0, 42});
                return super.serialize(topic, data);
            }
        };
        KnownSchemaSerializer<BusPositionRecorded> serializer = new KnownSchemaSerializer<>(registry, () -> 0L);

        serializer.serialize(TOPIC, new RecordHeaders(), position(51.90, 40.0));
        RecordHeaders headers = new RecordHeaders();
        serializer.serialize(TOPIC, headers, position(51.91, 42.5));

        assertThat(registry.calls).hasValue(2);
        assertThat(headers.lastHeader("apicurio.value.globalId")).as("the registry's header is on the record").isNotNull();
    }

    @Test
    void shouldLeaveAnotherTopicToTheRegistry() {
        Registry registry = new Registry();
        KnownSchemaSerializer<BusPositionRecorded> serializer = new KnownSchemaSerializer<>(registry, () -> 0L);
        serializer.serialize(TOPIC, position(51.90, 40.0));

        serializer.serialize("other.topic", position(51.91, 42.5));

        assertThat(registry.calls).hasValue(2);
    }
}

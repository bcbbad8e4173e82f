package org.homecoming.platform.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the Confluent wire format (magic byte 0, the schema's 4-byte id, the Avro binary) of a topic's records itself,
 * once the registry's serializer has shown, for this topic and this record schema, that it writes exactly those bytes.
 *
 * <p>The registry's serializer finds the schema's id through two cache lookups per record (a synchronized LRU map and
 * the datum provider's), which cost a third of the serialization in the transport hop's profile. Here a record whose
 * topic and schema instance are the ones learnt is written with the learnt 5-byte prefix and a {@link SpecificDatumWriter}
 * of its schema. Anything else goes to the registry's serializer. The learning is checked, never assumed: the registry's
 * bytes for a record must equal the bytes written here, or nothing is learnt; and it is checked again with the registry
 * every {@value #RECHECK_MILLIS} ms, so a schema id that changes (the registry's latest version, as the registry's own
 * cache would find it) is followed.
 */
public final class KnownSchemaSerializer<T> implements Serializer<T> {

    static final long RECHECK_MILLIS = 30_000;
    private static final int PREFIX = 5;

    private final Serializer<T> registry;
    private final LongSupplier clock;
    private volatile Learnt learnt;

    public KnownSchemaSerializer(Serializer<T> registry) {
        this(registry, System::currentTimeMillis);
    }

    KnownSchemaSerializer(Serializer<T> registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registry.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return serialize(topic, null, data);
    }

    /**
     * As the registry's serializer would, with the record's headers: a registry serializer that puts the schema id in a
     * header (and not in the bytes) adds one, and then nothing is learnt.
     */
    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (!(data instanceof SpecificRecord record)) {
            return headers == null ? registry.serialize(topic, data) : registry.serialize(topic, headers, data);
        }
        Learnt known = learnt;
        long now = clock.getAsLong();
        if (known != null && known.schema == record.getSchema() && known.topic.equals(topic) && now < known.recheckAt) {
            return known.write(record);
        }
        learnt = null;
        int headersBefore = headers == null ? 0 : headers.toArray().length;
        byte[] bytes = headers == null ? registry.serialize(topic, data) : registry.serialize(topic, headers, data);
        boolean headersAdded = headers != null && headers.toArray().length != headersBefore;
        if (!headersAdded && bytes != null && bytes.length > PREFIX && bytes[0] == 0) {
            Learnt candidate = new Learnt(topic, record.getSchema(), Arrays.copyOf(bytes, PREFIX), now + RECHECK_MILLIS);
            if (Arrays.equals(candidate.write(record), bytes)) {
                learnt = candidate;
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        registry.close();
    }

    private static final class Learnt {
        final String topic;
        final Schema schema;
        final byte[] prefix;
        final long recheckAt;
        /** Thread-safe once made, as the registry's serializer shares its writers too. */
        final SpecificDatumWriter<SpecificRecord> writer;

        Learnt(String topic, Schema schema, byte[] prefix, long recheckAt) {
            this.topic = topic;
            this.schema = schema;
            this.prefix = prefix;
            this.recheckAt = recheckAt;
            this.writer = new SpecificDatumWriter<>(schema);
        }

        byte[] write(SpecificRecord record) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            out.write(prefix, 0, prefix.length);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            try {
                writer.write(record, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}

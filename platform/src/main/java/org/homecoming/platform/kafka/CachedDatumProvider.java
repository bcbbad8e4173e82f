package org.homecoming.platform.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

/**
 * Apicurio's default datum provider computes the schema's parsing fingerprint (a canonical-form rewrite and a
 * hash) on every record to find its cached reader or writer; profiling the transport hop showed that as a fifth of
 * a stream thread's time. Avro caches a schema's hash code and compares identical instances at once, and the serdes
 * hand over the same schema instance for every record of a type, so the schema itself is a cheap key.
 */
public class CachedDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<WriterKey, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        return readers.computeIfAbsent(schema, super::createDatumReader);
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return writers.computeIfAbsent(new WriterKey(data == null ? null : data.getClass(), schema),
                key -> super.createDatumWriter(data, schema));
    }

    private record WriterKey(Class<?> type, Schema schema) {
    }
}

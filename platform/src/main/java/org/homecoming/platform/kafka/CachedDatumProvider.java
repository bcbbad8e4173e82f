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
 *
 * <p>Writers are found by schema, then by the record's class, in two maps: a record key of both (as before) cost 4% of
 * the transport hop's stream thread, its hash code and equality going through {@code ObjectMethods}' method handles for
 * every record serialized.
 */
public class CachedDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<Schema, Map<Class<?>, DatumWriter<T>>> writers = new ConcurrentHashMap<>();

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        return readers.computeIfAbsent(schema, super::createDatumReader);
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        Map<Class<?>, DatumWriter<T>> byType = writers.get(schema);
        if (byType == null) {
            byType = writers.computeIfAbsent(schema, key -> new ConcurrentHashMap<>());
        }
        // a map holds no null key: a null datum's writer is kept under Void
        Class<?> type = data == null ? Void.class : data.getClass();
        DatumWriter<T> writer = byType.get(type);
        if (writer == null) {
            writer = byType.computeIfAbsent(type, key -> super.createDatumWriter(data, schema));
        }
        return writer;
    }
}

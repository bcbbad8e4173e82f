package org.homecoming.platform.kafka;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CachedDatumProviderTest {

    private final Schema reading = SchemaBuilder.record("Reading").fields().requiredString("busId").endRecord();
    private final Schema manifest = SchemaBuilder.record("Manifest").fields().requiredString("roundId").endRecord();

    @Test
    void shouldHandOutTheSameWriterForEveryRecordOfASchemaAndAnotherForAnotherSchema() {
        CachedDatumProvider<Object> provider = new CachedDatumProvider<>();
        GenericRecord first = new GenericData.Record(reading);
        GenericRecord second = new GenericData.Record(reading);

        DatumWriter<Object> writer = provider.createDatumWriter(first, reading);

        assertThat(provider.createDatumWriter(second, reading)).as("the same schema and class").isSameAs(writer);
        assertThat(provider.createDatumWriter(new GenericData.Record(manifest), manifest)).as("another schema")
                .isNotSameAs(writer);
        assertThat(provider.createDatumWriter(null, reading)).as("no datum").isSameAs(provider.createDatumWriter(null, reading));
    }
}

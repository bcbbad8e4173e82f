package org.homecoming.platform.kafka;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryAvroSerializerTest {

    @Test
    void shouldSayTheRegistryIsUnavailableWhenAValueCannotBeWrittenForWantOfIt() {
        // given a serializer whose registry does not answer (nothing listens on its port)
        RegistryAvroSerializer<GenericRecord> serializer = new RegistryAvroSerializer<>();
        serializer.configure(Map.of("apicurio.registry.url", "http://127.0.0.1:1/apis/registry/v3",
                "apicurio.registry.find-latest", "true", "apicurio.registry.auto-register", "false",
                "apicurio.registry.use-id", "contentId", "homecoming.registry.timeout", "2s"), false);
        Schema schema = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"BusDeparted\",\"fields\":[{\"name\":\"busId\",\"type\":\"string\"}]}");
        GenericRecord departed = new GenericData.Record(schema);
        departed.put("busId", "s1-bus-01");

        // when / then an outage, which a REST call answers 503 and a listener reads again, not a bare failure
        assertThatThrownBy(() -> serializer.serialize("transport.bus-movements", departed))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageStartingWith("Cannot write a value of transport.bus-movements: schema registry unavailable");
    }
}

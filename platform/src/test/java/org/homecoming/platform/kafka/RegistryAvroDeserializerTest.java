package org.homecoming.platform.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.platform.registry.RegistryOutage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A record is read as its topic's event type or refused as a bad record: never handed on to fail the reader's cast. */
class RegistryAvroDeserializerTest {

    private static final String INTAKE = Topics.busPositionIntake("partner-a").name();

    @Test
    void shouldRefuseAnEventOfAnotherTypeThanItsTopicCarriesAsABadRecord() {
        RegistryAvroDeserializer<Object> reader = new RegistryAvroDeserializer<>(answering(new BusManifestRegistered()));

        assertThatThrownBy(() -> reader.deserialize(INTAKE, new byte[] {0, 0, 0, 0, 7}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("The record is a BusManifestRegistered event, and " + INTAKE + " carries BusPositionReported events only")
                .satisfies(refused -> assertThat(RegistryOutage.isCause(refused)).as("the record's fault, not the registry's").isFalse());
        assertThatThrownBy(() -> reader.deserialize(Topics.BUS_POSITIONS.name(), new RecordHeaders(), new byte[] {0, 0, 0, 0, 7}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldReadItsTopicsOwnTypeAndAnythingOnATopicOutsideTheCatalogue() {
        BusPositionReported reading = new BusPositionReported();
        BusManifestRegistered manifest = new BusManifestRegistered();

        assertThat(new RegistryAvroDeserializer<>(answering(reading)).deserialize(INTAKE, new byte[] {0})).isSameAs(reading);
        assertThat(new RegistryAvroDeserializer<>(answering(manifest)).deserialize(Topics.BUS_MANIFESTS.name(), new byte[] {0}))
                .isSameAs(manifest);
        assertThat(new RegistryAvroDeserializer<>(answering(manifest))
                .deserialize("transport-trip-store-changelog", new RecordHeaders(), new byte[] {0})).isSameAs(manifest);
        assertThat(new RegistryAvroDeserializer<>(answering(null)).deserialize(INTAKE, null)).as("a tombstone").isNull();
    }

    private static Deserializer<Object> answering(Object value) {
        return (topic, data) -> value;
    }
}

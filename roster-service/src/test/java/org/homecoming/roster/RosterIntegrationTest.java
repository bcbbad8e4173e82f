package org.homecoming.roster;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.platform.registry.SchemaRegistry;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = RosterApplication.CONFIG_NAME)
@AutoConfigureMockMvc
class RosterIntegrationTest {

    @Autowired
    MockMvc mvc;

    @Test
    void shouldPublishListedPersonsInTheConfluentWireFormat() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-wire/lists").contentType(MediaType.APPLICATION_JSON).content("""
                {"listId": "list-wire", "releasingSide": "RU", "entries": [
                  {"personId": "p-wire-1", "surname": "Петренко", "givenName": "Олександр", "birthDate": "1990-04-12", "category": "SOLDIER"}
                ]}"""))
                .andExpect(status().isCreated());

        List<ConsumerRecord<String, byte[]>> raw = TopicProbe.readRaw(Topics.LISTED_PERSONS.name()).stream()
                .filter(record -> record.key().equals("p-wire-1")).toList();
        assertThat(raw).as("the listed person is on the topic").hasSize(1);
        ByteBuffer payload = ByteBuffer.wrap(raw.get(0).value());
        assertThat(payload.get()).as("magic byte").isZero();
        int schemaId = payload.getInt();
        Schema schema = new SchemaRegistry(KafkaAndRegistry.registryUrl()).schemaById(schemaId);
        assertThat(schema.getFullName()).isEqualTo(PersonListingChanged.getClassSchema().getFullName());
        assertThat(raw.get(0).headers().lastHeader("traceparent"))
                .as("the trace context travels in a W3C traceparent header").isNotNull();
        assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS)).anySatisfy(record ->
                assertThat(record.value().getNativeName().getGivenName()).isEqualTo("Олександр"));
    }

    @Test
    void shouldRefuseABackwardIncompatibleSchemaForOurSubject() {
        Schema incompatible = SchemaBuilder.record("PersonListingChanged").namespace("org.homecoming.events.roster")
                .fields().requiredString("personId").requiredLong("somethingNewAndRequired").endRecord();
        SchemaRegistry registry = new SchemaRegistry(KafkaAndRegistry.registryUrl());

        assertThatThrownBy(() -> registry.register(Topics.LISTED_PERSONS.valueSubject(), incompatible))
                .isInstanceOfSatisfying(SchemaRegistry.SchemaRejectedException.class,
                        rejected -> assertThat(rejected.status()).isEqualTo(409));
    }

    @Test
    void shouldAnswerProblemJsonNamingTheMissingFieldAndPublishNothing() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-bad/lists").contentType(MediaType.APPLICATION_JSON).content("""
                {"listId": "list-bad", "releasingSide": "RU", "entries": [
                  {"personId": "p-bad-1", "givenName": "Олександр", "category": "SOLDIER"}
                ]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("entries[0].surname"));
        mvc.perform(post("/api/v1/rounds/round-bad/lists").contentType(MediaType.APPLICATION_JSON).content("{\"listId\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors").isArray());

        assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS)).noneSatisfy(record ->
                assertThat(record.key()).isEqualTo("p-bad-1"));
    }
}

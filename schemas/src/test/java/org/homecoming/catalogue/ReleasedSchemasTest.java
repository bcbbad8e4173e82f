package org.homecoming.catalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.homecoming.events.roster.PersonListingChanged;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every schema must stay BACKWARD_TRANSITIVE compatible with each released version kept in
 * {@code schemas/src/released/<subject>/vN.avsc}. To release a new version, copy
 * {@code schemas/target/current-schemas/<subject>.avsc} (written by this test) to the next vN.avsc.
 */
class ReleasedSchemasTest {

    private static final Path RELEASED = Path.of(System.getProperty("homecoming.schemas.released", "src/released"));
    private static final Path CURRENT = Path.of("target", "current-schemas");

    private final CompatibilityCheck check = new CompatibilityCheck(RELEASED);

    /**
     * Every partner's intake topic, and so its subject, has the one schema: released once, for the family; every
     * partner's movements topic has the movements' schema.
     */
    private static final List<Topic<?, ?>> TOPICS = Topics.all(List.of("any-partner"));

    @Test
    void shouldKeepEveryTopicSchemaCompatibleWithAllReleasedVersions() throws IOException {
        Files.createDirectories(CURRENT);
        for (Topic<?, ?> topic : TOPICS) {
            Files.writeString(CURRENT.resolve(releasedSubject(topic) + ".avsc"), schemaOf(topic).toString(true));
        }
        for (Topic<?, ?> topic : TOPICS) {
            String subject = releasedSubject(topic);
            Schema current = schemaOf(topic);
            List<Schema> released = check.releasedVersions(subject);

            assertThat(released)
                    .as("%s has no released version in %s; copy %s there as v1.avsc", subject,
                            RELEASED.resolve(subject), CURRENT.resolve(subject + ".avsc"))
                    .isNotEmpty();
            assertThat(CompatibilityCheck.problems(current, released))
                    .as("%s breaks BACKWARD_TRANSITIVE compatibility", subject)
                    .isEmpty();
        }
    }

    private static String releasedSubject(Topic<?, ?> topic) {
        if (Topics.intakePartner(topic.name()).isPresent()) {
            return Topics.BUS_POSITION_INTAKE_FAMILY + "-value";
        }
        // a partner's movements topic carries the movements as transport.bus-movements does, so it evolves with it
        return Topics.movementsPartner(topic.name()).isPresent() ? Topics.BUS_MOVEMENTS.valueSubject() : topic.valueSubject();
    }

    @Test
    void shouldReportANewRequiredFieldWithoutDefaultAsIncompatible() throws IOException {
        List<Schema> released = check.releasedVersions(Topics.LISTED_PERSONS.valueSubject());
        Schema current = PersonListingChanged.getClassSchema();
        Schema broken = SchemaBuilder.record(current.getName()).namespace(current.getNamespace()).fields()
                .requiredString("personId")
                .requiredString("prisonCamp")
                .endRecord();

        assertThat(CompatibilityCheck.problems(current, released)).as("the shipped schema").isEmpty();
        assertThat(CompatibilityCheck.problems(broken, released))
                .as("a required field without default cannot read old data")
                .hasSize(released.size())
                .first().asString().contains("prisonCamp");
    }

    @Test
    void shouldAcceptANewOptionalFieldWithDefault() throws IOException {
        List<Schema> released = check.releasedVersions(Topics.LISTED_PERSONS.valueSubject());
        Schema current = PersonListingChanged.getClassSchema();
        List<Schema.Field> fields = new java.util.ArrayList<>();
        current.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("interpreterNeeded", Schema.create(Schema.Type.BOOLEAN), null, false));
        Schema evolved = Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);

        assertThat(CompatibilityCheck.problems(evolved, released)).isEmpty();
    }

    private static Schema schemaOf(Topic<?, ?> topic) {
        try {
            return (Schema) topic.valueType().getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(topic.valueType() + " is not a generated Avro class", e);
        }
    }
}

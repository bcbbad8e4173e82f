package org.homecoming.catalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/asyncapi.yaml true: every topic of the catalogue is documented, with its schema file. */
class AsyncApiDocumentTest {

    @Test
    void shouldDocumentEveryCatalogueTopicWithItsSchemaFile() throws IOException {
        String document = Files.readString(Path.of("..", "docs", "asyncapi.yaml"));

        for (Topic<?, ?> topic : Topics.all(List.of("any-partner"))) {
            String address = Topics.intakePartner(topic.name()).isPresent() ? Topics.BUS_POSITION_INTAKE_PREFIX + "{partner}"
                    : Topics.movementsPartner(topic.name()).isPresent() ? Topics.PARTNER_MOVEMENTS_PREFIX + "{partner}"
                    : topic.name();
            assertThat(document).as("docs/asyncapi.yaml documents %s", address)
                    .contains("address: " + address + "\n");
            String schemaFile = topic.valueType().getPackageName().replace("org.homecoming.events.", "")
                    + "/" + topic.valueType().getSimpleName() + ".avsc";
            assertThat(document).contains("../schemas/src/main/avro/" + schemaFile);
            assertThat(Path.of("src", "main", "avro").resolve(schemaFile)).exists();
        }
    }
}

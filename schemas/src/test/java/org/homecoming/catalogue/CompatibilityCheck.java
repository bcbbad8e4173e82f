package org.homecoming.catalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * BACKWARD_TRANSITIVE check with Avro's own rules: a consumer on the new schema must read data written
 * with every released version. No registry is needed, so the build catches a breaking change before any
 * registry or partner does.
 */
final class CompatibilityCheck {

    private final Path released;

    CompatibilityCheck(Path released) {
        this.released = released;
    }

    /** The released versions of a subject, oldest first. */
    List<Schema> releasedVersions(String subject) throws IOException {
        Path folder = released.resolve(subject);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> sorted = files.filter(file -> file.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
            List<Schema> schemas = new ArrayList<>();
            for (Path file : sorted) {
                schemas.add(new Schema.Parser().parse(Files.readString(file)));
            }
            return schemas;
        }
    }

    /** Every way the current schema fails to read a released version; empty when compatible. */
    static List<String> problems(Schema current, List<Schema> releasedVersions) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < releasedVersions.size(); i++) {
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, releasedVersions.get(i));
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                problems.add("cannot read v" + (i + 1) + ": " + result.getResult().getIncompatibilities());
            }
        }
        return problems;
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf('.')));
    }
}

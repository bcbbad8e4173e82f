package org.homecoming.catalogue.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;
import org.homecoming.catalogue.Topic;

/**
 * The value schemas of catalogue topics in the registry. Plain Java (no Spring), so that a deployment step such as
 * the local stack's launcher provisions schemas with the same code the services check them with.
 */
public final class CatalogueSchemas {

    private CatalogueSchemas() {
    }

    /**
     * Schema provisioning with an admin client: registers the value schema of every given topic, and the same schema
     * under its dead-letter topic's subject (a service that dead-letters a record it read serializes it as it was,
     * and may not register), each with BACKWARD compatibility. Idempotent: a schema already there keeps its id.
     */
    public static void provision(SchemaRegistry admin, Collection<Topic<?, ?>> topics) {
        admin.setGlobalCompatibility("BACKWARD");
        for (Topic<?, ?> topic : topics) {
            Schema schema = of(topic);
            register(admin, topic.valueSubject(), schema);
            register(admin, topic.deadLetterTopic() + "-value", schema);
        }
    }

    /** The subjects of these topics whose latest schema is not the one this build has, each with why. */
    public static List<String> unprovisioned(SchemaRegistry reader, Collection<Topic<?, ?>> topics) {
        List<String> missing = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            Optional<Schema> latest = reader.latestSchema(topic.valueSubject());
            if (latest.isEmpty() || !latest.get().equals(of(topic))) {
                missing.add(topic.valueSubject() + (latest.isEmpty() ? " (absent)" : " (another version is latest)"));
            }
        }
        return missing;
    }

    /** Registers a schema (or finds it) and pins BACKWARD compatibility on its subject; returns its id. */
    public static int register(SchemaRegistry registry, String subject, Schema schema) {
        int id = registry.register(subject, schema);
        registry.setSubjectCompatibility(subject, "BACKWARD");
        return id;
    }

    /** The Avro schema of a topic's values, from the generated class. */
    public static Schema of(Topic<?, ?> topic) {
        try {
            return (Schema) topic.valueType().getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(topic.valueType() + " is not a generated Avro class", e);
        }
    }
}

package org.homecoming.platform.registry;

import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the value schema of every topic this service writes, before any producer starts, and
 * enforces BACKWARD compatibility on each subject. A schema that breaks compatibility stops the
 * service at start-up instead of poisoning a topic.
 *
 * <p>Apicurio answers NONE for a subject without its own config even when the global rule is set, and
 * some Confluent clients then refuse to register; so the config is set per subject as well.
 */
@Configuration(proxyBeanMethods = false)
public class SchemaProvisioning implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SchemaProvisioning.class);

    private final SchemaRegistry registry;
    private final List<Owner> owned;

    SchemaProvisioning(@Value("${homecoming.registry.url}") String registryUrl,
                       @Value("${homecoming.schemas.owned:}") List<Owner> owned) {
        this.registry = new SchemaRegistry(registryUrl);
        this.owned = owned;
    }

    @Override
    public void afterPropertiesSet() {
        registry.setGlobalCompatibility("BACKWARD");
        // Every service writes the audit trail, so each makes sure its schema is there (registering it again is a no-op).
        for (Owner owner : Stream.concat(owned.stream(), Stream.of(Owner.SERVICES)).distinct().toList()) {
            for (Topic<?, ?> topic : Topics.ownedBy(owner)) {
                Schema schema = schemaOf(topic);
                int id = registry.register(topic.valueSubject(), schema);
                registry.setSubjectCompatibility(topic.valueSubject(), "BACKWARD");
                log.info("Schema of {} is registered with id {}", topic.valueSubject(), id);
            }
        }
    }

    static Schema schemaOf(Topic<?, ?> topic) {
        try {
            return (Schema) topic.valueType().getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(topic.valueType() + " is not a generated Avro class", e);
        }
    }
}

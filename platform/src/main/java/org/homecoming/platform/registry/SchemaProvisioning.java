package org.homecoming.platform.registry;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.homecoming.catalogue.registry.CatalogueSchemas;
import org.homecoming.catalogue.registry.SchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Makes sure the value schema of every topic this service writes is in the registry before any producer starts.
 *
 * <p>Against an open registry (the tests' shared one) the service registers its schemas itself and enforces
 * BACKWARD compatibility on each subject; a schema that breaks compatibility stops the service at start-up instead
 * of poisoning a topic.
 *
 * <p>Against an authenticated registry the service has read-only credentials (the Apicurio serde's
 * {@code apicurio.registry.auth.*} settings in {@code spring.kafka.properties}): only schema provisioning, with an
 * admin client, registers schemas and sets compatibility ({@link CatalogueSchemas#provision}). The service then only checks that
 * the latest schema of each subject it writes is the one it was built with, since its serializers look up the latest
 * version and never register; a missing or different schema stops it at start-up with what to do.
 *
 * <p>Apicurio answers NONE for a subject without its own config even when the global rule is set, and
 * some Confluent clients then refuse to register; so the config is set per subject as well.
 */
@Configuration(proxyBeanMethods = false)
public class SchemaProvisioning implements InitializingBean {

    /** The serde's settings that, when present, say the registry wants credentials (see the class comment). */
    public static final String CLIENT_ID = "apicurio.registry.auth.client.id";
    public static final String CLIENT_SECRET = "apicurio.registry.auth.client.secret";
    public static final String TOKEN_ENDPOINT = "apicurio.registry.auth.service.token.endpoint";

    private static final Logger log = LoggerFactory.getLogger(SchemaProvisioning.class);

    private final SchemaRegistry registry;
    private final boolean readOnly;
    private final List<Owner> owned;
    private final List<String> partners;

    SchemaProvisioning(@Value("${homecoming.registry.url}") String registryUrl,
                       @Value("${homecoming.schemas.owned:}") List<Owner> owned,
                       @Value("${homecoming.partners:}") String partners, KafkaProperties kafka) {
        Map<String, String> common = kafka.getProperties();
        String clientId = common.get(CLIENT_ID);
        this.readOnly = clientId != null && !clientId.isBlank();
        this.registry = readOnly ? new SchemaRegistry(registryUrl, clientId, common.get(CLIENT_SECRET))
                : new SchemaRegistry(registryUrl);
        this.owned = owned;
        this.partners = Topics.partners(partners);
    }

    @Override
    public void afterPropertiesSet() {
        // Every service writes the audit trail, so each makes sure its schema is there too (registering it again is a no-op).
        List<Topic<?, ?>> topics = Stream.concat(owned.stream(), Stream.of(Owner.SERVICES)).distinct()
                .flatMap(owner -> Topics.ownedBy(owner, partners).stream()).toList();
        if (readOnly) {
            List<String> missing = CatalogueSchemas.unprovisioned(registry, topics);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("The registry does not hold the schemas this service writes ("
                        + String.join(", ", missing) + "); this service may only read the registry, so schema"
                        + " provisioning (an admin client) must register them first");
            }
            log.info("The schemas of {} topics are provisioned in the registry", topics.size());
            return;
        }
        registry.setGlobalCompatibility("BACKWARD");
        for (Topic<?, ?> topic : topics) {
            int id = CatalogueSchemas.register(registry, topic.valueSubject(), schemaOf(topic));
            log.info("Schema of {} is registered with id {}", topic.valueSubject(), id);
        }
    }

    static Schema schemaOf(Topic<?, ?> topic) {
        return CatalogueSchemas.of(topic);
    }
}

package org.homecoming.platform.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.homecoming.catalogue.registry.CatalogueSchemas;
import org.homecoming.catalogue.registry.SchemaRegistry;
import org.homecoming.platform.state.SavedDocuments;
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
 * <p>A service restarted while the registry, or the identity provider that checks its registry credentials, cannot be
 * asked would stop here, although its serializers and deserializers could go on with the answers they saved
 * ({@link RememberedSchemas}, {@code homecoming.registry.answers-saved-in}). So the outcome of the last check is saved
 * in the same folder: the subjects and the schemas this build writes. A service that cannot ask the
 * registry starts only if the saved check was of exactly these schemas; a build with another schema, or no saved
 * check, still stops, since its schemas were never seen in the registry. An answer that the registry gives (a missing
 * schema, credentials refused) is never overruled by a saved one.
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
    private final String registryUrl;
    private final String savedIn;

    SchemaProvisioning(@Value("${homecoming.registry.url}") String registryUrl,
                       @Value("${homecoming.schemas.owned:}") List<Owner> owned,
                       @Value("${homecoming.partners:}") String partners,
                       @Value("${" + RegistryConnection.ANSWERS_SAVED_IN + ":}") String savedIn, KafkaProperties kafka) {
        this.registryUrl = registryUrl;
        this.savedIn = savedIn;
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
            List<String> missing;
            try {
                missing = CatalogueSchemas.unprovisioned(registry, topics);
            } catch (RuntimeException e) {
                if (unasked(e) && savedCheckIsOf(topics)) {
                    log.warn("The registry cannot be asked ({}); the schemas of {} topics were found provisioned at the last "
                            + "check, and this build writes the same ones: starting with the registry's saved answers",
                            e.getMessage(), topics.size());
                    return;
                }
                throw e;
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("The registry does not hold the schemas this service writes ("
                        + String.join(", ", missing) + "); this service may only read the registry, so schema"
                        + " provisioning (an admin client) must register them first");
            }
            log.info("The schemas of {} topics are provisioned in the registry", topics.size());
            saveCheck(topics);
            return;
        }
        registry.setGlobalCompatibility("BACKWARD");
        for (Topic<?, ?> topic : topics) {
            int id = CatalogueSchemas.register(registry, topic.valueSubject(), schemaOf(topic));
            log.info("Schema of {} is registered with id {}", topic.valueSubject(), id);
        }
    }

    /**
     * The registry could not be reached, or could not answer: it answered 5xx (Apicurio does when the identity provider
     * that checks the credentials is away). 4xx is an answer, and stands. Stricter than {@link RegistryOutage#isCause},
     * which holds a record back on any answer but 404: there a wrong guess only delays a record, here it would start a
     * service whose credentials the registry refused.
     */
    static boolean unasked(RuntimeException failure) {
        if (failure instanceof SchemaRegistry.SchemaRejectedException rejected) {
            return rejected.status() >= 500;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The subjects this build writes, each with its schema (one line of JSON), one per line and sorted. */
    static String checked(List<Topic<?, ?>> topics) {
        return topics.stream().map(topic -> topic.valueSubject() + " " + schemaOf(topic))
                .sorted().distinct().collect(Collectors.joining("\n"));
    }

    private void saveCheck(List<Topic<?, ?>> topics) {
        Optional<SavedDocuments> documents = documents();
        if (documents.isEmpty()) {
            return;
        }
        try {
            documents.get().save(checkName(), checked(topics), Instant.now());
        } catch (IOException | RuntimeException e) {
            // costs only a start during a registry outage
            log.warn("Could not save the outcome of the schema check: {}", e.getMessage());
        }
    }

    private boolean savedCheckIsOf(List<Topic<?, ?>> topics) {
        try {
            Optional<SavedDocuments> documents = documents();
            if (documents.isEmpty()) {
                return false;
            }
            Optional<SavedDocuments.Saved> saved = documents.get().find(checkName());
            if (saved.isEmpty() || !saved.get().body().equals(checked(topics))) {
                log.error("The registry cannot be asked, and {}: the service cannot know its schemas are provisioned",
                        saved.isEmpty() ? "no earlier check is saved" : "the last check saved was of other schemas");
                return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("The registry cannot be asked, and the saved check cannot be read: {}", e.getMessage());
            return false;
        }
    }

    private Optional<SavedDocuments> documents() {
        if (savedIn == null || savedIn.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SavedDocuments.in(Path.of(savedIn.trim())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String checkName() {
        return "schema check\u001f" + registryUrl;
    }

    static Schema schemaOf(Topic<?, ?> topic) {
        return CatalogueSchemas.of(topic);
    }
}

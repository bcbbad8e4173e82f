package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.platform.kafka.RegistryAvroDeserializer;
import org.homecoming.platform.kafka.RegistryAvroSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Makes the registry look-ups of the pairing path before readiness, in the serde instances that will need them.
 *
 * <p>An Apicurio serde looks a schema up in the registry (an HTTP call) the first time it meets it, and caches it in
 * that instance only. Before readiness the pairing clients had met inquiries, listings and decisions, but not the
 * arrival path's types: the pairing producer's first alert waited for the look-up of the alerts topic's latest schema,
 * and the pairing consumer's first hand-over for the look-up of its schema by id, both under the first second's full
 * load (the end-to-end benchmark's first second was its slowest, benchmarks/README.md).
 *
 * <p>So the service's producer and consumer factories make their value serdes here, exactly as the clients made them
 * from the configuration before (the same classes, configured by the factory with the same settings, one instance per
 * client; a deserializer still inside its {@link ErrorHandlingDeserializer}), and this class keeps a weak reference to
 * each. {@link #runOnce()} then serializes an alert with every serializer and decodes a hand-over, encoded as the
 * registry's latest schema of the arrivals topic says, with every deserializer: in memory, so nothing is published.
 * A serde made later (a producer replaced after a fence) looks its schemas up on first use, as before. The listener may
 * still be reading back the reconciliation with the same serdes meanwhile: Apicurio keeps a serde's schema caches in
 * concurrent maps, and the datum readers and writers ({@code CachedDatumProvider}) are shared across threads already.
 */
@Configuration(proxyBeanMethods = false)
public class SchemaLookups {

    private static final Logger log = LoggerFactory.getLogger(SchemaLookups.class);
    private static final Instant SAMPLED_AT = Instant.parse("2026-01-01T00:00:00Z");

    /** What one run looked up: serializers and deserializers that resolved their schemas, and those that failed. */
    public record Result(int serializers, int deserializers, int failed, long millis) {
    }

    private final Set<Serializer<Object>> serializers = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final Set<Deserializer<Object>> deserializers = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final Supplier<Serializer<Object>> newSerializer;
    private final Supplier<Deserializer<Object>> newDeserializer;
    private final boolean enabled;
    private volatile Result result;

    @Autowired
    SchemaLookups(@Value("${reunification.warm-up.enabled:true}") boolean enabled) {
        this(RegistryAvroSerializer::new, RegistryAvroDeserializer::new, enabled);
    }

    SchemaLookups(Supplier<Serializer<Object>> newSerializer, Supplier<Deserializer<Object>> newDeserializer, boolean enabled) {
        this.newSerializer = newSerializer;
        this.newDeserializer = newDeserializer;
        this.enabled = enabled;
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer schemaLookingProducers() {
        return this::customize;
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer schemaLookingConsumers() {
        return this::customize;
    }

    /** The factory configures each serializer it hands out with the producer's settings (its default). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void customize(DefaultKafkaProducerFactory<?, ?> factory) {
        ((DefaultKafkaProducerFactory) factory).setValueSerializerSupplier(() -> {
            Serializer<Object> serializer = newSerializer.get();
            serializers.add(serializer);
            return serializer;
        });
    }

    /** The factory configures each deserializer it hands out, and the error-handling one configures its delegate. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void customize(DefaultKafkaConsumerFactory<?, ?> factory) {
        ((DefaultKafkaConsumerFactory) factory).setValueDeserializerSupplier(() -> {
            Deserializer<Object> deserializer = newDeserializer.get();
            deserializers.add(deserializer);
            return new ErrorHandlingDeserializer<>(deserializer);
        });
    }

    /** Looks the arrival path's schemas up in every serde made so far, once per JVM, if the warm-up is enabled. */
    public void runOnce() {
        if (!enabled || result != null) {
            return;
        }
        Result done = run();
        result = done;
        log.info("Registry look-ups of the arrival path made before readiness in {} ms: {} serializers, {} deserializers, "
                + "{} failed; nothing published", done.millis(), done.serializers(), done.deserializers(), done.failed());
    }

    /** What the look-ups did, once they ran. */
    public Optional<Result> result() {
        return Optional.ofNullable(result);
    }

    Result run() {
        long started = System.nanoTime();
        int serialized = 0;
        int deserialized = 0;
        int failed = 0;
        List<Serializer<Object>> made = snapshot(serializers);
        for (Serializer<Object> serializer : made) {
            try {
                serializer.serialize(Topics.ALERTS.name(), sampleAlert());
                serialized++;
            } catch (RuntimeException e) {
                failed++;
                // the class only: a look-up that failed now is made again at the first record, as it always was
                log.warn("A registry look-up before readiness failed ({}); the client looks up at its first record", e.getClass().getName());
            }
        }
        byte[] handover = null;
        if (!made.isEmpty()) {
            try {
                // the hand-over as the registry's latest schema of the arrivals topic encodes it, which is what transport
                // writes; this producer never writes there, so caching that schema costs it nothing
                handover = made.get(0).serialize(Topics.PERSON_ARRIVALS.name(), ArrivalWarmUp.handover("schema-look-up"));
            } catch (RuntimeException e) {
                // transport registers that schema when it starts; until it has, there is nothing to look up
                log.info("No hand-over schema to look up before readiness ({})", e.getClass().getName());
            }
        }
        if (handover != null) {
            for (Deserializer<Object> deserializer : snapshot(deserializers)) {
                try {
                    deserializer.deserialize(Topics.PERSON_ARRIVALS.name(), handover);
                    deserialized++;
                } catch (RuntimeException e) {
                    failed++;
                    log.warn("A registry look-up before readiness failed ({}); the client looks up at its first record", e.getClass().getName());
                }
            }
        }
        return new Result(serialized, deserialized, failed, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static <T> List<T> snapshot(Set<T> set) {
        synchronized (set) {
            return List.copyOf(set);
        }
    }

    /** An alert of no one: ids that name nothing, and no contact (an alert never carries one). */
    private static AlertIssued sampleAlert() {
        return AlertIssued.newBuilder()
                .setAlertId("schema-look-up")
                .setInquiryId("schema-look-up")
                .setPersonId("schema-look-up")
                .setMilestone(Milestone.ARRIVED)
                .setLanguage(Language.UK)
                .setChannel(AlertChannel.EMAIL)
                .setIssuedAt(SAMPLED_AT)
                .build();
    }
}

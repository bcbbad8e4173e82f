package org.homecoming.transport.streams;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.holding.HoldingSettings;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.kafka.KnownSchemaSerializer;
import org.homecoming.platform.kafka.TopicSerdes;
import org.homecoming.platform.registry.RegistryWait;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MovementDetector;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.transport.movements.MissedPartnerMovements;
import org.homecoming.transport.telemetry.ManifestRounds;
import org.homecoming.transport.telemetry.ReadingHold;
import org.homecoming.transport.telemetry.ReadingValidator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/** Runs {@link TransportTopology} with the registry's Avro serdes (Confluent wire format). */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsWiring {

    @Bean
    KStream<String, BusMovementDetected> transportTopology(StreamsBuilder builder, KafkaProperties kafka,
            ReadingValidator validator, HoldingSettings holding, DeadLetters deadLetters, MovementDetector detector,
            DetectionSettings settings, RegistryWait manifestsWait, @Value("${homecoming.partners:}") String partners,
            ObjectProvider<MeterRegistry> meters) {
        return TransportTopology.addTo(builder, writtenOnceKnown(TopicSerdes.registry(kafka.buildStreamsProperties())),
                Topics.partners(partners), manifestsWait, validator,
                new ReadingHold(holding, deadLetters), detector, settings, new MissedPartnerMovements(meters.getIfAvailable()));
    }

    /**
     * The registry's serdes, whose serializers write a record themselves once the registry's serializer has shown the
     * bytes for its topic and schema (see {@link KnownSchemaSerializer}): the same bytes, without the registry
     * serializer's lookups per record (a third of the intake hop's output serialization).
     */
    static TopicSerdes writtenOnceKnown(TopicSerdes registry) {
        return new TopicSerdes() {
            @Override
            public <V> Serde<V> values(Topic<?, V> topic) {
                Serde<V> serde = registry.values(topic);
                return Serdes.serdeFrom(new KnownSchemaSerializer<>(serde.serializer()), serde.deserializer());
            }
        };
    }

    /** The manifests' global store waits out a schema registry outage; health tells the wait ({@link StreamsHealthIndicator}). */
    @Bean
    RegistryWait manifestsWait() {
        return new RegistryWait();
    }

    /**
     * A wait for the registry must not hold the stream processor's shutdown (Kafka Streams waits for the global thread,
     * and does not interrupt it): closing ends it, and a start waits again.
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer registryWaitEndsOnClose(RegistryWait manifestsWait) {
        return factoryBean -> factoryBean.setStateListener((newState, oldState) -> {
            switch (newState) {
                case PENDING_SHUTDOWN, PENDING_ERROR, NOT_RUNNING, ERROR -> manifestsWait.release();
                case CREATED, REBALANCING, RUNNING -> manifestsWait.resume();
            }
        });
    }

    /** A failed stream thread is replaced, unless it keeps failing (see {@link ThreadReplacement}). */
    @Bean
    StreamsBuilderFactoryBeanConfigurer replaceFailedStreamThreads() {
        return factoryBean -> factoryBean.setStreamsUncaughtExceptionHandler(
                new ThreadReplacement(5, Duration.ofMinutes(10), Clock.systemUTC()));
    }

    /**
     * Leave the consumer group when closing, so a restarted service is given its partitions at once instead of
     * after the old member's session times out (45 s by default).
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factoryBean -> factoryBean.setLeaveGroupOnClose(true);
    }

    /**
     * Before the stream processor starts, drops local state that was built from another Kafka cluster (see
     * {@link StateDirectoryClaim}), and the global state of versions that kept whole manifests on disk (see
     * {@link ManifestRounds#forgetPersistedManifests}).
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer stateBuiltFromThisCluster() {
        return factoryBean -> {
            Properties streams = factoryBean.getStreamsConfiguration();
            if (streams == null || streams.getProperty(StreamsConfig.STATE_DIR_CONFIG) == null) {
                return;
            }
            Map<String, Object> admin = new HashMap<>();
            streams.forEach((key, value) -> {
                String name = key.toString();
                if (name.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) || name.startsWith("security.")
                        || name.startsWith("sasl.") || name.startsWith("ssl.")) {
                    admin.put(name, value);
                }
            });
            try (Admin client = Admin.create(admin)) {
                String clusterId = client.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
                Path stateDir = Path.of(streams.getProperty(StreamsConfig.STATE_DIR_CONFIG));
                StateDirectoryClaim.claim(stateDir, clusterId);
                String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
                if (applicationId != null) {
                    ManifestRounds.forgetPersistedManifests(stateDir.resolve(applicationId).resolve("global"));
                }
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Cannot learn the Kafka cluster id to check the local stream state", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while checking the local stream state", e);
            }
        };
    }
}

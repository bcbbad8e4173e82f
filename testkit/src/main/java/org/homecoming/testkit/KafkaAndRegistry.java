package org.homecoming.testkit;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * JUnit 5 extension that gives a test class one real KRaft broker and one real Apicurio registry. Both
 * are started once per test JVM, shared by every test class, and stopped when the JVM's tests end.
 *
 * <p>It publishes {@code spring.kafka.bootstrap-servers} and {@code homecoming.registry.url} as system
 * properties before any Spring context starts, so {@code @SpringBootTest} classes need no wiring.
 * Register it with {@code @ExtendWith(KafkaAndRegistry.class)} before the Spring extension.
 */
public final class KafkaAndRegistry implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaAndRegistry.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Infrastructure infrastructure = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Infrastructure.class, ignored -> Infrastructure.start(), Infrastructure.class);
        System.setProperty("spring.kafka.bootstrap-servers", infrastructure.bootstrapServers());
        System.setProperty("homecoming.registry.url", infrastructure.registryUrl());
    }

    public static String bootstrapServers() {
        return required("spring.kafka.bootstrap-servers");
    }

    public static String registryUrl() {
        return required("homecoming.registry.url");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: is the test class annotated with @ExtendWith(KafkaAndRegistry.class)?");
        }
        return value;
    }

    /** The running broker and registry; JUnit closes it when the root context closes. */
    static final class Infrastructure implements AutoCloseable {
        private final EmbeddedKafkaKraftBroker broker;
        private final RegistryProcess registry;

        private Infrastructure(EmbeddedKafkaKraftBroker broker, RegistryProcess registry) {
            this.broker = broker;
            this.registry = registry;
        }

        static Infrastructure start() {
            EmbeddedKafkaKraftBroker broker = KraftBroker.start();
            String home = System.getProperty(RegistryProcess.HOME_PROPERTY);
            if (home == null) {
                broker.destroy();
                throw new IllegalStateException(RegistryProcess.HOME_PROPERTY + " is not set; run the tests through ./mvnw");
            }
            Path log = Path.of(System.getProperty("java.io.tmpdir"), "apicurio-registry.log");
            try {
                return new Infrastructure(broker, RegistryProcess.startOnFreePort(Path.of(home), broker.getBrokersAsString(), log));
            } catch (RuntimeException e) {
                broker.destroy();
                throw e;
            }
        }

        String bootstrapServers() {
            return broker.getBrokersAsString();
        }

        String registryUrl() {
            return registry.url();
        }

        @Override
        public void close() {
            registry.close();
            broker.destroy();
        }
    }
}

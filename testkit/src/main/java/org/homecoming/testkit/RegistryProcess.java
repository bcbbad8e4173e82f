package org.homecoming.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The real Apicurio Registry 3.0.9, run as a child process from the zip that the build unpacked from
 * Maven Central, on a port of 127.0.0.1. The local stack and the tests both use it.
 *
 * <p>Its storage is KafkaSQL: the registry keeps its journal in topics of the same Kafka cluster (see
 * {@link RegistryJournal}), as Confluent's registry keeps {@code _schemas}. A restarted registry replays that
 * journal and hands out the same schema ids, so the records already on Kafka keep decoding with the schema they
 * were written with. In-memory storage numbered schemas in the order of their first registration after each
 * start, and a restarted stack decoded records with the wrong schema.
 */
public final class RegistryProcess implements AutoCloseable {

    public static final String HOME_PROPERTY = "homecoming.registry.home";
    private static final String RUNNER = "apicurio-registry-app-3.0.9-runner.jar";

    private final Process process;
    private final int port;

    private RegistryProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Provisions the journal topics on {@code bootstrapServers}, starts the registry on them and waits until
     * {@code /health/ready} answers 200 (the registry opens its port only once it has replayed the journal).
     */
    public static RegistryProcess start(Path home, int port, String bootstrapServers, Path log, Duration timeout) {
        return start(home, port, bootstrapServers, Map.of(), null, log, timeout);
    }

    /**
     * The same on a broker that wants credentials (the local stack's SASL_SSL broker).
     *
     * @param adminSecurity       client settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) of a
     *                            principal that may create and configure the journal topics; empty on a PLAINTEXT broker
     * @param registryKafkaConfig a properties file with the registry's own Kafka client settings
     *                            ({@code apicurio.kafka.common.*}), or null on a PLAINTEXT broker. A file, not system
     *                            properties: those would show the password to every user's {@code ps}.
     */
    public static RegistryProcess start(Path home, int port, String bootstrapServers, Map<String, ?> adminSecurity,
                                        Path registryKafkaConfig, Path log, Duration timeout) {
        return start(home, port, bootstrapServers, adminSecurity, registryKafkaConfig, null, log, timeout);
    }

    /**
     * The same, and with {@code authentication} (when not null) every call needs a token from that identity provider,
     * or an OAuth2 client's id and secret as HTTP basic credentials, and the token's roles decide what it may do.
     */
    public static RegistryProcess start(Path home, int port, String bootstrapServers, Map<String, ?> adminSecurity,
                                        Path registryKafkaConfig, Authentication authentication, Path log, Duration timeout) {
        return start(home, port, bootstrapServers, adminSecurity, registryKafkaConfig, authentication, log, timeout, pid -> { });
    }

    /**
     * The same, and {@code started} is given the registry's pid as soon as it runs, before it is ready (the local stack
     * records it, so that the next start can name it should the launcher be killed while it waits).
     */
    public static RegistryProcess start(Path home, int port, String bootstrapServers, Map<String, ?> adminSecurity,
                                        Path registryKafkaConfig, Authentication authentication, Path log, Duration timeout,
                                        LongConsumer started) {
        Path runner = home.toAbsolutePath().resolve(RUNNER);
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException(runner + " is missing: build with ./mvnw so the registry zip is unpacked");
        }
        RegistryJournal.provision(bootstrapServers, adminSecurity, (short) 1);
        List<String> command = command(runner, port, bootstrapServers, registryKafkaConfig, authentication);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            RegistryProcess registry = new RegistryProcess(process, port);
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "stop-registry"));
            started.accept(process.pid());
            registry.awaitReady(timeout, log);
            return registry;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the registry: " + command, e);
        }
    }

    /** The registry's command line: its JVM's options, its settings and its runner jar. */
    static List<String> command(Path runner, int port, String bootstrapServers, Path registryKafkaConfig,
                                Authentication authentication) {
        // The client compiler only: the registry starts beside brokers and services on few cores, and serves a schema
        // look-up per client and schema, after which the clients cache it; the optimising compiler only costs it CPU.
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                ChildJvm.EXIT_ON_OUT_OF_MEMORY));
        if (registryKafkaConfig != null) {
            command.add("-Dquarkus.config.locations=file:" + registryKafkaConfig.toAbsolutePath());
        }
        if (authentication != null) {
            command.addAll(authentication.systemProperties());
        }
        command.addAll(List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dapicurio.storage.kind=kafkasql",
                "-Dapicurio.kafkasql.bootstrap.servers=" + bootstrapServers,
                // Should the registry create a topic itself, it never expires (its default is 7 days).
                "-Dapicurio.kafkasql.topic.retention.ms=-1",
                // The journal is replayed before the port opens; the default 5 s poll made each start 10 s.
                "-Dapicurio.kafkasql.consumer.poll.timeout=500",
                "-Dapicurio.ccompat.use-canonical-hash=true",
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.banner.enabled=false",
                "-jar", runner.toString()));
        return command;
    }

    /**
     * Authentication and role-based authorisation against an OIDC provider (Apicurio 3.0.9's settings). The roles are
     * realm roles in the token: {@link #ADMIN_ROLE} may do everything (schema provisioning), {@link #READER_ROLE} may
     * only read (services and partners); a token with neither may do nothing, and a call without credentials gets 401.
     * Basic client credentials let a Confluent client ({@code basic.auth.credentials.source=USER_INFO}) send an OAuth2
     * client's id and secret, which the registry exchanges for a token at the provider's token endpoint.
     *
     * @param issuer the OIDC issuer, e.g. {@code http://127.0.0.1:8180/realms/homecoming}
     */
    public record Authentication(String issuer) {

        public static final String ADMIN_ROLE = "schema-admin";
        public static final String READER_ROLE = "schema-reader";
        /** Apicurio's middle role (register, but not change global rules): nobody here has it. */
        public static final String DEVELOPER_ROLE = "schema-developer";

        public String tokenEndpoint() {
            return issuer + "/protocol/openid-connect/token";
        }

        List<String> systemProperties() {
            return List.of(
                    "-Dquarkus.oidc.tenant-enabled=true",
                    "-Dquarkus.oidc.auth-server-url=" + issuer,
                    "-Dquarkus.oidc.token-path=" + tokenEndpoint(),
                    // Keycloak's realm roles; another provider names its own claim here
                    "-Dquarkus.oidc.roles.role-claim-path=realm_access/roles",
                    // The provider may start after the registry: the registry waits for it instead of failing
                    "-Dquarkus.oidc.connection-delay=120S",
                    "-Dapicurio.authn.basic-client-credentials.enabled=true",
                    "-Dapicurio.auth.role-based-authorization=true",
                    "-Dapicurio.auth.role-source=token",
                    "-Dapicurio.auth.roles.admin=" + ADMIN_ROLE,
                    "-Dapicurio.auth.roles.developer=" + DEVELOPER_ROLE,
                    "-Dapicurio.auth.roles.readonly=" + READER_ROLE,
                    "-Dapicurio.auth.anonymous-read-access.enabled=false",
                    "-Dapicurio.auth.authenticated-read-access.enabled=false");
        }
    }

    public static RegistryProcess startOnFreePort(Path home, String bootstrapServers, Path log) {
        // generous: on a loaded 2-core machine the registry JVM alone has taken two minutes to start
        return start(home, FreePorts.next(), bootstrapServers, log, Duration.ofSeconds(300));
    }

    /** Ends the registry at once, as a crash or {@code kill -9} would: no shutdown hook, no clean close. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/health/ready")).timeout(Duration.ofSeconds(2)).build();
        ChildReadiness.awaitOk(process, http, ready, Duration.ofMillis(200), timeout, "The registry", log, this::close);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package org.homecoming.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;

/**
 * A real single-node Kafka 4.1 broker in KRaft mode, as its own process, run from the kafka_2.13 jars on
 * this launcher's classpath. One node is broker and controller; storage is formatted with Kafka's defaults,
 * so transactions run protocol version 2 (KIP-890).
 *
 * <p>Every client authenticates with SCRAM-SHA-512 over TLS, and the StandardAuthorizer allows only what
 * {@link TopicAccess} lists. At every start, as the super user, the broker's owner adds the credentials of any
 * new principal, creates the catalogue's topics and makes the ACLs exactly the generated ones.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    static final int PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    static final String BOOTSTRAP = "127.0.0.1:" + PORT;

    private final Process process;
    private final String bootstrap;
    private final KafkaCredentials credentials;

    private KafkaBrokerProcess(Process process, String bootstrap, KafkaCredentials credentials) {
        this.process = process;
        this.bootstrap = bootstrap;
        this.credentials = credentials;
    }

    static KafkaBrokerProcess start(Path dataDir, Path logDir, Duration timeout) throws IOException, InterruptedException {
        return start(dataDir, logDir, PORT, CONTROLLER_PORT, timeout);
    }

    static KafkaBrokerProcess start(Path dataDir, Path logDir, int port, int controllerPort, Duration timeout)
            throws IOException, InterruptedException {
        Path logs = dataDir.resolve("kafka-logs");
        boolean formatted = Files.exists(logs.resolve("meta.properties"));
        if (formatted && !Files.exists(dataDir.resolve("kafka-security"))) {
            throw new IllegalStateException(dataDir + " holds a Kafka log from before the broker required credentials;"
                    + " start with a new --data-dir (or delete this one)");
        }
        KafkaCredentials credentials = KafkaCredentials.loadOrCreate(dataDir);
        Path config = writeConfig(dataDir, credentials, port, controllerPort);
        if (!formatted) {
            format(config, credentials, logDir.resolve("kafka-format.log"));
        }
        Process process = ChildProcesses.java(List.of("-Xmx512m", "-Xms256m", "-XX:+UseG1GC",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                        "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString()),
                logDir.resolve("kafka.log"));
        KafkaBrokerProcess broker = new KafkaBrokerProcess(process, "127.0.0.1:" + port, credentials);
        broker.awaitReady(timeout, logDir.resolve("kafka.log"));
        try {
            broker.grantAccess();
        } catch (ExecutionException e) {
            broker.close();
            throw new IllegalStateException("Cannot set up the broker's principals, topics and ACLs", e.getCause());
        }
        return broker;
    }

    long pid() {
        return process.pid();
    }

    String bootstrap() {
        return bootstrap;
    }

    KafkaCredentials credentials() {
        return credentials;
    }

    /** Client properties (bootstrap included) that authenticate as {@code principal}. */
    Map<String, Object> clientConfig(String principal) {
        Map<String, Object> config = new HashMap<>(credentials.clientProperties(principal));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return config;
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> config = clientConfig(KafkaCredentials.ADMIN);
        // A TLS handshake and a SCRAM exchange take a while on a busy machine: one client, patient requests.
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(config)) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(250);
                }
            }
        }
        close();
        throw new IllegalStateException("Kafka was not ready within " + timeout + "; see " + log);
    }

    /**
     * As the super user: SCRAM credentials for every principal that has none yet, the catalogue's topics and
     * their dead-letter topics (services may not create topics), and exactly the ACLs of {@link TopicAccess}, so
     * a rule removed from the code is removed from the broker too. Every step may run again.
     */
    private void grantAccess() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(clientConfig(KafkaCredentials.ADMIN))) {
            Set<String> known = new HashSet<>(admin.describeUserScramCredentials().users().get());
            List<UserScramCredentialAlteration> missing = new ArrayList<>();
            for (String principal : KafkaCredentials.principals()) {
                if (!known.contains(principal)) {
                    missing.add(new UserScramCredentialUpsertion(principal,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), credentials.password(principal)));
                }
            }
            if (!missing.isEmpty()) {
                admin.alterUserScramCredentials(missing).all().get();
            }

            List<NewTopic> topics = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.ALL) {
                topics.add(declare(topic));
                topics.add(new NewTopic(topic.deadLetterTopic(), topic.partitions(), (short) -1));
            }
            admin.createTopics(topics).values().values().forEach(created -> {
                try {
                    created.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create a topic", e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            Set<AclBinding> wanted = new HashSet<>(new TopicAccess(KafkaCredentials.partners()).bindings());
            List<AclBindingFilter> stale = admin.describeAcls(AclBindingFilter.ANY).values().get().stream()
                    .filter(existing -> !wanted.contains(existing)).map(AclBinding::toFilter).toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get();
            }
            admin.createAcls(wanted).all().get();
            awaitAuthorizer(admin, wanted);
        }
    }

    /**
     * The controller commits the ACLs before the broker's authorizer has loaded them; a client that came in
     * between would be refused. The broker answers DescribeAcls from its authorizer, so this waits for that.
     */
    private static void awaitAuthorizer(Admin admin, Set<AclBinding> wanted) throws ExecutionException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(wanted)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The broker did not load its ACLs within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** The same topic as the services' TopicProvisioning declares: partitions, compaction and retention. */
    private static NewTopic declare(Topic<?, ?> topic) {
        Map<String, String> configs = new HashMap<>();
        if (topic.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        topic.retention().ifPresent(retention -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
        return new NewTopic(topic.name(), topic.partitions(), (short) -1).configs(configs);
    }

    private static Path writeConfig(Path dataDir, KafkaCredentials credentials, int port, int controllerPort)
            throws IOException {
        String adminPassword = credentials.password(KafkaCredentials.ADMIN);
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", "1");
        String listeners = "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        properties.setProperty("listeners", listeners);
        properties.setProperty("advertised.listeners", listeners);
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("inter.broker.listener.name", "SASL_SSL");
        properties.setProperty("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL");
        properties.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);

        // Clients: SCRAM-SHA-512 over TLS. The broker talks to itself as the super user.
        properties.setProperty("sasl.enabled.mechanisms", KafkaCredentials.MECHANISM);
        properties.setProperty("sasl.mechanism.inter.broker.protocol", KafkaCredentials.MECHANISM);
        properties.setProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                credentials.jaasConfig(KafkaCredentials.ADMIN));
        // SCRAM credentials live in the metadata the controller serves, so the controller listener itself cannot
        // use them: it takes PLAIN over TLS with its one user, the super user, declared here.
        properties.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        properties.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        properties.setProperty("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + KafkaCredentials.ADMIN
                        + "\" password=\"" + adminPassword + "\" user_" + KafkaCredentials.ADMIN + "=\"" + adminPassword + "\";");
        properties.setProperty("ssl.keystore.type", "PKCS12");
        properties.setProperty("ssl.keystore.location", credentials.keystore().toString());
        properties.setProperty("ssl.keystore.password", credentials.keystorePassword());
        properties.setProperty("ssl.key.password", credentials.keystorePassword());
        properties.setProperty("ssl.truststore.type", "PEM");
        properties.setProperty("ssl.truststore.location", credentials.caCertificate().toString());

        properties.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        properties.setProperty("super.users", "User:" + KafkaCredentials.ADMIN);
        properties.setProperty("allow.everyone.if.no.acl.found", "false");

        properties.setProperty("log.dirs", dataDir.resolve("kafka-logs").toAbsolutePath().toString());
        // Topics are declared from the catalogue, never created by accident.
        properties.setProperty("auto.create.topics.enable", "false");
        properties.setProperty("num.partitions", "6");
        properties.setProperty("offsets.topic.replication.factor", "1");
        properties.setProperty("transaction.state.log.replication.factor", "1");
        properties.setProperty("transaction.state.log.min.isr", "1");
        properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
        properties.setProperty("share.coordinator.state.topic.min.isr", "1");
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        Path file = dataDir.resolve("server.properties");
        Files.createDirectories(dataDir);
        Files.deleteIfExists(file);
        Files.createFile(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // it holds the super user's and the keystore's passwords
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "Homecoming local stack: one KRaft node, broker and controller");
        }
        return file;
    }

    /**
     * Formats the storage with the super user's SCRAM credentials, which the broker needs to talk to itself before
     * anyone could add them. Runs in this JVM, so the password never appears on a command line.
     */
    private static void format(Path config, KafkaCredentials credentials, Path log) throws IOException {
        String[] args = {"format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", KafkaCredentials.MECHANISM + "=[name=" + KafkaCredentials.ADMIN + ",password="
                + credentials.password(KafkaCredentials.ADMIN) + "]"};
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = kafka.tools.StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
        Files.createDirectories(log.getParent());
        Files.write(log, output.toByteArray());
        if (exit != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed; see " + log);
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
}

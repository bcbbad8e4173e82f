package org.homecoming.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.RegistryJournal;

/**
 * A real Kafka 4.1 cluster in KRaft mode, one process per node, run from the kafka_2.13 jars on this launcher's
 * classpath: one node by default, or three (or more) for {@code --brokers=3}. Every node is broker and controller;
 * three nodes are a quorum of three voters, and topics are then replicated three times with
 * {@code min.insync.replicas=2}. Storage is formatted with Kafka's defaults, so transactions run protocol version 2
 * (KIP-890).
 *
 * <p>Every client authenticates with SCRAM-SHA-512 over TLS, and the StandardAuthorizer allows only what
 * {@link TopicAccess} lists. At every start, as the super user, the broker's owner adds the credentials of any
 * new principal, creates the catalogue's topics and makes the ACLs exactly the generated ones.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    static final int PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    static final String BOOTSTRAP = "127.0.0.1:" + PORT;
    private static final String MAIN_CLASS = "kafka.Kafka";

    /** The nodes' processes: node {@code n} (from 1) at index {@code n - 1}. */
    private final List<Process> processes;
    private final String bootstrap;
    private final KafkaCredentials credentials;
    private final short replicationFactor;
    private final int minInsyncReplicas;

    private KafkaBrokerProcess(List<Process> processes, String bootstrap, KafkaCredentials credentials) {
        this.processes = processes;
        this.bootstrap = bootstrap;
        this.credentials = credentials;
        this.replicationFactor = (short) Math.min(processes.size(), 3);
        this.minInsyncReplicas = replicationFactor >= 3 ? 2 : 1;
    }

    static KafkaBrokerProcess start(Path dataDir, Path logDir, Duration timeout) throws IOException, InterruptedException {
        return start(dataDir, logDir, PORT, CONTROLLER_PORT, timeout);
    }

    static KafkaBrokerProcess start(Path dataDir, Path logDir, int port, int controllerPort, Duration timeout)
            throws IOException, InterruptedException {
        return start(dataDir, logDir, List.of(port), List.of(controllerPort), timeout);
    }

    /** The local stack's cluster of {@code topology.brokers()} nodes on their fixed ports, each recorded in {@code children}. */
    static KafkaBrokerProcess start(Path dataDir, Path logDir, Topology topology, Duration timeout, RecordedChildren children)
            throws IOException, InterruptedException {
        return start(dataDir, logDir, topology.brokerPorts(), topology.controllerPorts(), timeout, children);
    }

    static KafkaBrokerProcess start(Path dataDir, Path logDir, List<Integer> ports, List<Integer> controllerPorts, Duration timeout)
            throws IOException, InterruptedException {
        return start(dataDir, logDir, ports, controllerPorts, timeout, RecordedChildren.in(dataDir));
    }

    /**
     * Node {@code n} (from 1) listens on {@code ports[n-1]} and {@code controllerPorts[n-1]}, keeps its log in
     * {@code kafka-logs} (node 1, as a single broker does) or {@code kafka-logs-<n>} and writes {@code kafka.log} or
     * {@code kafka-<n>.log}. The nodes start together: none is ready before a majority of the quorum runs. Each is
     * recorded in {@code children} as it starts.
     */
    static KafkaBrokerProcess start(Path dataDir, Path logDir, List<Integer> ports, List<Integer> controllerPorts, Duration timeout,
                                    RecordedChildren children) throws IOException, InterruptedException {
        int nodes = ports.size();
        boolean formatted = Files.exists(logsOf(dataDir, 1).resolve("meta.properties"));
        if (formatted && !Files.exists(dataDir.resolve("kafka-security"))) {
            throw new IllegalStateException(dataDir + " holds a Kafka log from before the broker required credentials;"
                    + " start with a new --data-dir (or delete this one)");
        }
        int formattedNodes = formattedNodes(dataDir);
        if (formatted && formattedNodes != nodes) {
            throw new IllegalStateException(dataDir + " holds a Kafka cluster of " + formattedNodes + " node(s): start it with --brokers="
                    + formattedNodes + ", or use another --data-dir (or --wipe)");
        }
        KafkaCredentials credentials = KafkaCredentials.loadOrCreate(dataDir);
        String clusterId = Uuid.randomUuid().toString();
        List<Path> configs = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            Path config = writeConfig(dataDir, credentials, node, ports, controllerPorts);
            if (!formatted) {
                format(config, credentials, clusterId, nodes == 1, logDir.resolve(nodes == 1 ? "kafka-format.log" : "kafka-format-" + node + ".log"));
            }
            configs.add(config);
        }
        List<Process> processes = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            // The class path (this launcher's, hundreds of jars) in the environment, not on the command line: the next
            // launcher recognises a node left running by its main class, in the first 4 KiB the system shows of it.
            Process process = ChildProcesses.java(nodeArguments(nodes, configs.get(node - 1)),
                    Map.of("CLASSPATH", System.getProperty("java.class.path")), logDir.resolve(logName(nodes, node)));
            processes.add(process);
            children.record(nodeName(nodes, node), process.pid(), MAIN_CLASS);
        }
        String bootstrap = String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
        KafkaBrokerProcess broker = new KafkaBrokerProcess(List.copyOf(processes), bootstrap, credentials);
        broker.awaitReady(timeout, logDir);
        try {
            broker.grantAccess();
            if (nodes > 1) {
                // Apicurio's journal: created here with the cluster's replication, before the registry would make it with one replica
                RegistryJournal.provision(bootstrap, credentials.clientProperties(KafkaCredentials.ADMIN), broker.replicationFactor);
            }
        } catch (ExecutionException e) {
            broker.close();
            throw new IllegalStateException("Cannot set up the broker's principals, topics and ACLs", e.getCause());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /**
     * A node's JVM options, main class and configuration file, for {@link ChildProcesses#java}; one of {@code nodes}. Its
     * class path is given in the environment.
     */
    static List<String> nodeArguments(int nodes, Path config) {
        return List.of(nodes == 1 ? "-Xmx512m" : "-Xmx384m", "-Xms256m", "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                MAIN_CLASS, config.toString());
    }

    /** What the launcher and its refusals call node {@code node} of {@code nodes}, as {@link StackPorts} does. */
    private static String nodeName(int nodes, int node) {
        return nodes == 1 ? "Kafka" : "Kafka node " + node;
    }

    /** Node 1's pid: the single broker's. */
    long pid() {
        return process(1).pid();
    }

    long pid(int node) {
        return process(node).pid();
    }

    int nodes() {
        return processes.size();
    }

    Process process(int node) {
        return processes.get(node - 1);
    }

    short replicationFactor() {
        return replicationFactor;
    }

    int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** Node 1 keeps its log where a single broker does, so {@code --brokers=1} data is found as before. */
    static Path logsOf(Path dataDir, int node) {
        return dataDir.resolve(node == 1 ? "kafka-logs" : "kafka-logs-" + node);
    }

    private static int formattedNodes(Path dataDir) {
        int node = 1;
        while (Files.exists(logsOf(dataDir, node).resolve("meta.properties"))) {
            node++;
        }
        return node - 1;
    }

    private static String logName(int nodes, int node) {
        return nodes == 1 ? "kafka.log" : "kafka-" + node + ".log";
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

    /** Until every node has registered with the quorum (topics of three replicas need three brokers). */
    private void awaitReady(Duration timeout, Path logDir) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> config = clientConfig(KafkaCredentials.ADMIN);
        // A TLS handshake and a SCRAM exchange take a while on a busy machine: one client, patient requests.
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(config)) {
            while (Instant.now().isBefore(deadline)) {
                for (int node = 1; node <= nodes(); node++) {
                    if (!process(node).isAlive()) {
                        Path log = logDir.resolve(logName(nodes(), node));
                        close();
                        throw new IllegalStateException("Kafka exited with " + process(node).exitValue() + "; see " + log);
                    }
                }
                try {
                    if (admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size() >= nodes()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // still starting
                }
                Thread.sleep(250);
            }
        }
        close();
        throw new IllegalStateException("Kafka was not ready within " + timeout + "; see " + logDir.resolve(logName(nodes(), 1)));
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
            // the catalogue's topics with each partner's own intake topic (the partner principals made above)
            for (Topic<?, ?> topic : Topics.all(KafkaCredentials.partners())) {
                topics.add(new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.settings(topicMinInsync())));
                topics.add(new NewTopic(topic.deadLetterTopic(), topic.partitions(), replicationFactor)
                        .configs(topic.deadLetterSettings(topicMinInsync())));
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

            TopicAccess access = new TopicAccess(KafkaCredentials.partners());
            setQuotas(admin, access.quotas());
            Set<AclBinding> wanted = new HashSet<>(access.bindings());
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
     * Exactly these quotas (see {@link TopicAccess#quotas}): each wanted one set, and any other user quota removed, so a
     * partner taken out of {@code homecoming.partners} loses its quota with its ACLs.
     */
    private static void setQuotas(Admin admin, Map<ClientQuotaEntity, Map<String, Long>> wanted)
            throws ExecutionException, InterruptedException {
        List<ClientQuotaAlteration> alterations = new ArrayList<>();
        admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.USER))))
                .entities().get().forEach((entity, quotas) -> {
                    Map<String, Long> keep = wanted.getOrDefault(entity, Map.of());
                    List<ClientQuotaAlteration.Op> removed = quotas.keySet().stream().filter(key -> !keep.containsKey(key))
                            .map(key -> new ClientQuotaAlteration.Op(key, null)).toList();
                    if (!removed.isEmpty()) {
                        alterations.add(new ClientQuotaAlteration(entity, removed));
                    }
                });
        wanted.forEach((entity, quotas) -> alterations.add(new ClientQuotaAlteration(entity, quotas.entrySet().stream()
                .map(quota -> new ClientQuotaAlteration.Op(quota.getKey(), quota.getValue().doubleValue())).toList())));
        if (!alterations.isEmpty()) {
            admin.alterClientQuotas(alterations).all().get();
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

    /** A topic's own min.insync.replicas on a cluster; 0 on a single broker: its topics keep the broker's default (1). */
    private int topicMinInsync() {
        return minInsyncReplicas > 1 ? minInsyncReplicas : 0;
    }

    private static Path writeConfig(Path dataDir, KafkaCredentials credentials, int node, List<Integer> ports,
                                    List<Integer> controllerPorts) throws IOException {
        String adminPassword = credentials.password(KafkaCredentials.ADMIN);
        int nodes = ports.size();
        int port = ports.get(node - 1);
        int controllerPort = controllerPorts.get(node - 1);
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", Integer.toString(node));
        String listeners = "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        properties.setProperty("listeners", listeners);
        properties.setProperty("advertised.listeners", listeners);
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("inter.broker.listener.name", "SASL_SSL");
        properties.setProperty("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL");
        if (nodes == 1) {
            properties.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        } else {
            // A static quorum: every node is a voter, known to the others from the start.
            List<String> voters = new ArrayList<>();
            for (int voter = 1; voter <= nodes; voter++) {
                voters.add(voter + "@127.0.0.1:" + controllerPorts.get(voter - 1));
            }
            properties.setProperty("controller.quorum.voters", String.join(",", voters));
        }

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

        properties.setProperty("log.dirs", logsOf(dataDir, node).toAbsolutePath().toString());
        // Topics are declared from the catalogue, never created by accident.
        properties.setProperty("auto.create.topics.enable", "false");
        properties.setProperty("num.partitions", "6");
        // Three replicas and two in sync on a cluster, for every topic: the catalogue's (declared so by the launcher),
        // the ones whose replication is left to the broker (Kafka Streams' changelogs) and Kafka's own (offsets,
        // transactions), so that one node lost loses no acknowledged write and refuses none.
        String replicas = Integer.toString(Math.min(nodes, 3));
        String inSync = Integer.toString(nodes >= 3 ? 2 : 1);
        properties.setProperty("default.replication.factor", replicas);
        properties.setProperty("min.insync.replicas", inSync);
        properties.setProperty("offsets.topic.replication.factor", replicas);
        properties.setProperty("transaction.state.log.replication.factor", replicas);
        properties.setProperty("transaction.state.log.min.isr", inSync);
        properties.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        properties.setProperty("share.coordinator.state.topic.min.isr", inSync);
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        Path file = dataDir.resolve(nodes == 1 ? "server.properties" : "server-" + node + ".properties");
        Files.createDirectories(dataDir);
        Files.deleteIfExists(file);
        Files.createFile(file);
        DataFolder.ownerOnly(file, "rw-------"); // it holds the super user's and the keystore's passwords
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "Homecoming local stack: KRaft node " + node + " of " + nodes + ", broker and controller");
        }
        return file;
    }

    /**
     * Formats the storage with the super user's SCRAM credentials, which the broker needs to talk to itself before
     * anyone could add them. Runs in this JVM, so the password never appears on a command line. The nodes of a
     * cluster share its id; their voters are in their configuration (a static quorum), so only a single node is
     * formatted {@code --standalone}.
     */
    private static void format(Path config, KafkaCredentials credentials, String clusterId, boolean standalone, Path log)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", config.toString(),
                "--add-scram", KafkaCredentials.MECHANISM + "=[name=" + KafkaCredentials.ADMIN + ",password="
                + credentials.password(KafkaCredentials.ADMIN) + "]"));
        if (standalone) {
            args.add(1, "--standalone");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = kafka.tools.StorageTool.execute(args.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
        Files.createDirectories(log.getParent());
        Files.write(log, output.toByteArray());
        if (exit != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed; see " + log);
        }
    }

    /** Every node at once: a node stopped after the others would wait for a quorum that has gone. */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        processes.forEach(process -> ChildProcesses.stop(process, Duration.ofSeconds(20)));
    }
}

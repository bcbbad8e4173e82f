package org.homecoming.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka 4.1 broker in KRaft mode, as its own process, run from the kafka_2.13 jars on
 * this launcher's classpath. One node is broker and controller; storage is formatted with Kafka's defaults,
 * so transactions run protocol version 2 (KIP-890).
 */
final class KafkaBrokerProcess implements AutoCloseable {

    static final String BOOTSTRAP = "127.0.0.1:9092";

    private final Process process;

    private KafkaBrokerProcess(Process process) {
        this.process = process;
    }

    static KafkaBrokerProcess start(Path dataDir, Path logDir, Duration timeout) throws IOException, InterruptedException {
        Path config = writeConfig(dataDir);
        Path logs = dataDir.resolve("kafka-logs");
        if (!Files.exists(logs.resolve("meta.properties"))) {
            run(List.of("kafka.tools.StorageTool", "format", "--standalone",
                    "-t", Uuid.randomUuid().toString(), "-c", config.toString()), logDir.resolve("kafka-format.log"));
        }
        Process process = ChildProcesses.java(List.of("-Xmx512m", "-Xms256m", "-XX:+UseG1GC",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                        "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString()),
                logDir.resolve("kafka.log"));
        KafkaBrokerProcess broker = new KafkaBrokerProcess(process);
        broker.awaitReady(timeout, logDir.resolve("kafka.log"));
        return broker;
    }

    long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
            }
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                Thread.sleep(250);
            }
        }
        close();
        throw new IllegalStateException("Kafka was not ready within " + timeout + "; see " + log);
    }

    private static Path writeConfig(Path dataDir) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", "1");
        properties.setProperty("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:9093");
        properties.setProperty("log.dirs", dataDir.resolve("kafka-logs").toAbsolutePath().toString());
        // Topics are declared by the services from the catalogue, never created by accident.
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
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "Homecoming local stack: one KRaft node, broker and controller");
        }
        return file;
    }

    private static void run(List<String> mainAndArgs, Path log) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("-cp", System.getProperty("java.class.path")));
        args.addAll(mainAndArgs);
        Process format = ChildProcesses.java(args, log);
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("Formatting Kafka storage failed; see " + log);
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
}

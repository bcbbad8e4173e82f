package org.homecoming.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One Homecoming service, run from its executable jar (extracted, see {@link ClassDataSharing}) as its own JVM with a 512 MB heap. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final ClassDataSharing sharing;

    private ServiceProcess(String name, int port, Process process, Path log, ClassDataSharing sharing) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.sharing = sharing;
    }

    /** {@code kafkaEnvironment} carries the service's own Kafka credentials (see {@link KafkaCredentials#springEnvironment}). */
    static ServiceProcess start(String module, int port, Path root, Path logDir, Path dataDir, List<String> extraArgs,
                                Map<String, String> kafkaEnvironment) throws IOException {
        return start(module, 1, port, KafkaBrokerProcess.BOOTSTRAP, root, logDir, dataDir, extraArgs, kafkaEnvironment);
    }

    /**
     * Instance {@code instance} (from 1) of {@code module}, against the brokers of {@code bootstrap}. A second instance is
     * named {@code <module>-2}: its log, and its temporary folder (where Kafka Streams keeps its state), are its own.
     */
    static ServiceProcess start(String module, int instance, int port, String bootstrap, Path root, Path logDir, Path dataDir,
                                List<String> extraArgs, Map<String, String> kafkaEnvironment) throws IOException {
        String name = instance == 1 ? module : module + "-" + instance;
        Path jar = executableJar(module, root);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw install -DskipTests first");
        }
        ClassDataSharing sharing = ClassDataSharing.forJar(jar, classArchives(root), instance == 1);
        List<String> args = new ArrayList<>(jvmOptions(name, dataDir));
        args.addAll(sharing.jvmArguments());
        args.addAll(List.of(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--homecoming.registry.url=http://127.0.0.1:" + LocalStack.REGISTRY_PORT));
        args.addAll(extraArgs);
        Files.createDirectories(dataDir.resolve("tmp").resolve(name));
        Path log = logDir.resolve(name + ".log");
        Map<String, String> environment = new LinkedHashMap<>(kafkaEnvironment);
        environment.putAll(RegistryAccess.readOnlyEnvironment(module));
        // the partner principals the broker knows: each one's intake topic is checked at start-up and read by transport
        environment.put("HOMECOMING_PARTNERS", String.join(",", KafkaCredentials.partners()));
        return new ServiceProcess(name, port, ChildProcesses.java(args, environment, log), log, sharing);
    }

    /**
     * The heap, the collector and the system properties of instance {@code name}; out of memory it exits, as every child
     * does ({@link ChildProcesses#command}).
     */
    static List<String> jvmOptions(String name, Path dataDir) {
        return List.of("-Xmx512m", "-XX:+UseG1GC",
                "-Djava.io.tmpdir=" + dataDir.resolve("tmp").resolve(name).toAbsolutePath(),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.homecoming.events");
    }

    /**
     * Extracts the service's jar for {@link ClassDataSharing} ahead of its start, if it is not yet: the launcher does it
     * while the broker, the registry and the identity provider start, instead of one service after another at their
     * start. A failure is left to the start, which tries again and says why.
     */
    static void prepare(String module, Path root) {
        Path jar = executableJar(module, root);
        if (Files.isRegularFile(jar)) {
            try {
                ClassDataSharing.forJar(jar, classArchives(root), false);
            } catch (IOException | RuntimeException e) {
                // the service's start extracts it, or fails naming the cause
            }
        }
    }

    private static Path executableJar(String module, Path root) {
        return root.resolve(module).resolve("target").resolve(jarName(module));
    }

    /** The file name of the service's jar, which its command line holds (extracted, the jar keeps its name). */
    static String jarName(String module) {
        return module + "-0.1.0-SNAPSHOT-exec.jar";
    }

    private static Path classArchives(Path root) {
        return root.resolve("target").resolve("local-stack-cds");
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(3)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        sharing.serviceStopped(ChildProcesses.stop(process, sharing.stopGrace(Duration.ofSeconds(15))));
    }
}

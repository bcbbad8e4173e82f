package org.homecoming.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.homecoming.testkit.RegistryProcess;

/**
 * The whole system on one machine, on 127.0.0.1: a Kafka broker process, the Apicurio registry, a mail
 * sink, the three services and the ops console; then it plays the exchange scenario and prints what
 * happened. Ctrl-C stops everything it started, in reverse order.
 *
 * <p>Options: {@code --data-dir=DIR} (default .local-stack), {@code --no-scenario} (start and wait),
 * {@code --exit-after-scenario} (stop once the scenario has been played), {@code --services=a,b} (start only
 * these services), {@code --wipe} (delete the data folder first and start afresh).
 *
 * <p>On a data folder that already holds data, the services rebuild their state from Kafka; the launcher prints
 * what it found and checks the services serve it, and does not play the scenario again (its rounds, lists and
 * inquiries are there already; playing it twice would register every inquiry twice).
 */
public final class LocalStack {

    static final int REGISTRY_PORT = 8085;
    static final int SMTP_PORT = 2525;
    static final List<String> ALL_SERVICES = List.of("roster-service", "transport-service", "reunification-service", "ops-console");

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Path root;
    private final Path dataDir;
    private final Path logDir;

    private final List<String> modules;

    private LocalStack(Path root, Path dataDir, List<String> modules) {
        this.root = root;
        this.modules = modules;
        this.dataDir = dataDir;
        this.logDir = dataDir.resolve("logs");
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("homecoming.root", ".")).toAbsolutePath().normalize();
        Path dataDir = root.resolve(option(args, "--data-dir=", ".local-stack")).toAbsolutePath().normalize();
        boolean playScenario = !flag(args, "--no-scenario");
        boolean exitAfterScenario = flag(args, "--exit-after-scenario");
        if (flag(args, "--wipe")) {
            wipe(dataDir);
        }
        boolean existingData = Files.exists(dataDir.resolve("kafka-logs").resolve("meta.properties"));

        List<String> modules = List.of(option(args, "--services=", String.join(",", ALL_SERVICES)).split(","));
        LocalStack stack = new LocalStack(root, dataDir, modules);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "stop-local-stack"));

        List<ServiceProcess> services;
        GreenMail mail;
        try {
            long start = System.nanoTime();
            mail = stack.startMailSink();
            services = stack.startAll();
            long readyMillis = (System.nanoTime() - start) / 1_000_000;
            stack.printReady(services, readyMillis);
        } catch (Exception e) {
            System.err.println("The local stack did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (existingData) {
            DataFound found = DataFound.read(KafkaBrokerProcess.BOOTSTRAP);
            System.out.printf("%nFound on %s: %s%n", root.relativize(dataDir), found.describe());
            if (!found.empty()) {
                List<String> mismatches = RebuiltState.check(found, modules);
                if (!mismatches.isEmpty()) {
                    System.err.println("The services did not rebuild what the data holds: " + String.join("; ", mismatches));
                    System.exit(3);
                }
                System.out.println("The services rebuilt their state from it. The scenario was played on this data already,"
                        + " so it is not played again; --wipe starts afresh.");
                playScenario = false;
            }
        }
        if (playScenario) {
            try {
                new ExchangeScenario(ExchangeScenario.Settings.full(),
                        root.resolve("roster-service/src/main/resources/scenario"),
                        "http://127.0.0.1:8081", "http://127.0.0.1:8082", "http://127.0.0.1:8083", mail, System.out).play();
            } catch (Exception e) {
                System.err.println("The scenario stopped: " + e);
                e.printStackTrace();
                if (exitAfterScenario) {
                    System.exit(2);
                }
            }
        }
        if (exitAfterScenario) {
            System.exit(0);
        }
        System.out.println("\nThe stack keeps running. Press Ctrl-C to stop everything.");
        stopped.await();
    }

    private GreenMail startMailSink() {
        GreenMail mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        started.push(mail::stop);
        return mail;
    }

    private List<ServiceProcess> startAll() throws Exception {
        System.out.println("Starting Kafka (KRaft), then the Apicurio registry on it ...");
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir, logDir, Duration.ofSeconds(180));
        started.push(broker);
        // The registry keeps its schemas in Kafka (KafkaSQL), so it starts once the broker is up.
        RegistryProcess registry = RegistryProcess.start(registryHome(), REGISTRY_PORT, KafkaBrokerProcess.BOOTSTRAP,
                logDir.resolve("registry.log"), Duration.ofSeconds(180));
        started.push(registry);

        System.out.println("Starting the services ...");
        List<ServiceProcess> services = new ArrayList<>();
        List<String> mailArgs = List.of("--spring.mail.host=127.0.0.1", "--spring.mail.port=" + SMTP_PORT);
        for (String module : modules) {
            ServiceProcess service = switch (module) {
                case "roster-service" -> ServiceProcess.start(module, 8081, root, logDir, dataDir, List.of());
                case "transport-service" -> ServiceProcess.start(module, 8082, root, logDir, dataDir, List.of());
                case "reunification-service" -> ServiceProcess.start(module, 8083, root, logDir, dataDir, mailArgs);
                case "ops-console" -> ServiceProcess.start(module, 8080, root, logDir, dataDir, List.of());
                default -> throw new IllegalArgumentException("Unknown service " + module);
            };
            started.push(service);
            services.add(service);
        }
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(240));
        }
        return services;
    }

    private Path registryHome() {
        return Path.of(System.getProperty(RegistryProcess.HOME_PROPERTY,
                root.resolve("target").resolve("apicurio-registry").toString()));
    }

    private void printReady(List<ServiceProcess> services, long readyMillis) {
        System.out.printf("%nHomecoming is ready in %.1f s%n", readyMillis / 1000.0);
        System.out.printf("  %-22s %s%n", "Kafka (KRaft)", KafkaBrokerProcess.BOOTSTRAP);
        System.out.printf("  %-22s http://127.0.0.1:%d/apis/ccompat/v7%n", "Schema registry", REGISTRY_PORT);
        System.out.printf("  %-22s 127.0.0.1:%d (GreenMail)%n", "Mail sink (SMTP)", SMTP_PORT);
        for (ServiceProcess service : services) {
            System.out.printf("  %-22s %s  (API docs %s/swagger-ui.html, log %s)%n", service.name(), service.url(),
                    service.url(), root.relativize(service.log()));
        }
    }

    private synchronized void stop() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("While stopping: " + e.getMessage());
            }
        }
    }

    /** Deletes the data folder: Kafka's log, the services' local state and the logs. Only on --wipe. */
    private static void wipe(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            return;
        }
        System.out.println("Wiping " + dataDir + " (--wipe) ...");
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String option(String[] args, String prefix, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return fallback;
    }

    private static boolean flag(String[] args, String flag) {
        return List.of(args).contains(flag);
    }
}

package org.homecoming.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.homecoming.catalogue.Topics;
import org.homecoming.localstack.faults.FaultSchedule;
import org.homecoming.localstack.faults.MailOutage;
import org.homecoming.synthetic.buses.CrossingRoad;
import org.homecoming.testkit.KeycloakProcess;
import org.homecoming.testkit.RegistryProcess;

/**
 * The whole system on one machine, on 127.0.0.1: a Kafka broker process, the Apicurio registry, a mail
 * sink, the three services and the ops console; then it plays the exchange scenario and prints what
 * happened. Ctrl-C stops everything it started, in reverse order.
 *
 * <p>Options: {@code --data-dir=DIR} (default .local-stack), {@code --no-scenario} (start and wait),
 * {@code --exit-after-scenario} (stop once the scenario has been played), {@code --full-jit} (children with the JVM's
 * default JIT instead of the quick-starting client compiler, for load tests), {@code --services=a,b} (start only
 * these services), {@code --wipe} (delete what the data folder holds first and start afresh), {@code --fault-injection[=SCALE]}
 * (the scenario at SCALE times stage 1, default 10, while processes are killed; see {@link FaultInjectionRun}),
 * {@code --brokers=3 --instances=2} (a three-node Kafka cluster and two instances of each service, see {@link Topology};
 * with {@code --fault-injection} the failover run, {@link FailoverRun}).
 *
 * <p>On a data folder that already holds data, the services rebuild their state from Kafka; the launcher prints
 * what it found and checks the services serve it, and does not play the scenario again (its rounds, lists and
 * inquiries are there already; playing it twice would register every inquiry twice).
 *
 * <p>Before anything starts, and before {@code --wipe}, the launcher takes the data folder for itself ({@link DataFolder})
 * and checks that nothing listens on the stack's ports ({@link StackPorts}); it refuses to start otherwise, naming the
 * processes that a launcher on the folder started and that still run ({@link RecordedChildren}).
 */
public final class LocalStack {

    static final int REGISTRY_PORT = 8085;
    static final int IDENTITY_PORT = 8180;
    static final int SMTP_PORT = 2525;
    /** The scenario's rounds and lists: workshop data, kept in the synthetic module. */
    static final String SCENARIO = "synthetic/src/main/resources/scenario";
    /** The crossing as transport-service tracks it; the buses' trackers drive the same road. */
    static final String CROSSING = "transport-service/src/main/resources/geo/chernihiv-crossing.geojson";
    static final List<String> ALL_SERVICES = List.of("roster-service", "transport-service", "reunification-service", "ops-console");

    private final StartedProcesses started = new StartedProcesses();
    /** Every child, as it starts: the next start names those still running should this launcher be killed. */
    private final RecordedChildren children;
    private final ChildWatch watch = new ChildWatch(System.out);
    private final Path root;
    private final Path dataDir;
    private final Path logDir;

    private final List<String> modules;
    private final Topology topology;
    private KeycloakProcess identity;
    private KafkaBrokerProcess broker;
    private RegistryProcess registry;
    private MailOutage mailOutage;
    /** Added to every service's arguments (the fault-injection run's own settings); none by default. */
    private List<String> runArguments = List.of();

    private LocalStack(Path root, Path dataDir, List<String> modules, Topology topology) {
        this.topology = topology;
        this.root = root;
        this.modules = modules;
        this.dataDir = dataDir;
        this.logDir = dataDir.resolve("logs");
        this.children = RecordedChildren.in(dataDir);
    }

    public static void main(String[] args) throws Exception {
        Path root = checkoutRoot();
        Path dataDir = dataDir(root, args);
        boolean playScenario = !flag(args, "--no-scenario");
        boolean exitAfterScenario = flag(args, "--exit-after-scenario");
        if (flag(args, "--full-jit")) {
            ChildProcesses.keepFullJit();
        }
        String faultInjection = faultInjection(args);
        List<String> modules = modules(args);
        Topology topology = topology(args);
        boolean mailOutages = mailOutages(args, topology);
        DataFolder folder;
        try {
            folder = takeDataFolder(dataDir, ports(args), flag(args, "--wipe"));
        } catch (IllegalStateException | IllegalArgumentException refused) {
            System.err.println(refusal(dataDir, refused));
            System.exit(1);
            return;
        }
        boolean existingData = Files.exists(dataDir.resolve("kafka-logs").resolve("meta.properties"));

        LocalStack stack = new LocalStack(root, dataDir, modules, topology);
        // stopped last, so a second launcher cannot take the folder while this one's children still run
        stack.started.push(folder);
        // then every child has stopped, one still starting when Ctrl-C came included: none is left for the next start to name
        stack.started.push(() -> {
            List<RecordedChildren.Child> ended = stack.children.endStillRunningAndForget(Duration.ofSeconds(15));
            if (!ended.isEmpty()) {
                System.out.println("Ended what was still starting: " + ended);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.watch.stopping();
            stack.stop();
            stopped.countDown();
        }, "stop-local-stack"));

        List<ServiceProcess> services;
        GreenMail mail;
        try {
            long start = System.nanoTime();
            mail = stack.startMailSink(mailOutages);
            if (mailOutages) {
                stack.runArguments = List.of("--homecoming.identity.keys.refresh-interval="
                        + FaultSchedule.IDENTITY_KEYS_REFRESH.toSeconds() + "s");
            }
            services = stack.startAll();
            long readyMillis = (System.nanoTime() - start) / 1_000_000;
            stack.printReady(services, readyMillis);
            stack.printAccounts();
        } catch (Exception e) {
            System.err.println("The local stack did not start: " + CauseChain.describe(e));
            System.exit(1);
            return;
        }
        if (existingData) {
            DataFound found = DataFound.read(stack.broker.clientConfig(KafkaCredentials.ADMIN));
            System.out.printf("%nFound on %s: %s%n", root.relativize(dataDir), found.describe());
            if (!found.empty()) {
                List<String> mismatches = RebuiltState.check(found, modules, new DemoAccounts(stack.identity));
                if (!mismatches.isEmpty()) {
                    System.err.println("The services did not rebuild what the data holds: " + String.join("; ", mismatches));
                    System.exit(3);
                }
                System.out.println("The services rebuilt their state from it. The scenario was played on this data already,"
                        + " so it is not played again; --wipe starts afresh.");
                playScenario = false;
            }
        }
        if (faultInjection != null) {
            if (!playScenario) {
                System.err.println("The fault-injection run plays the scenario on a fresh data folder: add --wipe");
                System.exit(4);
            }
            try {
                System.exit(topology.clustered()
                        ? new FailoverRun(stack, Integer.parseInt(faultInjection), services, mail).run()
                        : new FaultInjectionRun(stack, Integer.parseInt(faultInjection), services, mail).run());
            } catch (Exception | Error e) {
                // The supervisors' threads would keep the launcher (and every child) alive: stop it all, loudly.
                System.err.println("The fault-injection run stopped: " + e);
                e.printStackTrace();
                System.exit(6);
            }
        }
        // (not in the fault-injection runs above, which stop and start children on purpose and say what they did)
        stack.watchChildren(services);
        if (playScenario) {
            try {
                new ExchangeScenario(ExchangeScenario.Settings.full(), root.resolve(SCENARIO), crossingRoad(root),
                        topology.urls(8081), topology.urls(8082), topology.urls(8083),
                        new DemoAccounts(stack.identity), mail, System.out).play();
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

    /**
     * The mail sink speaks TLS from the first byte (SMTPS) with a certificate for 127.0.0.1 from the data folder's
     * secrets, and reunification trusts only that certificate ({@link #mailArguments}): alerts reach it as they reach a
     * real mail server, encrypted, from a service that checks whom it talks to.
     *
     * @param withOutages the sink sits behind a relay on the mail port that the fault-injection run can take away
     */
    private GreenMail startMailSink(boolean withOutages) throws IOException, InterruptedException {
        KafkaCredentials secrets = KafkaCredentials.loadOrCreate(dataDir);
        // GreenMail reads its TLS key from these properties, once per JVM
        System.setProperty("greenmail.tls.keystore.file", secrets.mailSinkKeystore().toString());
        System.setProperty("greenmail.tls.keystore.password", secrets.keystorePassword());
        int sinkPort = withOutages ? SMTP_PORT + 1 : SMTP_PORT;
        GreenMail mail = new GreenMail(new ServerSetup(sinkPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        mail.start();
        started.push(mail::stop);
        if (withOutages) {
            mailOutage = new MailOutage(SMTP_PORT, sinkPort);
            started.push(mailOutage);
        }
        return mail;
    }

    /** The relay in front of the mail sink, when the fault-injection run may take the mail server away; else null. */
    MailOutage mailOutage() {
        return mailOutage;
    }

    private List<ServiceProcess> startAll() throws Exception {
        System.out.println("Starting Kafka (KRaft), then the Apicurio registry on it, and Keycloak beside them ...");
        // The identity provider starts beside the broker and the registry; the services need it only for the
        // first request with a token, the scenario before its first call.
        KeycloakProcess[] keycloak = new KeycloakProcess[1];
        RuntimeException[] identityFailure = new RuntimeException[1];
        Thread identityStarter = new Thread(() -> {
            try {
                keycloak[0] = startIdentity(logDir, Duration.ofMinutes(10));
            } catch (RuntimeException e) {
                identityFailure[0] = e;
            }
        }, "start-keycloak");
        Thread jarExtraction = new Thread(() -> modules.forEach(module -> ServiceProcess.prepare(module, root)),
                "extract-service-jars");
        long begin = System.nanoTime();
        identityStarter.start();
        jarExtraction.start();
        // three JVMs that must find each other take longer on two cores than one
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir, logDir, topology,
                Duration.ofSeconds(topology.brokers() > 1 ? 600 : 180), children);
        started.push(broker);
        this.broker = broker;
        System.out.printf("  Kafka ready after %.1f s%n", seconds(begin));
        // The registry keeps its schemas in Kafka (KafkaSQL), so it starts once the broker is up: its journal
        // topics are provisioned as the super user, and the registry reads and writes them as its own principal.
        registry = startRegistry(logDir);
        started.push(registry);
        System.out.printf("  registry ready after %.1f s%n", seconds(begin));
        identityStarter.join();
        System.out.printf("  Keycloak ready after %.1f s%n", seconds(begin));
        if (identityFailure[0] != null) {
            throw identityFailure[0];
        }
        identity = keycloak[0];
        started.push(identity);
        // Only this step writes to the registry; the services may only read it
        RegistryAccess.provisionSchemas(registry.url());

        jarExtraction.join();
        System.out.println("Starting the services ...");
        List<ServiceProcess> services = new ArrayList<>();
        // Instance by instance: the first of each service ready before the second starts, so two cores are not asked
        // to start eight JVMs at once.
        for (int instance = 1; instance <= topology.instances(); instance++) {
            List<ServiceProcess> wave = new ArrayList<>();
            for (String module : modules) {
                ServiceProcess service = startService(module, instance, logDir);
                started.push(service);
                wave.add(service);
            }
            for (ServiceProcess service : wave) {
                service.awaitReady(Duration.ofSeconds(600));
                System.out.printf("  %s ready after %.1f s%n", service.name(), seconds(begin));
            }
            services.addAll(wave);
        }
        return services;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * Its Kafka credentials and its sign-in client's secret: in the environment, where other users of the machine cannot
     * read it (a command-line argument shows in everyone's {@code ps}). The secret is the local realm's demo one.
     */
    private Map<String, String> consoleEnvironment(KafkaCredentials credentials) {
        Map<String, String> environment = new LinkedHashMap<>(credentials.springEnvironment(TopicAccess.CONSOLE));
        environment.put("HOMECOMING_CONSOLE_LOGIN_CLIENT_SECRET", "ops-console-local-secret");
        return environment;
    }

    /** Its Kafka credentials and its contact-data keys (a KEK outside Kafka, a vault in its state directory). */
    private Map<String, String> reunificationEnvironment(KafkaCredentials credentials) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>(credentials.springEnvironment(TopicAccess.REUNIFICATION));
        try {
            environment.putAll(ContactDataKeys.loadOrCreate(dataDir));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make the contact-data keystore", e);
        }
        return environment;
    }

    RegistryProcess startRegistry(Path logs) throws IOException {
        Path home = registryHome().toAbsolutePath();
        return RegistryProcess.start(home, REGISTRY_PORT, broker.bootstrap(),
                broker.credentials().clientProperties(KafkaCredentials.ADMIN), broker.credentials().writeRegistryConfig(),
                RegistryAccess.authentication(), logs.resolve("registry.log"), Duration.ofSeconds(180),
                // its command line runs the jar in its home
                pid -> children.record("schema registry", pid, home.toString()));
    }

    /** Starts the registry again after a crash: its schemas are in its journal topics on the broker. */
    RegistryProcess restartRegistry(Path logs) throws IOException {
        registry = startRegistry(logs);
        return registry;
    }

    /** Starts the broker again on the same data (after a crash): the same credentials, topics and ACLs. */
    KafkaBrokerProcess restartBroker(Path logs) throws IOException, InterruptedException {
        broker = KafkaBrokerProcess.start(dataDir, logs, topology, Duration.ofSeconds(180), children);
        return broker;
    }

    /** Starts Keycloak again after a crash, on the same port and database: the realm, its keys and users are kept. */
    KeycloakProcess restartIdentity(Path logs) {
        identity = startIdentity(logs, Duration.ofMinutes(5));
        return identity;
    }

    private KeycloakProcess startIdentity(Path logs, Duration timeout) {
        Path home = keycloakHome().toAbsolutePath();
        return KeycloakProcess.start(home, root.resolve("local-stack/src/main/resources/identity/homecoming-realm.json"),
                IDENTITY_PORT, dataDir, logs.resolve("keycloak.log"), timeout,
                // its command line runs the home's kc.sh
                pid -> children.record("Keycloak", pid, home.toString()));
    }

    /** Starts a process again after the launch (a supervisor, after a kill): see {@link StartedProcesses#restart}. */
    <T extends AutoCloseable> Optional<T> restart(Callable<T> start) throws Exception {
        return started.restart(start);
    }

    /** Whether Ctrl-C (or the end of a run) has begun stopping everything: nothing is to be started again. */
    boolean stopping() {
        return started.stopping();
    }

    KafkaBrokerProcess broker() {
        return broker;
    }

    RegistryProcess registry() {
        return registry;
    }

    KeycloakProcess identity() {
        return identity;
    }

    Path root() {
        return root;
    }

    Path dataDir() {
        return dataDir;
    }

    Topology topology() {
        return topology;
    }

    ServiceProcess startService(String module, Path logDir) throws IOException {
        return startService(module, 1, logDir);
    }

    /** Instance {@code instance} (from 1) of {@code module}: its own port, Kafka client ids and state (see {@link ServiceInstances}). */
    ServiceProcess startService(String module, int instance, Path logDir) throws IOException {
        KafkaCredentials credentials = broker.credentials();
        List<String> reunificationArgs = new ArrayList<>(mailArguments(credentials));
        reunificationArgs.addAll(runArguments);
        ServiceInstances instances = new ServiceInstances(topology);
        String bootstrap = broker.bootstrap();
        int port = Topology.port(firstPort(module), instance);
        ServiceProcess service = switch (module) {
            case "roster-service" -> ServiceProcess.start(module, instance, port, bootstrap, root, logDir,
                    dataDir, instances.arguments(module, instance, runArguments), credentials.springEnvironment(TopicAccess.ROSTER));
            case "transport-service" -> ServiceProcess.start(module, instance, port, bootstrap, root, logDir,
                    dataDir, instances.arguments(module, instance, runArguments), credentials.springEnvironment(TopicAccess.TRANSPORT));
            case "reunification-service" -> ServiceProcess.start(module, instance, port, bootstrap, root,
                    logDir, dataDir, instances.arguments(module, instance, reunificationArgs),
                    reunificationEnvironment(credentials));
            case "ops-console" -> ServiceProcess.start(module, instance, port, bootstrap, root, logDir,
                    dataDir, instances.arguments(module, instance, runArguments), consoleEnvironment(credentials));
            default -> throw new IllegalArgumentException("Unknown service " + module);
        };
        children.record(service.name(), service.pid(), ServiceProcess.jarName(module));
        return service;
    }

    /** The port of a service's first instance (see {@link Topology#port} for the others). */
    static int firstPort(String module) {
        return switch (module) {
            case "ops-console" -> 8080;
            case "roster-service" -> 8081;
            case "transport-service" -> 8082;
            case "reunification-service" -> 8083;
            default -> throw new IllegalArgumentException("Unknown service " + module + "; the services are " + ALL_SERVICES);
        };
    }

    /** Reunification's way to the mail sink: TLS from the first byte, trusting the sink's certificate only. */
    private static List<String> mailArguments(KafkaCredentials credentials) {
        return List.of("--spring.mail.host=127.0.0.1", "--spring.mail.port=" + SMTP_PORT,
                "--reunification.delivery.email.encryption=TLS", "--spring.mail.ssl.bundle=mail-sink",
                "--spring.ssl.bundle.pem.mail-sink.truststore.certificate=" + credentials.mailSinkCertificate().toUri());
    }

    private Path keycloakHome() {
        return Path.of(System.getProperty(KeycloakProcess.HOME_PROPERTY,
                root.resolve("target").resolve("keycloak").resolve("keycloak-26.7.3").toString()));
    }

    private Path registryHome() {
        return Path.of(System.getProperty(RegistryProcess.HOME_PROPERTY,
                root.resolve("target").resolve("apicurio-registry").toString()));
    }

    private void printReady(List<ServiceProcess> services, long readyMillis) {
        System.out.printf("%nHomecoming is ready in %.1f s%n", readyMillis / 1000.0);
        System.out.printf("  %-22s %s  (SASL_SSL, SCRAM-SHA-512; the CA is %s)%n", "Kafka (KRaft)",
                broker.bootstrap(), root.relativize(broker.credentials().caCertificate()));
        if (topology.clustered()) {
            System.out.printf("  %-22s %d KRaft nodes (broker and controller each), replication factor %d, min.insync.replicas %d;"
                            + " %d instance(s) of each service%n", "Topology", broker.nodes(), broker.replicationFactor(),
                    broker.minInsyncReplicas(), topology.instances());
        }
        System.out.printf("  %-22s http://127.0.0.1:%d/apis/ccompat/v7  (partner reads with %s)%n", "Schema registry",
                REGISTRY_PORT, RegistryAccess.partnerSettings());
        System.out.printf("  %-22s 127.0.0.1:%d (GreenMail; SMTPS, its certificate %s)%n", "Mail sink", SMTP_PORT,
                root.relativize(broker.credentials().mailSinkCertificate()));
        System.out.printf("  %-22s %s (OIDC issuer; its administrator %s, the password in %s)%n", "Identity (Keycloak)",
                identity.issuer(), KeycloakProcess.ADMIN, root.relativize(KeycloakProcess.adminPasswordFile(dataDir)));
        try {
            Path partner = broker.credentials().writePartnerConfig(broker.bootstrap());
            System.out.printf("  %-22s principal %s, may write %s, for the buses whose manifest names it (client settings"
                    + " with its password: %s)%n", "Kafka partner (demo)", KafkaCredentials.DEMO_PARTNER,
                    Topics.busPositionIntake(KafkaCredentials.DEMO_PARTNER).name(), root.relativize(partner));
        } catch (java.io.IOException e) {
            System.err.println("Cannot write the demo partner's Kafka settings: " + e.getMessage());
        }
        for (ServiceProcess service : services) {
            System.out.printf("  %-22s %s  (API docs %s/swagger-ui.html, log %s)%n", service.name(), service.url(),
                    service.url(), root.relativize(service.log()));
        }
    }

    /** The demo accounts exist only in the local realm; every API call needs a token from one of them. */
    private void printAccounts() {
        System.out.printf("%nDemo accounts (local realm only; users' password: %s, through client %s):%n",
                DemoAccounts.PASSWORD, DemoAccounts.CLI_CLIENT);
        for (DemoAccounts.Account account : DemoAccounts.ALL) {
            System.out.printf("  %-20s %s%n", account.role(), account.isClient()
                    ? "client " + account.clientId() + " / secret " + account.clientSecret()
                    : "user " + account.username());
        }
        System.out.printf("  %-20s sign in at http://127.0.0.1:8080 as demo-ops%n", "ops console");
        System.out.printf("  A token: curl -s -d grant_type=password -d client_id=%s -d username=demo-caseworker -d password=%s \\%n"
                + "             %s/protocol/openid-connect/token%n", DemoAccounts.CLI_CLIENT, DemoAccounts.PASSWORD, identity.issuer());
    }

    /** Reports any of the stack's processes that stops on its own from now on (see {@link ChildWatch}). */
    private void watchChildren(List<ServiceProcess> services) {
        for (int node = 1; node <= broker.nodes(); node++) {
            watch.watch(broker.nodes() == 1 ? "Kafka" : "Kafka node " + node, broker.pid(node),
                    logDir.resolve(broker.nodes() == 1 ? "kafka.log" : "kafka-" + node + ".log"));
        }
        watch.watch("The schema registry", registry.pid(), logDir.resolve("registry.log"));
        watch.watch("Keycloak", identity.pid(), logDir.resolve("keycloak.log"));
        services.forEach(service -> watch.watch(service.name(), service.pid(), service.log()));
    }

    private void stop() {
        started.stopAll();
    }

    static CrossingRoad crossingRoad(Path root) throws IOException {
        try (InputStream geoJson = Files.newInputStream(root.resolve(CROSSING))) {
            return CrossingRoad.fromGeoJson(geoJson);
        }
    }

    /**
     * Takes the data folder for this launcher, checks that the stack's ports are free and only then, on {@code --wipe},
     * deletes what the folder holds: a stack still running on it (a launcher, or the children of one killed with
     * {@code kill -9}) keeps its data. A refusal leaves the folder to others again. {@link StartCheck} runs the same
     * check before the build.
     *
     * @throws IllegalStateException if another launcher holds the folder or a port is taken, saying which
     */
    static DataFolder takeDataFolder(Path dataDir, StackPorts ports, boolean wipe) throws IOException {
        DataFolder folder = DataFolder.claim(dataDir);
        try {
            ports.requireFree();
            if (wipe) {
                System.out.println("Wiping " + dataDir + " (--wipe) ...");
                folder.wipe();
            }
            return folder;
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /** The checkout the launcher runs from ({@code homecoming.root}, set by run-local-stack). */
    static Path checkoutRoot() {
        return Path.of(System.getProperty("homecoming.root", ".")).toAbsolutePath().normalize();
    }

    /** {@code --data-dir=DIR}, from {@code root}; {@code .local-stack} by default. */
    static Path dataDir(Path root, String[] args) {
        return root.resolve(option(args, "--data-dir=", ".local-stack")).toAbsolutePath().normalize();
    }

    /** {@code --fault-injection[=SCALE]}: the scenario at SCALE times stage 1 (default 10) while processes are killed; else null. */
    private static String faultInjection(String[] args) {
        return flag(args, "--fault-injection") ? "10" : option(args, "--fault-injection=", null);
    }

    private static List<String> modules(String[] args) {
        return List.of(option(args, "--services=", String.join(",", ALL_SERVICES)).split(","));
    }

    private static Topology topology(String[] args) {
        return Topology.of(option(args, "--brokers=", null), option(args, "--instances=", null));
    }

    /** The fault-injection run (one of each service) can take the mail server away for a while: see {@link MailOutage}. */
    private static boolean mailOutages(String[] args, Topology topology) {
        return faultInjection(args) != null && !topology.clustered();
    }

    /**
     * Every port the launch of {@code args} listens on ({@code --brokers}, {@code --instances}, {@code --services} and
     * {@code --fault-injection} decide which).
     *
     * @throws IllegalArgumentException on an unknown service or a number that is none
     */
    static StackPorts ports(String[] args) {
        Topology topology = topology(args);
        return StackPorts.of(topology, modules(args), mailOutages(args, topology));
    }

    /**
     * What a refused start prints: why, and the processes a launcher on the folder started that still run (one killed
     * with {@code kill -9} left them), with the command that stops them.
     */
    static String refusal(Path dataDir, RuntimeException refused) {
        return "The local stack did not start: " + refused.getMessage() + RecordedChildren.in(dataDir).stillRunningNote();
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

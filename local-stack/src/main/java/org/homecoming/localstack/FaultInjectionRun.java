package org.homecoming.localstack;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.icegreen.greenmail.util.GreenMail;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.localstack.faults.FaultSchedule;
import org.homecoming.localstack.faults.FaultSchedule.Planned;
import org.homecoming.localstack.faults.FaultSchedule.Target;
import org.homecoming.localstack.faults.History;
import org.homecoming.localstack.faults.HistoryChecker;
import org.homecoming.localstack.faults.Invariant;
import org.homecoming.localstack.faults.MailOutage;
import org.homecoming.synthetic.lists.ScenarioLists;

/**
 * The fault-injection run ({@code ./run-local-stack --fault-injection[=SCALE] --wipe --exit-after-scenario}): the
 * exchange scenario at SCALE times stage 1 (10: 3,900 persons each way, 80 buses, 500 inquiries) while
 * {@link FaultSchedule#STANDARD} kills each service, the registry and the broker with SIGKILL at the moments where a
 * crash can lose or double something, and takes the mail server away for a while during the hand-overs. A supervisor starts whatever died again on its data; the scenario player
 * re-sends every request that failed meanwhile (each endpoint is idempotent). One poison record is put on a
 * partner's topic. Each service is killed again while the identity provider is away, and the provider comes back
 * only once all three are ready: each must then serve a caller signed in before the outage and refuse a forged token
 * ({@link SignedInProbe}).
 * Then the {@link HistoryChecker} reads the whole history, and the run prints the faults and the invariants; it exits 0
 * only when every fault was injected and recovered from, each service answered as it must, and every invariant holds.
 */
final class FaultInjectionRun {

    /** How long a REST call or a tracker's batch keeps being re-sent while its service is away. */
    static final Duration PATIENCE = Duration.ofMinutes(6);
    static final String POISON_KEY = "fault-injection-poison";
    /** The demo partner's own intake topic, the only one its credentials may write. */
    static final Topic<String, BusPositionReported> INTAKE = Topics.busPositionIntake(KafkaCredentials.DEMO_PARTNER);

    private final LocalStack stack;
    private final int scale;
    private final GreenMail mail;
    private final Map<Target, ServiceProcess> services = new ConcurrentHashMap<>();
    private final FaultSchedule schedule = new FaultSchedule(FaultSchedule.STANDARD);
    private final ScenarioProgress progress;
    private final List<String> unplannedDeaths = new CopyOnWriteArrayList<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private final Instant start = Instant.now();
    private volatile boolean finished;
    private volatile DemoAccounts accounts;
    /** Each service's signed-in caller's token, fetched before the identity provider is killed, as its caller holds one. */
    private final Map<Target, Supplier<String>> signedIn = new ConcurrentHashMap<>();
    /** What each service, started again while the identity provider was away, answered (absent until it was asked). */
    private final Map<Target, SignedInProbe.Answers> withoutIdentity = new ConcurrentHashMap<>();
    private final Map<Target, String> withoutIdentityFailures = new ConcurrentHashMap<>();
    /** Cleared when the run is over: the launcher then stops everything, and nothing is to be started again. */
    private volatile boolean supervising = true;

    FaultInjectionRun(LocalStack stack, int scale, List<ServiceProcess> running, GreenMail mail) {
        this.stack = stack;
        this.scale = scale;
        this.mail = mail;
        this.progress = new ScenarioProgress(mail);
        for (ServiceProcess service : running) {
            switch (service.name()) {
                case "roster-service" -> services.put(Target.ROSTER, service);
                case "transport-service" -> services.put(Target.TRANSPORT, service);
                case "reunification-service" -> services.put(Target.REUNIFICATION, service);
                default -> { } // the console is not killed, and not restarted
            }
        }
    }

    /** Plays, injects, checks; the exit status of the launcher. */
    int run() throws Exception {
        try {
            return playInjectAndCheck();
        } finally {
            // whatever happened, the launcher now stops everything: nothing is to be started again
            supervising = false;
            Api.observer = null;
        }
    }

    private int playInjectAndCheck() throws Exception {
        System.out.printf("%n== Fault-injection run at %d times stage 1: %d persons per side, %d buses, %d inquiries%n",
                scale, 390 * scale, 8 * scale, 50 * scale);
        Path scenario = stack.dataDir().resolve("scenario-x" + scale);
        ScenarioLists.writeScaled(scenario, scale,
                Files.readString(stack.root().resolve(LocalStack.SCENARIO).resolve("rounds.json"), StandardCharsets.UTF_8));
        Api.patience = PATIENCE;
        Api.observer = progress;
        progress.away = schedule::away;
        accounts = new DemoAccounts(stack.identity()); // before the supervisors, which ask roster with its tokens
        for (Target target : Target.values()) {
            if (target != Target.MAIL) {
                daemon("supervise-" + target, () -> supervise(target));
            }
        }
        Thread injector = daemon("fault-injector", this::inject);
        List<History.DeadLetter> poison = List.of(injectPoison());

        ExchangeScenario.Settings settings = new ExchangeScenario.Settings(8 * scale, 49, 50 * scale - 2, 900, PATIENCE);
        String scenarioFailure = null;
        try {
            new ExchangeScenario(settings, scenario, LocalStack.crossingRoad(stack.root()), "http://127.0.0.1:8081",
                    "http://127.0.0.1:8082", "http://127.0.0.1:8083", accounts, mail, progress.tap(System.out)).play();
        } catch (Exception e) {
            scenarioFailure = e.toString();
            System.err.println("The scenario stopped: " + e);
        }
        finished = true;
        injector.join(Duration.ofMinutes(10).toMillis());
        awaitRecovery(Duration.ofMinutes(10));
        progress.awaitQuietMail();

        History.Acknowledged acknowledged = progress.acknowledged();
        History history = new HistoryReader(stack.broker().clientConfig(KafkaCredentials.ADMIN))
                .readOnceDelivered(mail, acknowledged, poison, Duration.ofMinutes(3));
        List<Invariant> invariants = HistoryChecker.check(history);

        System.out.printf("%n== Faults injected (%d restarts by the supervisor)%n", restarts.get());
        System.out.print(schedule.table(start));
        System.out.printf("%n== Invariants over the whole history: %d list versions, %d listings, %d movements, %d arrivals,"
                        + " %d admissions, %d inquiries, %d match decisions, %d alerts, %d e-mails, %d dead letters,"
                        + " %d records read committed, %d aborted records seen read_uncommitted%n",
                history.listVersions().size(), history.listings().size(), history.movements().size(), history.arrivals().size(),
                history.admissions().size(), history.inquiries().size(), history.matches().size(), history.alerts().size(),
                history.mails().size(), history.deadLetters().size(), history.committed().size(), history.aborted().size());
        System.out.print(HistoryChecker.table(invariants));

        List<String> failures = new ArrayList<>(schedule.violations());
        failures.addAll(unplannedDeaths);
        System.out.printf("%n== Answers of 5xx to the scenario's requests while each process was away (each then sent again)%n");
        for (Target target : Target.values()) {
            System.out.printf("%-22s %d%n", target.process(), progress.serverErrorsWhileAway(target.process()));
        }
        // Tokens are checked against the provider's last keys, and the registry's answers are remembered with its last
        // token: while the identity provider is away, nothing that was signed in may be refused by a service that is up
        // (a service restarting meanwhile is away itself, and its callers wait for it as for any restart).
        System.out.printf("%n== 5xx answers of services that were up while another process was away%n");
        progress.serverErrorsOfServicesUp().forEach(answer -> System.out.println("   " + answer));
        int refused = progress.refusalsForAnAbsence(Target.IDENTITY.process());
        if (refused > 0) {
            failures.add(refused + " requests were refused by a running service for the identity provider's absence (503"
                    + " identity or registry unavailable, or 500), although their tokens were valid");
        }
        System.out.printf("%n== Each service started again while the identity provider was away%n");
        for (SignedInCheck check : SignedInCheck.EACH_SERVICE) {
            reportStartedWithoutIdentity(check, failures);
        }
        if (scenarioFailure != null) {
            failures.add("the scenario did not finish: " + scenarioFailure);
        }
        invariants.stream().filter(invariant -> !invariant.holds()).forEach(invariant -> failures.add("violated: " + invariant.name()));
        System.out.printf("%nFault-injection run took %ds: %s%n", Duration.between(start, Instant.now()).toSeconds(),
                failures.isEmpty() ? "every fault recovered, every invariant holds" : "FAILED");
        failures.forEach(failure -> System.out.println("  - " + failure));
        return failures.isEmpty() ? 0 : 5;
    }

    /** The moments of {@link FaultSchedule#STANDARD}, in its order: when each fault is due, read from the scenario's progress. */
    private List<Predicate<ScenarioProgress>> moments() {
        return List.of(
                // a list publication: 3,900 rows validated, then one transaction of 3,900 records
                p -> p.inFlightFor("/lists", Duration.ofMillis(250)),
                // half the inquiries registered: each one is matched against every listed person
                p -> p.inquiries.get() >= 25 * scale,
                p -> p.step.startsWith("3."),
                // the first bus has crossed, the others are still on the road
                p -> p.crossed.size() >= 1 && p.crossed.size() < 8 * scale,
                // the buses still on the road, and transport back from its kill long enough to have fetched the keys
                p -> (p.step.startsWith("4.") || p.step.startsWith("5.") || p.step.startsWith("6."))
                        && schedule.backFor(Target.TRANSPORT, Duration.ofSeconds(5), Instant.now()),
                // at once, each service: the provider is started again only once all three are back (see supervise)
                p -> schedule.down(Target.IDENTITY),
                p -> schedule.down(Target.IDENTITY),
                p -> schedule.down(Target.IDENTITY),
                // hand-overs under way and alerts of arrivals being e-mailed (with the identity provider back: a
                // service that starts while it is away has no keys yet to check tokens with)
                p -> p.step.startsWith("6.") && mail.getReceivedMessages().length >= p.mailsAtStep + 10
                        && !schedule.down(Target.IDENTITY),
                // once reunification is back from that kill: the alerts of the hand-overs and admissions then meet it
                p -> (p.step.startsWith("6.") || p.step.startsWith("7.")) && !schedule.down(Target.REUNIFICATION),
                p -> p.step.startsWith("7."));
    }

    private void inject() {
        List<Predicate<ScenarioProgress>> moments = moments();
        for (int i = 0; i < schedule.planned().size(); i++) {
            Planned fault = schedule.planned().get(i);
            Predicate<ScenarioProgress> due = moments.get(i);
            // one fault of a process at a time: the second kill of reunification waits until it is back from the first
            while (schedule.down(fault.target()) || !(due.test(progress) || finished)) {
                pause(50);
            }
            String inFlight = (finished ? "MOMENT MISSED, the scenario had ended; " : "") + progress.describe();
            if (fault.target() == Target.MAIL) {
                takeTheMailServerAway(fault, inFlight);
                continue;
            }
            if (fault.target() == Target.IDENTITY) {
                signInBeforeTheOutage();
            }
            long pid = pid(fault.target());
            schedule.injected(fault, Instant.now(), inFlight);
            System.out.printf("%n   !! kill -9 %s (pid %d) %s%n", fault.target().process(), pid, fault.moment());
            ProcessHandle.of(pid).ifPresent(process -> {
                // Keycloak's pid is its start script's, which runs the server as a child: kill the server itself
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            });
        }
    }

    /**
     * Nothing listens on the mail port for {@link FaultSchedule#MAIL_OUTAGE}, then the server is back. Alerts due
     * meanwhile must wait for it and go out once each afterwards: none given up to the dead-letter topic (an invariant:
     * it holds only the injected poison), none e-mailed twice.
     */
    private void takeTheMailServerAway(Planned fault, String inFlight) {
        MailOutage outage = stack.mailOutage();
        schedule.injected(fault, Instant.now(), inFlight);
        System.out.printf("%n   !! %s %s%n", fault.target().process(), fault.moment());
        outage.begin();
        daemon("mail-outage", () -> {
            pause(FaultSchedule.MAIL_OUTAGE.toMillis());
            outage.end();
            schedule.recovered(Target.MAIL, Instant.now());
            System.out.println("   the mail server is back");
        });
    }

    private long pid(Target target) {
        return switch (target) {
            case REGISTRY -> stack.registry().pid();
            case BROKER -> stack.broker().pid();
            case IDENTITY -> stack.identity().pid();
            case MAIL -> throw new IllegalArgumentException("the mail server is not a process of its own");
            default -> services.get(target).pid();
        };
    }

    /** The supervisor of one process: when it has died, start it again on the same data and wait until it is ready. */
    private void supervise(Target target) {
        while (true) {
            long pid;
            try {
                pid = pid(target);
            } catch (RuntimeException notStarted) {
                return; // a service this run did not start
            }
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                pause(250);
            }
            if (!supervising || stack.stopping()) {
                return;
            }
            boolean planned = schedule.down(target);
            if (!planned) {
                unplannedDeaths.add(target.process() + " died without being killed (pid " + pid + ")");
            }
            if (target == Target.IDENTITY) {
                startedWithoutIdentity();
            }
            Path logs = stack.dataDir().resolve("logs").resolve("restart-" + restarts.incrementAndGet());
            System.out.printf("   supervisor: %s died; starting it again (log in %s)%n", target.process(), stack.root().relativize(logs));
            try {
                Optional<? extends AutoCloseable> restarted = switch (target) {
                    case REGISTRY -> stack.restart(() -> stack.restartRegistry(logs));
                    case BROKER -> stack.restart(() -> stack.restartBroker(logs));
                    case IDENTITY -> stack.restart(() -> stack.restartIdentity(logs));
                    default -> stack.restart(() -> stack.startService(services.get(target).name(), logs));
                };
                if (restarted.isEmpty()) {
                    return; // the launcher is stopping everything
                }
                if (restarted.get() instanceof ServiceProcess service) {
                    services.put(target, service);
                    service.awaitReady(Duration.ofMinutes(10));
                }
                schedule.recovered(target, Instant.now());
                System.out.printf("   supervisor: %s is back%n", target.process());
            } catch (Exception e) {
                unplannedDeaths.add(target.process() + " could not be started again: " + e.getMessage());
                return;
            }
        }
    }

    /**
     * The callers of each service sign in before the outage and hold their tokens, as officers at work do; each
     * service is asked with its caller's token once it is back.
     */
    private void signInBeforeTheOutage() {
        for (SignedInCheck check : SignedInCheck.EACH_SERVICE) {
            Supplier<String> token = accounts.accessToken(check.caller());
            try {
                token.get();
                signedIn.put(check.service(), token);
            } catch (RuntimeException e) {
                withoutIdentityFailures.put(check.service(), "no " + check.caller().role() + "'s token before the outage: "
                        + e.getMessage());
            }
        }
    }

    /**
     * Holds the identity provider away until every service, killed meanwhile, is ready again, then asks each whether
     * it serves its signed-in caller and refuses a forged token: it checks tokens with the keys it saved before.
     */
    private void startedWithoutIdentity() {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (!FaultSchedule.WITHOUT_IDENTITY.stream().allMatch(schedule::over) && Instant.now().isBefore(deadline)
                && supervising) {
            pause(250);
        }
        for (SignedInCheck check : SignedInCheck.EACH_SERVICE) {
            if (!schedule.over(check.fault())) {
                withoutIdentityFailures.putIfAbsent(check.service(),
                        check.service().process() + " was not back within 8 minutes of the provider's kill");
            } else if (signedIn.containsKey(check.service())) {
                try {
                    withoutIdentity.put(check.service(), SignedInProbe.ask(check.url(), signedIn.get(check.service()).get(),
                            accounts.issuer(), check.service().process(), check.caller().role()));
                } catch (Exception e) {
                    withoutIdentityFailures.putIfAbsent(check.service(), "asking " + check.service().process() + " failed: " + e);
                }
            }
        }
    }

    private void reportStartedWithoutIdentity(SignedInCheck check, List<String> failures) {
        String service = check.service().process();
        SignedInProbe.Answers answers = withoutIdentity.get(check.service());
        if (answers == null) {
            String why = withoutIdentityFailures.getOrDefault(check.service(), "the identity provider was never killed");
            failures.add(service + ", started again while the identity provider was away, was not asked: " + why);
            System.out.printf("%s was not asked: %s%n", service, why);
            return;
        }
        System.out.printf("%s, ready again %s after its kill, before the provider was back: GET %s with a %s's token %d,"
                        + " with a token signed by another key %d%n", service,
                schedule.injected().stream().filter(fault -> fault.planned().equals(check.fault()))
                        .findFirst().flatMap(FaultSchedule.Injected::recovery)
                        .map(took -> "%.1fs".formatted(took.toMillis() / 1000.0)).orElse("?"),
                URI.create(check.url()).getPath(), check.caller().role(), answers.signedIn(), answers.forged());
        if (!answers.asExpected()) {
            failures.add(service + ", started while the identity provider was away, answered " + answers.signedIn()
                    + " to a signed-in " + check.caller().role() + " and " + answers.forged()
                    + " to a forged token (200 and 401 expected)");
        }
    }

    /** What each service is asked after its start without the identity provider, and by whom. */
    private record SignedInCheck(Target service, String url, DemoAccounts.Account caller) {

        static final List<SignedInCheck> EACH_SERVICE = List.of(
                new SignedInCheck(Target.ROSTER, "http://127.0.0.1:8081/api/v1/rounds", DemoAccounts.LIST_OFFICER),
                new SignedInCheck(Target.TRANSPORT, "http://127.0.0.1:8082/api/v1/buses", DemoAccounts.TRANSPORT_OFFICER),
                new SignedInCheck(Target.REUNIFICATION, "http://127.0.0.1:8083/api/v1/alerts/held", DemoAccounts.HOTLINE));

        FaultSchedule.Planned fault() {
            return FaultSchedule.WITHOUT_IDENTITY.stream().filter(planned -> planned.target() == service).findFirst()
                    .orElseThrow();
        }
    }

    private void awaitRecovery(Duration atMost) {
        Instant deadline = Instant.now().plus(atMost);
        while (Instant.now().isBefore(deadline) && Set.of(Target.values()).stream().anyMatch(schedule::down)) {
            pause(500);
        }
    }

    /** A record no service can read, on the demo partner's position topic, as its broken tracker would send it. */
    private History.DeadLetter injectPoison() {
        byte[] garbage = "not a position: {\"lat\": ".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> config = new java.util.HashMap<>(stack.broker().clientConfig(KafkaCredentials.DEMO_PARTNER));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(INTAKE.name(), POISON_KEY, garbage)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot inject the poison record", e);
        }
        System.out.println("   one poison record put on " + INTAKE.name() + " (it must be dead-lettered once)");
        return new History.DeadLetter(INTAKE.deadLetterTopic(), HistoryReader.digest(garbage));
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

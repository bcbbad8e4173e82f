package org.homecoming.localstack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.icegreen.greenmail.util.GreenMail;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.homecoming.localstack.faults.History;
import org.homecoming.localstack.faults.HistoryChecker;
import org.homecoming.localstack.faults.Invariant;
import org.homecoming.localstack.faults.Takeovers;
import org.homecoming.synthetic.lists.ScenarioLists;

/**
 * The failover run ({@code ./run-local-stack --fault-injection[=SCALE] --brokers=3 --instances=2 --wipe
 * --exit-after-scenario}): the scenario at SCALE times stage 1 while the first instance of each service (the one the
 * scenario's callers talk to) and one Kafka node (the active controller) are killed with SIGKILL, and none of them is
 * started again. The callers move to the surviving instances; the survivors must take over the dead instances' work
 * ({@link Takeovers} says what is measured). Then the same {@link HistoryChecker} as the fault-injection run reads the
 * whole history, on the two Kafka nodes left. Exits 0 only when every kill was taken over and every invariant holds.
 */
final class FailoverRun {

    static final Duration PATIENCE = FaultInjectionRun.PATIENCE;
    static final Duration TAKEOVER_LIMIT = Duration.ofMinutes(5);

    /** A kill: whom, at which moment of the scenario. */
    private record Planned(String process, String moment, Predicate<ScenarioProgress> due) {
    }

    private final LocalStack stack;
    private final int scale;
    private final GreenMail mail;
    private final Map<String, ServiceProcess> firstInstances = new HashMap<>();
    private final Takeovers takeovers = new Takeovers();
    private final ScenarioProgress progress;
    private final Instant start = Instant.now();
    private final List<Thread> measurements = new ArrayList<>();
    private volatile boolean finished;

    FailoverRun(LocalStack stack, int scale, List<ServiceProcess> running, GreenMail mail) {
        this.stack = stack;
        this.scale = scale;
        this.mail = mail;
        this.progress = new ScenarioProgress(mail);
        for (ServiceProcess service : running) {
            if (LocalStack.ALL_SERVICES.contains(service.name())) {
                firstInstances.put(service.name(), service); // instance 1 keeps the module's name
            }
        }
    }

    int run() throws Exception {
        try {
            return playKillAndCheck();
        } finally {
            Api.observer = null;
        }
    }

    private int playKillAndCheck() throws Exception {
        Topology topology = stack.topology();
        if (topology.brokers() < 3 || topology.instances() < 2) {
            System.err.println("The failover run needs --brokers=3 --instances=2 (or more): a survivor of each kind");
            return 4;
        }
        System.out.printf("%n== Failover run at %d times stage 1: %d persons per side, %d buses, %d inquiries; %d Kafka nodes,"
                + " %d instances of each service%n", scale, 390 * scale, 8 * scale, 50 * scale, topology.brokers(), topology.instances());
        Path scenario = stack.dataDir().resolve("scenario-x" + scale);
        ScenarioLists.writeScaled(scenario, scale,
                Files.readString(stack.root().resolve(LocalStack.SCENARIO).resolve("rounds.json"), StandardCharsets.UTF_8));
        Api.patience = PATIENCE;
        Api.observer = progress;
        Thread killer = daemon("failover-killer", this::kill);

        ExchangeScenario.Settings settings = new ExchangeScenario.Settings(8 * scale, 49, 50 * scale - 2, 900, PATIENCE);
        String scenarioFailure = null;
        try {
            new ExchangeScenario(settings, scenario, LocalStack.crossingRoad(stack.root()), topology.urls(8081),
                    topology.urls(8082), topology.urls(8083), new DemoAccounts(stack.identity()), mail,
                    progress.tap(System.out)).play();
        } catch (Exception e) {
            scenarioFailure = e.toString();
            System.err.println("The scenario stopped: " + e);
        }
        finished = true;
        killer.join(Duration.ofMinutes(2).toMillis());
        for (Thread measurement : measurements) {
            measurement.join(TAKEOVER_LIMIT.plusSeconds(30).toMillis());
        }
        progress.awaitQuietMail();

        History history = new HistoryReader(stack.broker().clientConfig(KafkaCredentials.ADMIN))
                .readOnceDelivered(mail, progress.acknowledged(), List.of(), Duration.ofMinutes(3));
        List<Invariant> invariants = HistoryChecker.check(history);

        System.out.printf("%n== Kills (%d requests re-sent, %d of them to the other instance)%n", progress.retried.get(),
                progress.movedInstance.get());
        System.out.print(takeovers.table(start));
        System.out.printf("%n== Invariants over the whole history: %d list versions, %d listings, %d movements, %d arrivals,"
                        + " %d admissions, %d inquiries, %d match decisions, %d alerts, %d e-mails, %d dead letters,"
                        + " %d records read committed, %d aborted records seen read_uncommitted%n",
                history.listVersions().size(), history.listings().size(), history.movements().size(), history.arrivals().size(),
                history.admissions().size(), history.inquiries().size(), history.matches().size(), history.alerts().size(),
                history.mails().size(), history.deadLetters().size(), history.committed().size(), history.aborted().size());
        System.out.print(HistoryChecker.table(invariants));

        List<String> failures = new ArrayList<>(takeovers.violations());
        if (takeovers.kills().size() < plan().size()) {
            failures.add("only " + takeovers.kills().size() + " of " + plan().size() + " kills happened");
        }
        if (scenarioFailure != null) {
            failures.add("the scenario did not finish: " + scenarioFailure);
        }
        invariants.stream().filter(invariant -> !invariant.holds()).forEach(invariant -> failures.add("violated: " + invariant.name()));
        System.out.printf("%nFailover run took %ds: %s%n", Duration.between(start, Instant.now()).toSeconds(),
                failures.isEmpty() ? "every kill taken over, every invariant holds" : "FAILED");
        failures.forEach(failure -> System.out.println("  - " + failure));
        return failures.isEmpty() ? 0 : 5;
    }

    /** In the scenario's order; each instance is the first, the one the callers talk to until it dies. */
    private List<Planned> plan() {
        return List.of(
                new Planned("reunification-service", "mid-batch: matching the inquiries being registered",
                        p -> p.inquiries.get() >= 25 * scale),
                new Planned("roster-service", "as the amended list is published", p -> p.step.startsWith("3.")),
                new Planned("Kafka node", "as the buses leave (the active controller)", p -> p.step.startsWith("4.")),
                new Planned("transport-service", "in the middle of the border crossing (some buses crossed, others not)",
                        p -> p.crossed.size() >= 1),
                new Planned("ops-console", "in the middle of the border crossing", p -> p.crossed.size() >= 1));
    }

    private void kill() {
        for (Planned planned : plan()) {
            while (!(planned.due().test(progress) || finished)) {
                pause(50);
            }
            String inFlight = (finished ? "MOMENT MISSED, the scenario had ended; " : "") + progress.describe();
            try {
                if (planned.process().equals("Kafka node")) {
                    killBroker(planned, inFlight);
                } else {
                    killInstance(planned, inFlight);
                }
            } catch (Exception e) {
                System.err.println("   could not kill " + planned.process() + ": " + e);
            }
        }
    }

    private void killInstance(Planned planned, String inFlight) throws Exception {
        ServiceProcess victim = firstInstances.get(planned.process());
        if (victim == null) {
            return; // a service this run did not start
        }
        String clientId = planned.process() + "-1";
        Map<String, Set<String>> groups;
        try (Admin admin = admin()) {
            groups = groupsWithMembersOf(admin, clientId);
        }
        Instant at = Instant.now();
        ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly);
        // A group of its own (every member the dead instance's: a console's per-instance reader) has nothing to hand
        // over: the survivor reads the same with a group of its own.
        Set<String> own = groups.entrySet().stream().filter(group -> group.getValue().stream()
                .allMatch(member -> ofInstance(member, clientId))).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet());
        groups.keySet().removeAll(own);
        String measured = (groups.isEmpty() ? "it was in no shared consumer group"
                : "until its consumer groups " + groups.keySet() + " are stable without it")
                + (own.isEmpty() ? "" : " (groups of its own, nothing to hand over: " + own + ")");
        int kill = takeovers.killed(victim.name() + " (instance 1)", planned.moment(), at, inFlight, measured);
        System.out.printf("%n   !! kill -9 %s instance 1 (pid %d) %s; not started again%n", planned.process(), victim.pid(), planned.moment());
        measure(kill, measured, admin -> groups.isEmpty() || groupsTakenOver(admin, groups.keySet(), clientId));
    }

    private void killBroker(Planned planned, String inFlight) throws Exception {
        KafkaBrokerProcess broker = stack.broker();
        int node;
        Map<String, List<Integer>> led;
        try (Admin admin = admin()) {
            node = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
            led = partitionsLedBy(admin, node);
        }
        Instant at = Instant.now();
        ProcessHandle.of(broker.pid(node)).ifPresent(ProcessHandle::destroyForcibly);
        int partitions = led.values().stream().mapToInt(List::size).sum();
        String measured = "until a new quorum leader and new leaders of the " + partitions + " partitions it led";
        int kill = takeovers.killed("Kafka node " + node + " (controller)", planned.moment(), at, inFlight, measured);
        System.out.printf("%n   !! kill -9 Kafka node %d, the active controller leading %d partitions (pid %d); not started again%n",
                node, partitions, broker.pid(node));
        int dead = node;
        measure(kill, measured, admin -> {
            int leader = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
            return leader >= 0 && leader != dead && partitionsLedBy(admin, dead).values().stream().allMatch(List::isEmpty);
        });
    }

    /** Polls {@code takenOver} in a thread of its own until it holds, or {@link #TAKEOVER_LIMIT} has passed. */
    private void measure(int kill, String measured, AdminCondition takenOver) {
        measurements.add(daemon("takeover-" + kill, () -> {
            Instant deadline = Instant.now().plus(TAKEOVER_LIMIT);
            try (Admin admin = admin()) {
                while (Instant.now().isBefore(deadline)) {
                    try {
                        if (takenOver.holds(admin)) {
                            Instant at = Instant.now();
                            takeovers.tookOver(kill, at, measured);
                            System.out.printf("   taken over: %s%n", takeovers.kills().get(kill).killed());
                            return;
                        }
                    } catch (Exception notYet) {
                        // a request to the dead node, or a group between two generations
                    }
                    pause(200);
                }
            }
            takeovers.notTakenOver(kill, measured + " (not within " + TAKEOVER_LIMIT.toMinutes() + " min)");
        }));
    }

    @FunctionalInterface
    private interface AdminCondition {
        boolean holds(Admin admin) throws Exception;
    }

    /** The consumer groups in which the instance whose client ids start with {@code clientId} has members, and their members. */
    private static Map<String, Set<String>> groupsWithMembersOf(Admin admin, String clientId) throws Exception {
        Collection<GroupListing> listed = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS);
        List<String> ids = listed.stream().map(GroupListing::groupId).toList();
        Map<String, Set<String>> groups = new HashMap<>();
        for (ConsumerGroupDescription group : admin.describeConsumerGroups(ids).all().get(30, TimeUnit.SECONDS).values()) {
            if (group.members().stream().anyMatch(member -> ofInstance(member, clientId))) {
                groups.put(group.groupId(), Set.copyOf(group.members().stream().map(MemberDescription::clientId).toList()));
            }
        }
        return groups;
    }

    private static boolean groupsTakenOver(Admin admin, Set<String> groups, String clientId) throws Exception {
        for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values()) {
            boolean stable = group.groupState() == GroupState.STABLE && !group.members().isEmpty();
            if (!stable || group.members().stream().anyMatch(member -> ofInstance(member, clientId))) {
                return false;
            }
        }
        return true;
    }

    private static boolean ofInstance(MemberDescription member, String clientId) {
        return ofInstance(member.clientId(), clientId);
    }

    private static boolean ofInstance(String memberClientId, String clientId) {
        return memberClientId.equals(clientId) || memberClientId.startsWith(clientId + "-");
    }

    /** Per topic, the partitions whose leader is {@code node} (or that have no leader at all). */
    private static Map<String, List<Integer>> partitionsLedBy(Admin admin, int node) throws Exception {
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
        Map<String, List<Integer>> led = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            List<Integer> partitions = new ArrayList<>();
            for (TopicPartitionInfo partition : topic.partitions()) {
                Node leader = partition.leader();
                if (leader == null || leader.id() == node) {
                    partitions.add(partition.partition());
                }
            }
            led.put(topic.name(), partitions);
        }
        return led;
    }

    private Admin admin() {
        Map<String, Object> config = new HashMap<>(stack.broker().clientConfig(KafkaCredentials.ADMIN));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(config);
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

package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Checks, once at start-up, that the cluster's topics are the catalogue's, and creates the ones that are missing.
 * A topic that exists with other settings (made by hand, by a partner or by an older deployment) stops the start-up
 * with one message that lists every difference and what to do about it; nothing on the cluster is changed.
 *
 * <p>What must match, for each catalogue topic: the partition count, exactly (keys are placed by
 * {@code murmur2(key) % partitions}: with another count a key moves to another partition, a compacted topic then
 * holds two "latest" values of one key, and state kept partition by partition, such as the inquiries a
 * reunification instance owns and the matches and alerts looked up by the inquiry's partition, silently splits);
 * {@code cleanup.policy} (compact for a compacted topic, delete for a history); {@code retention.ms} where the
 * catalogue names one (-1 must be -1: the services rebuild their state from these histories); {@code retention.bytes}
 * where the catalogue bounds a topic's size (partners' intake topics); and {@code min.insync.replicas}, at least
 * {@code homecoming.kafka.topics.min-insync-replicas} when that is set; and as many replicas per partition as the
 * deployment's replication factor (when it names one) and as its {@code min.insync.replicas} (with fewer, every write
 * with {@code acks=all} is refused). A dead-letter topic needs at least its topic's
 * partitions (a record goes to the partition number it came from), the same size bound and the same
 * {@code min.insync.replicas}.
 *
 * <p>It runs as a {@link SmartInitializingSingleton}: after every bean exists and before any listener container,
 * Kafka Streams instance or {@code StartupStep} (the state rebuilds) starts, since those are lifecycle beans, started
 * after every such singleton; so a refusal means that no record was read. A cluster that cannot be reached or described also stops the start-up: a service that cannot tell
 * whether its topics are sound does not read them.
 *
 * <p>Spring's {@link KafkaAdmin} is kept away from the catalogue's topics: it raises the partition count of a
 * declared topic that has fewer (and only logs one that has more), which is the silent re-keying this check exists
 * to stop.
 */
public final class TopicCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);

    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private final Map<String, NewTopic> declared = new LinkedHashMap<>();
    private final int minInsyncReplicas;

    /**
     * @param declared          every catalogue topic and dead-letter topic, as they are created when missing
     * @param minInsyncReplicas the least {@code min.insync.replicas} each must have; 0 or less: not checked
     */
    public TopicCheck(KafkaAdmin kafkaAdmin, Collection<NewTopic> declared, int minInsyncReplicas) {
        this.adminConfig = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        this.timeout = Duration.ofSeconds(kafkaAdmin.getOperationTimeout());
        declared.forEach(topic -> this.declared.put(topic.name(), topic));
        this.minInsyncReplicas = minInsyncReplicas;
        Set<String> catalogue = Set.copyOf(this.declared.keySet());
        // Should anyone declare a catalogue topic as a NewTopic bean, KafkaAdmin would add partitions to it.
        kafkaAdmin.setCreateOrModifyTopic(topic -> !catalogue.contains(topic.name()));
    }

    @Override
    public void afterSingletonsInstantiated() {
        check();
    }

    /** Creates what is missing and throws {@link TopicsDifferFromCatalogue} if an existing topic differs. */
    public void check() {
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, TopicDescription> found = describe(admin, declared.keySet());
            List<Difference> differences = new ArrayList<>();
            List<String> created = new ArrayList<>();
            List<String> raced = new ArrayList<>();
            List<NewTopic> missing = declared.values().stream().filter(topic -> !found.containsKey(topic.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).values().forEach((name, creation) -> {
                    try {
                        creation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        created.add(name);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TopicExistsException) {
                            raced.add(name); // another instance or service created it a moment ago: check it too
                        } else {
                            differences.add(new Difference(name, "existence", "missing", "created",
                                    "this service could not create it (" + e.getCause().getMessage()
                                            + "): create it as the catalogue says"));
                        }
                    } catch (TimeoutException e) {
                        throw unreachable(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted while creating the catalogue's topics", e);
                    }
                });
                found.putAll(describe(admin, raced));
            }
            Map<String, Config> configs = describeConfigs(admin, found.keySet());
            // what is declared is checked: the fixed catalogue topics and, where partners are configured, their intake topics
            for (Topic<?, ?> topic : catalogueTopics()) {
                TopicDescription main = found.get(topic.name());
                if (main != null) {
                    differences.addAll(differences(topic, main.partitions().size(), configs.get(topic.name()), minInsyncReplicas));
                    replicationDifference(topic.name(), fewestReplicas(main), declaredReplicas(topic.name()),
                            configs.get(topic.name()), minInsyncReplicas).ifPresent(differences::add);
                }
                TopicDescription deadLetters = found.get(topic.deadLetterTopic());
                if (deadLetters != null) {
                    differences.addAll(deadLetterDifferences(topic, deadLetters.partitions().size(),
                            configs.get(topic.deadLetterTopic()), minInsyncReplicas));
                    replicationDifference(topic.deadLetterTopic(), fewestReplicas(deadLetters),
                            declaredReplicas(topic.deadLetterTopic()), configs.get(topic.deadLetterTopic()), minInsyncReplicas)
                            .ifPresent(differences::add);
                }
            }
            if (!differences.isEmpty()) {
                throw new TopicsDifferFromCatalogue(differences);
            }
            log.info("The catalogue's {} topics match the cluster ({} created now)", declared.size(), created.size());
        }
    }

    /** The catalogue topics among the declared ones (their dead-letter topics are checked with them). */
    private List<Topic<?, ?>> catalogueTopics() {
        return declared.keySet().stream().map(Topics::find).flatMap(Optional::stream).toList();
    }

    /** How an existing catalogue topic differs from the catalogue; empty when it does not. */
    static List<Difference> differences(Topic<?, ?> topic, int partitions, Config config, int minInsyncReplicas) {
        List<Difference> differences = new ArrayList<>();
        String name = topic.name();
        if (partitions != topic.partitions()) {
            differences.add(new Difference(name, "partitions", Integer.toString(partitions), Integer.toString(topic.partitions()),
                    "recreate the topic with " + topic.partitions() + " partitions and copy its records into it by key."
                            + " Never add partitions to it: keys would move between partitions, and a key's latest value,"
                            + " the inquiries an instance owns and the matches and alerts looked up by partition"
                            + " would silently split"));
        }
        String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        String expectedPolicy = topic.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
        if (!Set.of(expectedPolicy).equals(policies(policy))) {
            differences.add(new Difference(name, TopicConfig.CLEANUP_POLICY_CONFIG, policy, expectedPolicy,
                    alterConfig(name, TopicConfig.CLEANUP_POLICY_CONFIG, expectedPolicy) + ", after checking what it lost: "
                            + (topic.compacted()
                            ? "deletion may already have removed the latest value of keys not written since"
                            : "compaction may already have removed all but the latest record of each key from this history")));
        }
        topic.retention().ifPresent(retention -> {
            String found = value(config, TopicConfig.RETENTION_MS_CONFIG);
            String expected = Long.toString(retention.toMillis());
            if (!expected.equals(found)) {
                differences.add(new Difference(name, TopicConfig.RETENTION_MS_CONFIG, found, expected,
                        alterConfig(name, TopicConfig.RETENTION_MS_CONFIG, expected)
                                + (retention.isNegative() ? ", after checking that no record has expired yet: the services"
                                + " rebuild their state from this history, and what expired is forgotten (a list, a"
                                + " rejection, an alert already sent)" : "")));
            }
        });
        sizeDifference(topic, name, config).ifPresent(differences::add);
        minInsyncDifference(name, config, minInsyncReplicas).ifPresent(differences::add);
        return differences;
    }

    /** How a topic bounded in size ({@link Topic#bytesPerPartition}), or its dead-letter topic, differs from the bound. */
    private static Optional<Difference> sizeDifference(Topic<?, ?> topic, String name, Config config) {
        if (topic.bytesPerPartition().isEmpty()) {
            return Optional.empty();
        }
        String expected = Long.toString(topic.bytesPerPartition().get());
        String found = value(config, TopicConfig.RETENTION_BYTES_CONFIG);
        if (expected.equals(found)) {
            return Optional.empty();
        }
        return Optional.of(new Difference(name, TopicConfig.RETENTION_BYTES_CONFIG, found, expected,
                alterConfig(name, TopicConfig.RETENTION_BYTES_CONFIG, expected)
                        + " (without it a partner's flood is bounded by nothing but the broker's disk)"));
    }

    /** How a catalogue topic's dead-letter topic differs from what it needs; empty when it does not. */
    static List<Difference> deadLetterDifferences(Topic<?, ?> topic, int partitions, Config config, int minInsyncReplicas) {
        List<Difference> differences = new ArrayList<>();
        String name = topic.deadLetterTopic();
        if (partitions < topic.partitions()) {
            differences.add(new Difference(name, "partitions", Integer.toString(partitions), "at least " + topic.partitions(),
                    "kafka-topics.sh --alter --topic " + name + " --partitions " + topic.partitions()
                            + " (safe for a dead-letter topic, which keys no state: a record is dead-lettered to the"
                            + " partition number it came from, and there is none above " + (partitions - 1) + ")"));
        }
        sizeDifference(topic, name, config).ifPresent(differences::add);
        minInsyncDifference(name, config, minInsyncReplicas).ifPresent(differences::add);
        return differences;
    }

    /**
     * How a topic's replication differs from what it needs: fewer replicas than the deployment declares (a topic made
     * by hand, or by an earlier single-broker deployment, on a cluster meant to lose a broker without losing a write),
     * or fewer than its own {@code min.insync.replicas} (or the configured least), when no write with {@code acks=all}
     * can ever succeed and every service's publication fails. Empty when neither.
     *
     * @param replicas          the fewest replicas of any of its partitions
     * @param declaredReplicas  the replication factor this deployment creates topics with; 0 or less: the broker's default,
     *                          not checked
     */
    static Optional<Difference> replicationDifference(String name, int replicas, int declaredReplicas, Config config,
                                                      int minInsyncReplicas) {
        String configured = value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        int inSync = Math.max(minInsyncReplicas, configured == null ? 1 : Integer.parseInt(configured));
        int needed = Math.max(declaredReplicas, inSync);
        if (replicas >= needed) {
            return Optional.empty();
        }
        return Optional.of(new Difference(name, "replicas", Integer.toString(replicas), "at least " + needed,
                "kafka-reassign-partitions.sh --execute with a plan that gives each partition " + needed + " replicas"
                        + (replicas < inSync ? " (fewer than min.insync.replicas " + inSync + ": every write to it is refused)"
                        : " (with fewer, losing one broker can lose what was written to it)")));
    }

    private static int fewestReplicas(TopicDescription description) {
        return description.partitions().stream().mapToInt(partition -> partition.replicas().size()).min().orElse(0);
    }

    private int declaredReplicas(String name) {
        NewTopic topic = declared.get(name);
        return topic == null ? 0 : topic.replicationFactor();
    }

    private static Optional<Difference> minInsyncDifference(String name, Config config, int minInsyncReplicas) {
        if (minInsyncReplicas <= 0) {
            return Optional.empty();
        }
        String found = value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        if (found != null && Integer.parseInt(found) >= minInsyncReplicas) {
            return Optional.empty();
        }
        String expected = Integer.toString(minInsyncReplicas);
        return Optional.of(new Difference(name, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, found, "at least " + expected,
                alterConfig(name, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, expected)
                        + " (with fewer, losing one broker can lose a write that was acknowledged)"));
    }

    private static String alterConfig(String topic, String setting, String value) {
        return "kafka-configs.sh --alter --entity-type topics --entity-name " + topic + " --add-config " + setting + "=" + value;
    }

    private static String value(Config config, String setting) {
        ConfigEntry entry = config == null ? null : config.get(setting);
        return entry == null ? null : entry.value();
    }

    private static Set<String> policies(String policy) {
        return policy == null ? Set.of() : Arrays.stream(policy.split(",")).map(String::trim).filter(part -> !part.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The descriptions of the topics among {@code names} that exist. */
    private Map<String, TopicDescription> describe(Admin admin, Collection<String> names) {
        Map<String, TopicDescription> found = new HashMap<>();
        if (names.isEmpty()) {
            return found;
        }
        for (Map.Entry<String, KafkaFuture<TopicDescription>> description : admin.describeTopics(names).topicNameValues().entrySet()) {
            try {
                found.put(description.getKey(), description.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Cannot describe " + description.getKey() + " to check it against the"
                            + " topic catalogue (this service's principal needs Describe on every catalogue topic)", e.getCause());
                }
            } catch (TimeoutException e) {
                throw unreachable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while describing the catalogue's topics", e);
            }
        }
        return found;
    }

    private Map<String, Config> describeConfigs(Admin admin, Collection<String> names) {
        List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        try {
            Map<String, Config> configs = new HashMap<>();
            admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((resource, config) -> configs.put(resource.name(), config));
            return configs;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read the catalogue topics' settings to check them (this service's"
                    + " principal needs DescribeConfigs on every catalogue topic)", e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the catalogue topics' settings", e);
        }
    }

    private IllegalStateException unreachable(TimeoutException e) {
        return new IllegalStateException("Cannot check the catalogue's topics: the cluster at "
                + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + " did not answer within " + timeout.toSeconds()
                + " s. The service does not start on topics it could not check.", e);
    }

    /** One setting of one topic that is not what the catalogue says, and what an operator can do about it. */
    public record Difference(String topic, String setting, String found, String expected, String remedy) {

        @Override
        public String toString() {
            return topic + ": " + setting + " is " + found + ", the catalogue says " + expected + ". To fix: " + remedy + ".";
        }
    }

    /**
     * The start-up refusal. Config differences are refused, not fixed with alterConfigs, although Kafka could apply
     * them in place:
     * <ul>
     *   <li>a finite retention or the wrong cleanup policy may already have removed records; setting it right from
     *       here would let the service rebuild its state from a history with holes, unnoticed, which is the harm this
     *       check exists to stop. Only an operator can tell whether anything is gone and restore it;</li>
     *   <li>a setting someone chose on purpose (an operator, a partner's cluster) should not be reverted behind their
     *       back by whichever service starts next, and the secured stacks give services no right to alter topics;</li>
     *   <li>on exchange day the message below is one command per line and a restart, and the change is the
     *       operator's, on record, not a service's side effect.</li>
     * </ul>
     */
    public static final class TopicsDifferFromCatalogue extends IllegalStateException {

        private final transient List<Difference> differences;

        TopicsDifferFromCatalogue(List<Difference> differences) {
            super(report(differences));
            this.differences = List.copyOf(differences);
        }

        public List<Difference> differences() {
            return differences;
        }

        private static String report(List<Difference> differences) {
            return differences.size() + (differences.size() == 1 ? " Kafka topic setting differs" : " Kafka topic settings differ")
                    + " from the topic catalogue (org.homecoming.catalogue.Topics); the service will not start on these topics,"
                    + " and nothing on the cluster was changed:\n"
                    + differences.stream().map(difference -> "  - " + difference).collect(Collectors.joining("\n"))
                    + "\nRecreate the topic or fix its config as each line says (kafka-topics.sh and kafka-configs.sh also need"
                    + " --bootstrap-server and, on a secured cluster, --command-config), then start the service again.";
        }
    }
}

package org.homecoming.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The three topics in which Apicurio's KafkaSQL storage keeps the registry: its journal, its snapshots and its
 * change events. They are not in the catalogue because no Homecoming service writes or reads them; the registry
 * does. They must never expire: journal records carry no schema ids, so a registry that replays a journal whose
 * oldest records are gone numbers the schemas differently, and every record already on Kafka would then decode
 * with the wrong schema. Apicurio would create them with 7 days of retention, so they are created (or corrected)
 * here before the registry starts. One partition each: the registry replays its journal in order.
 */
public final class RegistryJournal {

    public static final String JOURNAL = "kafkasql-journal";
    public static final String SNAPSHOTS = "kafkasql-snapshots";
    public static final String EVENTS = "registry-events";
    public static final List<String> TOPICS = List.of(JOURNAL, SNAPSHOTS, EVENTS);

    /** Kafka reads -1 as "no limit"; a history that is compacted or deleted would lose registrations. */
    static final Map<String, String> FOREVER = Map.of(
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1",
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);

    private RegistryJournal() {
    }

    /** Creates the registry's topics with infinite retention, or sets it on topics that already exist. */
    public static void provision(String bootstrapServers, short replicationFactor) {
        provision(bootstrapServers, Map.of(), replicationFactor);
    }

    /** The same as a principal that {@code security} (client settings without the bootstrap servers) authenticates. */
    public static void provision(String bootstrapServers, Map<String, ?> security, short replicationFactor) {
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            provision(admin, replicationFactor);
        }
    }

    static void provision(Admin admin, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = TOPICS.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, 1, replicationFactor).configs(FOREVER)).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            // Topics that an earlier registry created with its own defaults are corrected, not recreated.
            Collection<AlterConfigOp> forever = new ArrayList<>();
            FOREVER.forEach((name, value) -> forever.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
            Map<ConfigResource, Collection<AlterConfigOp>> changes = new java.util.HashMap<>();
            TOPICS.forEach(topic -> changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), forever));
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot provision the registry's journal topics " + TOPICS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while provisioning the registry's journal topics", e);
        }
    }
}

package org.homecoming.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What sets one instance of a service apart from another when the local stack runs several ({@code --instances=2}):
 * <ul>
 *   <li>its Kafka client id ({@code <module>-<n>}), so the brokers' logs and metrics tell the instances apart;</li>
 *   <li>its instance id ({@code homecoming.instance-id}, and roster's and transport's own): roster's transactional
 *       ids and transport's static group membership are made from it, and two live instances with one id would
 *       fence each other;</li>
 *   <li>its state: a temporary folder of its own (Kafka Streams' state, see {@link ServiceProcess}) and, for
 *       reunification, its own vault of wrapped contact-data keys. The key-encryption key is shared: it only wraps and
 *       is never written. The vault is not: each instance reads it into memory at start and writes a new key for an
 *       inquiry it does not hold, so two instances on one vault folder would overwrite each other's keys, and the
 *       contact data sealed with the lost key could not be opened again. Each instance therefore opens only the
 *       contact data sealed by itself; one vault for all instances needs a shared key service (future work).</li>
 * </ul>
 * A single instance gets none of this, and runs exactly as before. On a cluster every instance is also told the
 * topics' replication ({@code homecoming.kafka.topics.*}, see the platform's TopicProvisioning).
 */
final class ServiceInstances {

    private final Topology topology;
    private final Path dataDir;

    ServiceInstances(Topology topology, Path dataDir) {
        this.topology = topology;
        this.dataDir = dataDir;
    }

    List<String> arguments(String module, int instance, List<String> moduleArguments) {
        List<String> arguments = new ArrayList<>(moduleArguments);
        if (topology.brokers() > 1) {
            // the launcher has created the topics so already; a service that declares them says the same
            arguments.add("--homecoming.kafka.topics.replication-factor=" + topology.replicationFactor());
            arguments.add("--homecoming.kafka.topics.min-insync-replicas=" + topology.minInsyncReplicas());
        }
        if (topology.instances() == 1) {
            return arguments;
        }
        String id = module.replace("-service", "") + "-" + instance;
        arguments.add("--spring.kafka.client-id=" + module + "-" + instance);
        arguments.add("--homecoming.instance-id=" + id);
        switch (module) {
            case "roster-service" -> arguments.add("--homecoming.roster.instance-id=" + id);
            case "transport-service" -> arguments.add("--homecoming.transport.instance-id=" + id);
            default -> { }
        }
        return arguments;
    }

    /** Reunification's environment with the vault of instance {@code instance}: the first keeps the single instance's. */
    Map<String, String> reunificationEnvironment(int instance, Map<String, String> environment) {
        Map<String, String> own = new LinkedHashMap<>(environment);
        if (instance > 1) {
            own.put("REUNIFICATION_CONTACT_KEYS_VAULT",
                    dataDir.resolve("reunification-state-" + instance).resolve("contact-keys").toAbsolutePath().toString());
        }
        return own;
    }
}

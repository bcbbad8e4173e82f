package org.homecoming.localstack;

import java.util.ArrayList;
import java.util.List;

/**
 * What sets one instance of a service apart from another when the local stack runs several ({@code --instances=2}):
 * <ul>
 *   <li>its Kafka client id ({@code <module>-<n>}), so the brokers' logs and metrics tell the instances apart;</li>
 *   <li>its instance id ({@code homecoming.instance-id}, and roster's and transport's own): roster's transactional
 *       ids and transport's static group membership are made from it, and two live instances with one id would
 *       fence each other;</li>
 *   <li>its state: a temporary folder of its own (Kafka Streams' state, see {@link ServiceProcess}). Reunification's
 *       instances share one vault of wrapped contact-data keys and one key-encryption key, as instances on one host
 *       share a volume: any instance may deliver an alert sealed by another. The vault makes a key with a create-only
 *       link and reads keys and erasures that another instance wrote; across hosts it needs a shared key service.</li>
 * </ul>
 * A single instance gets none of this, and runs exactly as before. On a cluster every instance is also told the
 * topics' replication ({@code homecoming.kafka.topics.*}, see the platform's TopicProvisioning).
 */
final class ServiceInstances {

    private final Topology topology;
    ServiceInstances(Topology topology) {
        this.topology = topology;
    }

    List<String> arguments(String module, int instance, List<String> moduleArguments) {
        List<String> arguments = new ArrayList<>(moduleArguments);
        // Kept in the instance's own temporary folder on the data folder: an instance started while the identity
        // provider or the registry is away still checks tokens and reads its topics (SavedDocuments).
        arguments.add("--homecoming.identity.keys.saved-in=${java.io.tmpdir}/identity-keys");
        arguments.add("--homecoming.registry.answers-saved-in=${java.io.tmpdir}/registry-answers");
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
            case "transport-service" -> {
                arguments.add("--homecoming.transport.instance-id=" + id);
                // a copy of every trip on every instance: a bus query is answered whole wherever it lands
                arguments.add("--homecoming.transport.trip-copies=" + (topology.instances() - 1));
            }
            default -> { }
        }
        return arguments;
    }
}

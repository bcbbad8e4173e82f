package org.homecoming.localstack;

import java.util.List;
import java.util.stream.IntStream;

/**
 * How many Kafka nodes and how many instances of each service the local stack runs ({@code --brokers=N
 * --instances=M}), and where each listens. The default is one of each, on the ports the README names
 * (docs/running-locally.md gives the second instances' and the other nodes' ports).
 *
 * <ul>
 *   <li>Kafka node {@code n} (from 1) listens on {@code 9092 + 2(n-1)}, its controller on the port after it: 9092/9093,
 *       9094/9095, 9096/9097. Every node is broker and controller, so three nodes are a quorum of three voters.</li>
 *   <li>Instance {@code i} (from 1) of a service listens on its usual port plus {@code 200(i-1)}: roster 8081 and 8281,
 *       transport 8082 and 8282, reunification 8083 and 8283, the console 8080 and 8280.</li>
 *   <li>Three or more nodes replicate every topic three times and take a write only when two replicas have it
 *       ({@code min.insync.replicas=2}): one node may die without losing or refusing an acknowledged write.</li>
 * </ul>
 */
record Topology(int brokers, int instances) {

    static final Topology SINGLE = new Topology(1, 1);
    static final int INSTANCE_PORT_STEP = 200;

    Topology {
        if (brokers < 1 || brokers > 5) {
            throw new IllegalArgumentException("--brokers takes 1 to 5, not " + brokers);
        }
        if (instances < 1 || instances > 3) {
            throw new IllegalArgumentException("--instances takes 1 to 3, not " + instances);
        }
    }

    /** From the launcher's options {@code --brokers=N} and {@code --instances=M}; one of each when absent. */
    static Topology of(String brokers, String instances) {
        return new Topology(brokers == null ? 1 : Integer.parseInt(brokers), instances == null ? 1 : Integer.parseInt(instances));
    }

    boolean clustered() {
        return brokers > 1 || instances > 1;
    }

    short replicationFactor() {
        return (short) Math.min(brokers, 3);
    }

    /** Two of three replicas must have a write before it is acknowledged; a smaller cluster cannot ask for that. */
    int minInsyncReplicas() {
        return replicationFactor() >= 3 ? 2 : 1;
    }

    List<Integer> brokerPorts() {
        return IntStream.rangeClosed(1, brokers).mapToObj(node -> KafkaBrokerProcess.PORT + 2 * (node - 1)).toList();
    }

    List<Integer> controllerPorts() {
        return IntStream.rangeClosed(1, brokers).mapToObj(node -> KafkaBrokerProcess.CONTROLLER_PORT + 2 * (node - 1)).toList();
    }

    /** Instance {@code instance} (from 1) of a service whose first instance listens on {@code firstPort}. */
    static int port(int firstPort, int instance) {
        return firstPort + INSTANCE_PORT_STEP * (instance - 1);
    }

    /** Every instance's base URL of a service whose first instance listens on {@code firstPort}, comma-separated for {@link Api}. */
    String urls(int firstPort) {
        return String.join(",", IntStream.rangeClosed(1, instances).mapToObj(i -> "http://127.0.0.1:" + port(firstPort, i)).toList());
    }
}

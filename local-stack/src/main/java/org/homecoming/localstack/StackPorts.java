package org.homecoming.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed ports the local stack listens on, each with what listens there, checked free before anything starts. The
 * launcher learns that a child is ready when its port answers: a broker, registry, Keycloak or service left running by
 * a launcher stopped with {@code kill -9} would answer in its place, and the stack would report ready on processes it
 * did not start (and which use another data folder's, or a wiped folder's, data).
 */
final class StackPorts {

    private final Map<Integer, String> listeners;

    /** {@code listeners}: port to what listens there, in the order to report them. */
    StackPorts(Map<Integer, String> listeners) {
        this.listeners = new LinkedHashMap<>(listeners);
    }

    /**
     * Every port this launch will listen on: the Kafka nodes and their controllers, the registry, Keycloak, the mail
     * port (and the sink behind the relay of the fault-injection run, {@code mailRelay}) and every instance of each
     * service in {@code modules}.
     */
    static StackPorts of(Topology topology, List<String> modules, boolean mailRelay) {
        Map<Integer, String> listeners = new LinkedHashMap<>();
        for (int node = 1; node <= topology.brokers(); node++) {
            String kafka = topology.brokers() == 1 ? "Kafka" : "Kafka node " + node;
            listeners.put(topology.brokerPorts().get(node - 1), kafka);
            listeners.put(topology.controllerPorts().get(node - 1), kafka + " controller");
        }
        listeners.put(LocalStack.REGISTRY_PORT, "schema registry");
        listeners.put(LocalStack.IDENTITY_PORT, "Keycloak");
        listeners.put(LocalStack.SMTP_PORT, "mail sink");
        if (mailRelay) {
            listeners.put(LocalStack.SMTP_PORT + 1, "mail sink behind the relay");
        }
        for (int instance = 1; instance <= topology.instances(); instance++) {
            for (String module : modules) {
                listeners.put(Topology.port(LocalStack.firstPort(module), instance), instance == 1 ? module : module + "-" + instance);
            }
        }
        return new StackPorts(listeners);
    }

    Map<Integer, String> listeners() {
        return listeners;
    }

    /** The ports something else listens on now, each as {@code port N (what)}. */
    List<String> taken() {
        return listeners.entrySet().stream().filter(listener -> !free(listener.getKey()))
                .map(listener -> "port " + listener.getKey() + " (" + listener.getValue() + ")").toList();
    }

    /**
     * @throws IllegalStateException naming every taken port and what to do, if any is
     */
    void requireFree() {
        List<String> taken = taken();
        if (taken.isEmpty()) {
            return;
        }
        throw new IllegalStateException(String.join(", ", taken) + (taken.size() == 1 ? " is" : " are") + " taken: a stack"
                + " from an earlier run may still be running (a launcher stopped with kill -9 leaves its broker, registry,"
                + " Keycloak and services running). Stop it, or free the ports: `ss -ltnp` or `lsof -nP -iTCP -sTCP:LISTEN`"
                + " names the process on each.");
    }

    /**
     * Whether this process could listen on {@code port} on every address, as the services do: a listener on any one
     * address (the broker's 127.0.0.1) refuses that. Address reuse is on, so the connections of a stack stopped a
     * moment ago, still in TIME_WAIT, do not count.
     */
    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}

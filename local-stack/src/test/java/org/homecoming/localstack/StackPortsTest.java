package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StackPortsTest {

    @Test
    void shouldNameEveryPortSomethingElseListensOn() throws Exception {
        int free = freePort();
        try (ServerSocket orphanRoster = listenOnLoopback(); ServerSocket orphanBroker = listenOnLoopback()) {
            Map<Integer, String> listeners = new LinkedHashMap<>();
            listeners.put(orphanRoster.getLocalPort(), "roster-service");
            listeners.put(free, "transport-service");
            listeners.put(orphanBroker.getLocalPort(), "Kafka");
            StackPorts ports = new StackPorts(listeners);

            assertThatThrownBy(ports::requireFree)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("port " + orphanRoster.getLocalPort() + " (roster-service), port "
                            + orphanBroker.getLocalPort() + " (Kafka) are taken: a stack from an earlier run may still be running")
                    .hasMessageContaining("Stop it, or free the ports")
                    .hasMessageNotContaining(Integer.toString(free));
        }
    }

    @Test
    void shouldLetTheStackStartWhenItsPortsAreFree() throws Exception {
        StackPorts ports = new StackPorts(Map.of(freePort(), "roster-service"));

        assertThat(ports.taken()).isEmpty();
        ports.requireFree();
    }

    @Test
    void shouldCheckEveryPortTheDefaultStackListensOn() {
        StackPorts ports = StackPorts.of(Topology.SINGLE, LocalStack.ALL_SERVICES, false);

        assertThat(ports.listeners()).containsExactlyInAnyOrderEntriesOf(Map.of(
                9092, "Kafka", 9093, "Kafka controller", 8085, "schema registry", 8180, "Keycloak", 2525, "mail sink",
                8080, "ops-console", 8081, "roster-service", 8082, "transport-service", 8083, "reunification-service"));
    }

    @Test
    void shouldCheckEveryNodeAndInstanceOfAClusterAndTheMailRelay() {
        StackPorts ports = StackPorts.of(new Topology(3, 2), List.of("roster-service"), true);

        assertThat(ports.listeners()).containsKeys(9092, 9093, 9094, 9095, 9096, 9097, 2525, 2526, 8081, 8281)
                .containsEntry(9096, "Kafka node 3").containsEntry(8281, "roster-service-2");
    }

    @Test
    void shouldRefuseAServiceItDoesNotKnow() {
        assertThatThrownBy(() -> StackPorts.of(Topology.SINGLE, List.of("roster"), false))
                .hasMessageContaining("Unknown service roster");
    }

    private static ServerSocket listenOnLoopback() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

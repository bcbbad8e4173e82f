package org.homecoming.testkit;

/**
 * What every JVM that the tests and the local stack start as a child process is given: the registry and Keycloak here,
 * the local stack's Kafka nodes and services there.
 */
public final class ChildJvm {

    /**
     * Out of memory, the JVM exits (as the services' Docker image does): a child that lived on after an
     * OutOfMemoryError could have lost its consumer, request or replication threads, and would look alive to
     * {@code ps} and to its parent's watch while it served nothing.
     */
    public static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    private ChildJvm() {
    }
}

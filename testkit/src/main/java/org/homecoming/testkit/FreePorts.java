package org.homecoming.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the processes a test or benchmark starts (a broker, the registry, Keycloak, a mail relay), which bind them
 * seconds after they are chosen.
 *
 * <p>Not a port the system hands out ({@code new ServerSocket(0)}): those come from the ephemeral range, from which every
 * outgoing connection of the machine takes its local port too, and in the seconds before the process binds it one of
 * them did ("Address already in use", a broker of {@code BrokerClusterTest} in a full build). These lie below every
 * usual ephemeral range (Linux 32768-60999, Windows and macOS 49152-65535), are free when chosen, and are never given
 * twice by this JVM.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> given = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port nothing listens on now, not given before by this JVM. */
    public static int next() {
        for (int tries = 0; tries < 1_000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
            if (given.add(port) && bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + LOWEST + " and " + HIGHEST);
    }

    /** Bound on every address, so a listener on any one of them (the loopback's, say) makes it taken. */
    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

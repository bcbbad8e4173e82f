package org.homecoming.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>Nor twice by two JVMs of one build: the build runs several test JVMs at once (two modules side by side, each
 * perhaps in two JVMs), and each picks its registry's port when it starts. The registry binds only after it has
 * replayed its journal, up to minutes later, so the port was still free when the other JVM picked it; that JVM's
 * readiness check then got its 200 from the wrong registry. A port is therefore also claimed by a lock on a file named
 * after it in {@code homecoming.test.ports} (the build's {@code target/test-ports}), held until the JVM ends; the
 * operating system lets the lock go even when the JVM is killed.
 */
public final class FreePorts {

    /** The folder shared by the build's test JVMs; unset (a benchmark run on its own), ports are claimed in this JVM only. */
    public static final String CLAIMS_PROPERTY = "homecoming.test.ports";

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> given = ConcurrentHashMap.newKeySet();
    /** Kept open until the JVM ends: closing the channel would let the claim go. */
    private static final List<FileLock> claims = new CopyOnWriteArrayList<>();

    private FreePorts() {
    }

    /** A port nothing listens on now, not given before by this JVM nor claimed by another of the build's JVMs. */
    public static int next() {
        return next(LOWEST, HIGHEST);
    }

    static int next(int lowest, int highest) {
        for (int tries = 0; tries < 1_000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(lowest, highest + 1);
            if (given.add(port) && claimed(port) && bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + lowest + " and " + highest);
    }

    private static boolean claimed(int port) {
        String folder = System.getProperty(CLAIMS_PROPERTY);
        if (folder == null || folder.isBlank()) {
            return true;
        }
        try {
            Path claimsFolder = Files.createDirectories(Path.of(folder));
            FileChannel channel = FileChannel.open(claimsFolder.resolve(port + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return false;
            }
            claims.add(lock);
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("Could not claim port " + port + " in " + folder, e);
        }
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

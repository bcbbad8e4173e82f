package org.homecoming.transport.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.homecoming.platform.state.Durable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties the Kafka Streams state directory to the Kafka cluster whose changelogs it caches. Kafka Streams trusts a
 * local store and its checkpoint: after the broker's data is wiped (or the service points at another cluster)
 * while the state directory stays, a checkpoint can lie below the new changelog's end, and the trip store would
 * then serve trips that no topic holds any more. So the directory records the cluster id it was built from; a
 * directory built from another cluster, or from an unknown one, is deleted before the stream processor starts,
 * and Kafka Streams restores it from the changelogs. (A checkpoint beyond a changelog's end on the same cluster
 * Kafka Streams detects itself: it marks the task corrupted and restores it.)
 */
final class StateDirectoryClaim {

    static final String MARKER = "kafka-cluster-id";
    private static final Logger log = LoggerFactory.getLogger(StateDirectoryClaim.class);

    private StateDirectoryClaim() {
    }

    /**
     * Makes {@code stateDir} belong to {@code clusterId}.
     *
     * @return whether state built from another cluster was deleted
     */
    static boolean claim(Path stateDir, String clusterId) {
        try {
            Optional<String> recorded = Files.isRegularFile(stateDir.resolve(MARKER))
                    ? Optional.of(Files.readString(stateDir.resolve(MARKER), StandardCharsets.UTF_8).trim())
                    : Optional.empty();
            boolean wiped = false;
            if (recorded.filter(clusterId::equals).isEmpty() && holdsState(stateDir)) {
                log.warn("Kafka Streams state in {} was built from cluster {}, not from this cluster {}: deleting it, the"
                        + " stores are restored from their changelogs", stateDir, recorded.orElse("(unknown)"), clusterId);
                deleteContents(stateDir);
                wiped = true;
            }
            Files.createDirectories(stateDir);
            if (recorded.filter(clusterId::equals).isEmpty()) {
                // atomically (temporary file, rename): a crash or a full disk while writing left an empty marker, read
                // at the next start as "another cluster's state", and the whole trip store was deleted and restored
                Durable.write(stateDir.resolve(MARKER), clusterId.getBytes(StandardCharsets.UTF_8));
            }
            return wiped;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check the Kafka Streams state directory " + stateDir, e);
        }
    }

    private static boolean holdsState(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            return false;
        }
        try (Stream<Path> children = Files.list(stateDir)) {
            return children.anyMatch(child -> !child.getFileName().toString().equals(MARKER));
        }
    }

    private static void deleteContents(Path stateDir) throws IOException {
        try (Stream<Path> paths = Files.walk(stateDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(stateDir)) {
                    Files.delete(path);
                }
            }
        }
    }
}

package org.homecoming.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.homecoming.testkit.FreePorts;

/** The local stack's three-node cluster ({@code --brokers=3}) as real processes on free ports, for a test class of its own. */
final class ThreeKraftNodes {

    private ThreeKraftNodes() {
    }

    /** Three KRaft nodes started in {@code target/<folder>}, emptied first (a killed run's data would be read again). */
    static KafkaBrokerProcess start(String folder) throws Exception {
        Path dataDir = Path.of("target", folder).toAbsolutePath();
        deleteRecursively(dataDir);
        List<Integer> ports = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            ports.add(FreePorts.next());
            controllerPorts.add(FreePorts.next());
        }
        return KafkaBrokerProcess.start(dataDir, dataDir.resolve("logs"), ports, controllerPorts, Duration.ofSeconds(240));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

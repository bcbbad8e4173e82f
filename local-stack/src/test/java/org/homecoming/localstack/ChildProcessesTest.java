package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChildProcessesTest {

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 3})
    void shouldLetAKafkaNodeThatRunsOutOfMemoryExitInsteadOfLimping(int nodes) {
        List<String> command = ChildProcesses.command(KafkaBrokerProcess.nodeArguments(nodes, Path.of("/data/server.properties")));

        // a JVM option only counts before the main class; after it, it is one of Kafka's arguments
        assertThat(command).contains("-XX:+ExitOnOutOfMemoryError", "kafka.Kafka");
        assertThat(command.indexOf("-XX:+ExitOnOutOfMemoryError"))
                .as("the flag is given to the JVM, before the main class: %s", command)
                .isLessThan(command.indexOf("kafka.Kafka"));
    }

    @Test
    void shouldKeepAKafkaNodesMainClassWithinWhatTheSystemShowsOfItsCommandLine() {
        // ProcessHandle reads the first 4 KiB of /proc/<pid>/cmdline; the launcher's class path alone is longer, so it
        // goes to the node in the environment, and the next launcher still recognises a node left running
        String commandLine = String.join(" ", ChildProcesses.command(KafkaBrokerProcess.nodeArguments(3, Path.of("/data/server-3.properties"))));

        assertThat(commandLine).hasSizeLessThan(4096).contains("kafka.Kafka").doesNotContain(System.getProperty("java.class.path"));
    }
}

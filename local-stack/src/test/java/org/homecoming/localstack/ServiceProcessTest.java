package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void shouldLetAServiceThatRunsOutOfMemoryExitAsTheDockerImageDoes() {
        List<String> command = ChildProcesses.command(ServiceProcess.jvmOptions("roster-service", Path.of("/data")));

        assertThat(command).contains("-XX:+ExitOnOutOfMemoryError", "-Xmx512m", "-Djava.io.tmpdir=/data/tmp/roster-service");
        // exactly once: the services had it among their own options before every child got it
        assertThat(command).filteredOn("-XX:+ExitOnOutOfMemoryError"::equals).hasSize(1);
    }
}

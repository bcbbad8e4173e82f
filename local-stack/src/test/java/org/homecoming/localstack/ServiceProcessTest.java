package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void shouldLetAServiceThatRunsOutOfMemoryExitAsTheDockerImageDoes() {
        assertThat(ServiceProcess.jvmOptions("roster-service", Path.of("/data")))
                .contains("-XX:+ExitOnOutOfMemoryError", "-Xmx512m", "-Djava.io.tmpdir=/data/tmp/roster-service");
    }
}

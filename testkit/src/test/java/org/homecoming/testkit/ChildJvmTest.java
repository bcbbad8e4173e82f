package org.homecoming.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChildJvmTest {

    @Test
    void shouldLetARegistryThatRunsOutOfMemoryExitInsteadOfLimping() {
        Path runner = Path.of("/opt/registry/apicurio-registry-app-3.0.9-runner.jar");

        List<String> command = RegistryProcess.command(runner, 8085, "127.0.0.1:9092", Path.of("/data/registry-kafka.properties"),
                new RegistryProcess.Authentication("http://127.0.0.1:8180/realms/homecoming"));

        assertThat(command).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(command.indexOf("-XX:+ExitOnOutOfMemoryError"))
                .as("the flag is given to the JVM, before the jar: %s", command)
                .isLessThan(command.indexOf("-jar"));
    }

    @Test
    void shouldLetKeycloakThatRunsOutOfMemoryExitEvenWhenTheEnvironmentReplacesKcShsOptions() {
        // kc.sh adds JAVA_OPTS_APPEND to JAVA_OPTS whether that came from its defaults or from the environment
        assertThat(KeycloakProcess.javaOptions().get("JAVA_OPTS_APPEND").split(" ")).contains("-XX:+ExitOnOutOfMemoryError");
    }
}

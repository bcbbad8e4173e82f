package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChildWatchTest {

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final ChildWatch watch = new ChildWatch(new PrintStream(printed, true, StandardCharsets.UTF_8));

    @Test
    void shouldSayWhichProcessStoppedOnItsOwnAndWhereItsLogIs() throws Exception {
        // given a child of the stack that dies after the stack is ready
        Process child = new ProcessBuilder(List.of("sleep", "0.2")).start();
        watch.watch("reunification-service", child.pid(), Path.of("logs", "reunification-service.log"));

        // then the operator is told which, and where to look
        await().atMost(Duration.ofSeconds(10)).until(() -> printed.toString(StandardCharsets.UTF_8).contains("stopped on its own"));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("reunification-service (pid " + child.pid() + ")")
                .contains("reunification-service.log");
    }

    @Test
    void shouldSayNothingOfChildrenTheLauncherStops() throws Exception {
        // given a watched child, and the launcher stopping everything
        Process child = new ProcessBuilder(List.of("sleep", "30")).start();
        watch.watch("Kafka", child.pid(), Path.of("logs", "kafka.log"));
        watch.stopping();

        // when the launcher stops it
        child.destroy();
        child.waitFor();

        // then nothing is reported, then or in the moment after
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty());
    }
}

package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StartCheckTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private Process otherLauncher;

    @AfterEach
    void stopOtherLauncher() throws Exception {
        if (otherLauncher != null) {
            otherLauncher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseBeforeTheBuildWhileAnotherLauncherHoldsTheDataFolder() throws Exception {
        // given a launcher running on the folder
        Path folder = root.resolve("stack");
        otherLauncher = DataFolderHolder.hold(folder);

        // when the next start is checked
        int status = StartCheck.check(folder, new StackPorts(Map.of()), err);

        // then it is refused with the launcher's own message
        assertThat(status).isEqualTo(StartCheck.REFUSED);
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("The local stack did not start: another local stack (pid "
                + otherLauncher.pid() + ") uses " + folder + ": stop it first" + System.lineSeparator());
    }

    @Test
    void shouldRefuseBeforeTheBuildWhileAPortOfTheStackIsTakenAndLeaveTheFolderFree() throws Exception {
        Path folder = root.resolve("stack");
        try (ServerSocket leftBroker = new ServerSocket(0)) {
            int status = StartCheck.check(folder, new StackPorts(Map.of(leftBroker.getLocalPort(), "Kafka")), err);

            assertThat(status).isEqualTo(StartCheck.REFUSED);
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .startsWith("The local stack did not start: port " + leftBroker.getLocalPort() + " (Kafka) is taken");
        }
        DataFolder.claim(folder).close();
    }

    @Test
    void shouldLetTheBuildGoOnWhenTheFolderAndThePortsAreFreeAndLeaveThemFree() throws Exception {
        Path folder = root.resolve("stack");

        int status = StartCheck.check(folder, new StackPorts(Map.of(freePort(), "roster-service")), err);

        assertThat(status).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        // the launcher that runs after the build takes the folder for itself
        DataFolder.claim(folder).close();
    }

    @Test
    void shouldRefuseAServiceTheLauncherDoesNotKnow() {
        int status = StartCheck.check(root.resolve("stack"), new String[] {"--services=roster"}, err);

        assertThat(status).isEqualTo(StartCheck.REFUSED);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Unknown service roster");
    }

    @Test
    void shouldCheckTheDataFolderAndThePortsTheLauncherWouldUseWithTheSameArguments() {
        String[] args = {"--data-dir=target/cluster", "--brokers=3", "--instances=2", "--services=roster-service", "--wipe"};

        assertThat(LocalStack.dataDir(root, args)).isEqualTo(root.resolve("target").resolve("cluster"));
        assertThat(LocalStack.ports(args).listeners()).containsEntry(9096, "Kafka node 3")
                .containsEntry(8281, "roster-service-2").doesNotContainKey(8083);
    }

    @Test
    void shouldExitWithTheRefusalAsItsOwnProcessAsRunLocalStackRunsIt() throws Exception {
        // given a launcher running on <root>/stack
        otherLauncher = DataFolderHolder.hold(root.resolve("stack"));

        // when run-local-stack checks a start on that folder before building (the folder is checked before the ports,
        // so the stack's real ports do not matter here)
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dhomecoming.root=" + root, StartCheck.class.getName(), "--data-dir=stack", "--no-scenario")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process check = builder.start();
        String message = new String(check.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        // then it exits with the code the script stops on, and says why
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("exit code; it printed: %s", message).isEqualTo(StartCheck.REFUSED);
        assertThat(message).startsWith("The local stack did not start: another local stack (pid " + otherLauncher.pid() + ")");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.homecoming.localstack.RecordedChildren.Child;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RecordedChildrenTest {

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldReadBackEveryChildAsItWasRecorded() {
        // given a launcher that recorded two children as they started
        RecordedChildren launcher = RecordedChildren.in(dataDir);
        launcher.record("Kafka node 2", 4242, "kafka.Kafka");
        launcher.record("roster-service", 4343, "roster-service-0.1.0-SNAPSHOT-exec.jar");

        // then the next start reads them from the data folder
        assertThat(RecordedChildren.in(dataDir).recorded()).containsExactly(
                new Child(4242, "Kafka node 2", "kafka.Kafka"),
                new Child(4343, "roster-service", "roster-service-0.1.0-SNAPSHOT-exec.jar"));
    }

    @Test
    void shouldDropAChildThatHasEnded() throws Exception {
        // given a recorded child JVM, found while it runs
        Process child = startChildJvm();
        RecordedChildren children = RecordedChildren.in(dataDir);
        children.record("Kafka", child.pid(), StandInChild.class.getName());
        assertThat(children.stillRunning()).extracting(Child::pid).containsExactly(child.pid());

        // when it ends
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        // then it is no longer named
        assertThat(children.stillRunning()).isEmpty();
        assertThat(children.stillRunningNote()).isEmpty();
    }

    @Test
    void shouldEndAChildStillStartingWhenTheLauncherStopsAndNeverAStranger() throws Exception {
        // given a child still starting when Ctrl-C came (recorded, never handed over to be stopped), and a recorded pid
        // the system has given to a stranger since
        Process starting = startChildJvm();
        Process stranger = start(new ProcessBuilder("sleep", "30"));
        RecordedChildren children = RecordedChildren.in(dataDir);
        children.record("The schema registry", starting.pid(), StandInChild.class.getName());
        children.record("Kafka", stranger.pid(), "kafka.Kafka");

        // when the launcher's stop takes its last step
        List<Child> ended = children.endStillRunningAndForget(Duration.ofSeconds(10));

        // then the child is ended and named, the stranger left alone, and nothing is left to name
        assertThat(ended).extracting(Child::pid).containsExactly(starting.pid());
        assertThat(starting.waitFor(10, TimeUnit.SECONDS)).as("the child ended").isTrue();
        assertThat(stranger.isAlive()).as("the stranger").isTrue();
        assertThat(children.recorded()).isEmpty();
    }

    @Test
    void shouldDropALiveProcessThatIsNotTheChildRecordedUnderItsPid() throws Exception {
        // given a recorded pid that the system has given to a stranger since (here: not a Kafka node at all)
        Process stranger = start(new ProcessBuilder("sleep", "30"));
        RecordedChildren children = RecordedChildren.in(dataDir);
        children.record("Kafka", stranger.pid(), "kafka.Kafka");

        // then it is alive, but not ours: nobody is told to kill it
        assertThat(stranger.isAlive()).isTrue();
        assertThat(children.stillRunning()).isEmpty();
    }

    @Test
    void shouldNameEveryChildStillRunningWhenAPortIsTakenWithTheKillThatStopsThem() throws Exception {
        // given a launcher killed with kill -9: its recorded children are one still running, one that ended since, and
        // a pid that a stranger has now
        Process child = startChildJvm();
        Process ended = startChildJvm();
        ended.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Process stranger = start(new ProcessBuilder("sleep", "30"));
        RecordedChildren launcher = RecordedChildren.in(dataDir);
        launcher.record("Kafka", child.pid(), StandInChild.class.getName());
        launcher.record("schema registry", ended.pid(), StandInChild.class.getName());
        launcher.record("Keycloak", stranger.pid(), "/opt/keycloak");

        try (ServerSocket leftBroker = new ServerSocket(0)) {
            // when the next launcher finds the child's port taken
            StackPorts ports = new StackPorts(Map.of(leftBroker.getLocalPort(), "Kafka"));
            RuntimeException refused = refusedStart(ports);

            // then its refusal names the child still running, and only it, with the command that stops it
            assertThat(LocalStack.refusal(dataDir, refused))
                    .startsWith("The local stack did not start: port " + leftBroker.getLocalPort() + " (Kafka) is taken")
                    .contains("Started by a launcher on " + dataDir + " and still running: Kafka (pid " + child.pid() + ").")
                    .doesNotContain("(pid " + ended.pid() + ")", "(pid " + stranger.pid() + ")")
                    .endsWith(System.lineSeparator() + "  kill " + child.pid());
        }
    }

    @Test
    void shouldNameEveryLiveChildInOneKillWhenAnotherLauncherHoldsTheFolder() throws Exception {
        // given a launcher that holds the folder and has started two children
        Process launcher = DataFolderHolder.hold(dataDir);
        processes.add(launcher);
        Process broker = startChildJvm();
        Process roster = startChildJvm();
        RecordedChildren children = RecordedChildren.in(dataDir);
        children.record("Kafka", broker.pid(), StandInChild.class.getName());
        children.record("roster-service", roster.pid(), StandInChild.class.getName());

        // when a second launcher tries the folder
        RuntimeException refused = refusedStart(new StackPorts(Map.of()));

        // then it is told whose folder it is, and which processes run from it
        assertThat(LocalStack.refusal(dataDir, refused))
                .contains("another local stack (pid " + launcher.pid() + ")")
                .contains("Kafka (pid " + broker.pid() + "), roster-service (pid " + roster.pid() + ")")
                .endsWith("kill " + broker.pid() + " " + roster.pid());
    }

    @Test
    void shouldNameNothingOnceTheLauncherStoppedCleanly() throws Exception {
        // given a launcher whose child still runs
        Process child = startChildJvm();
        RecordedChildren children = RecordedChildren.in(dataDir);
        children.record("Kafka", child.pid(), StandInChild.class.getName());

        // when it stops cleanly (its children stopped first)
        children.forget();

        // then nothing is left to name
        assertThat(RecordedChildren.in(dataDir).recorded()).isEmpty();
        assertThat(RecordedChildren.in(dataDir).stillRunningNote()).isEmpty();
    }

    private RuntimeException refusedStart(StackPorts ports) {
        RuntimeException[] refused = new RuntimeException[1];
        assertThatThrownBy(() -> LocalStack.takeDataFolder(dataDir, ports, false))
                .isInstanceOfSatisfying(IllegalStateException.class, e -> refused[0] = e);
        return refused[0];
    }

    /**
     * A real JVM, as the launcher's children are, that runs until it is killed or its input closes. Its class path is in
     * its environment, as a Kafka node's is: on the command line, this test's would push the main class out of the part
     * that the system shows.
     */
    private Process startChildJvm() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                StandInChild.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process child = start(builder);
        String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the stand-in child started").isEqualTo("running");
        return child;
    }

    private Process start(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** The stand-in for a child of the launcher: says it runs, then waits until its input closes. */
    static final class StandInChild {

        public static void main(String[] args) throws Exception {
            System.out.println("running");
            System.out.flush();
            while (System.in.read() != -1) {
                // runs until the test ends it
            }
        }
    }
}

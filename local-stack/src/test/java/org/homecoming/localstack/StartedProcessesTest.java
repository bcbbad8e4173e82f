package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartedProcessesTest {

    final StartedProcesses started = new StartedProcesses();
    final List<String> stopped = new CopyOnWriteArrayList<>();
    /**
     * Threads of this test's own: the supervisor and the Ctrl-C thread block, and on the common pool they queued behind
     * tasks other test classes of the same JVM left blocked (CI saw the stop never run).
     */
    final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void endThreads() {
        threads.shutdownNow();
    }

    @Test
    void shouldStopWhatWasStartedTheLastFirst() {
        // given the broker, the registry and a service started in that order
        started.push(process("broker"));
        started.push(process("registry"));
        started.push(process("roster-service"));

        // when the launcher stops
        started.stopAll();

        // then the service stops first and the broker last
        assertThat(stopped).containsExactly("roster-service", "registry", "broker");
    }

    @Test
    void shouldStopABrokerWhoseRestartWasUnderWayWhenCtrlCCame() throws Exception {
        // given a supervisor starting the broker again after a kill, the broker not ready yet
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<Optional<AutoCloseable>> restart = CompletableFuture.supplyAsync(() -> {
            try {
                return started.restart(() -> {
                    starting.countDown();
                    ready.await(10, TimeUnit.SECONDS);
                    return process("broker (restarted)");
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();

        // when Ctrl-C stops everything, and the broker becomes ready meanwhile
        CompletableFuture<Void> stop = CompletableFuture.runAsync(started::stopAll, threads);
        await().atMost(Duration.ofSeconds(10)).until(started::stopping);
        ready.countDown();
        stop.get(10, TimeUnit.SECONDS);

        // then the restarted broker is stopped before the launcher is done, and the supervisor is told not to go on
        assertThat(stopped).containsExactly("broker (restarted)");
        assertThat(restart.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void shouldStartNothingAgainOnceTheLauncherIsStopping() throws Exception {
        // given the launcher stopping
        started.stopAll();

        // when a supervisor sees its process gone (the launcher stopped it) and would start it again
        AtomicBoolean startedAgain = new AtomicBoolean();
        Optional<AutoCloseable> restarted = started.restart(() -> {
            startedAgain.set(true);
            return process("transport-service (restarted)");
        });

        // then nothing is started
        assertThat(startedAgain).isFalse();
        assertThat(restarted).isEmpty();
    }

    @Test
    void shouldStopAtOnceAProcessStartedAfterStoppingBegan() {
        // given Ctrl-C during the start-up: the launcher stops what it started so far
        started.push(process("broker"));
        started.stopAll();

        // when the start-up goes on and starts Keycloak
        started.push(process("Keycloak"));

        // then Keycloak is stopped at once
        assertThat(stopped).containsExactly("broker", "Keycloak");
    }

    @Test
    void shouldNotHangCtrlCOnARestartThatDoesNotFinishAndStopItWhenItDoes() throws Exception {
        // given a registry being started again, waiting for a broker that will not come back
        StartedProcesses stack = new StartedProcesses(Duration.ofMillis(300));
        stack.push(process("broker"));
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<Optional<AutoCloseable>> restart = CompletableFuture.supplyAsync(() -> {
            try {
                return stack.restart(() -> {
                    starting.countDown();
                    ready.await(10, TimeUnit.SECONDS);
                    return process("registry (restarted)");
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();

        // when Ctrl-C comes: the stop does not wait for that start longer than its bound
        CompletableFuture.runAsync(stack::stopAll, threads).get(5, TimeUnit.SECONDS);
        assertThat(stopped).containsExactly("broker");

        // and when the registry is ready after all, it is stopped, and its supervisor told not to go on
        ready.countDown();
        assertThat(restart.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(stopped).containsExactly("broker", "registry (restarted)");
    }

    private AutoCloseable process(String name) {
        return () -> stopped.add(name);
    }
}

package org.homecoming.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.homecoming.testkit.ChildJvm;

/** Starts JVM child processes with their output in a log file, and stops them without leaving orphans. */
final class ChildProcesses {

    /**
     * The JIT of every child JVM: the client compiler only. The local stack starts a broker, a registry, an identity
     * provider and four services at once, often on two cores, and at start-up the optimising compiler's threads compete
     * with all of them for the cores: without it the stack took about 40 % less CPU to become ready (measured with
     * {@code ps} CPU times, 2026-12-01: the services 84 → 48 CPU-seconds, the broker 19 → 10). Peak throughput is
     * lower, which a demonstration and the fault-injection runs do not need; {@code --full-jit} keeps the JVM's default
     * for a load test against the stack (the benchmarks start their own processes and are not affected).
     */
    private static volatile List<String> jit = List.of("-XX:TieredStopAtLevel=1");

    private ChildProcesses() {
    }

    /** Children start with the JVM's default JIT (both compilers): {@code --full-jit}. */
    static void keepFullJit() {
        jit = List.of();
    }

    static Process java(List<String> args, Path log) throws IOException {
        return java(args, Map.of(), log);
    }

    /** {@code environment} is added to this process' own; secrets go there, never into {@code args} (ps shows those). */
    static Process java(List<String> args, Map<String, String> environment, Path log) throws IOException {
        List<String> command = command(args);
        Files.createDirectories(log.getParent());
        // appended: a process started again on the same data folder (a restart, the fault run's supervisor) does not
        // wipe the log of the one before it, which says why it stopped or what it answered
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * The command line of a child JVM: the options every child gets, then {@code args} (its own options, its main class
     * or jar and its arguments). Every child exits when it runs out of memory ({@link ChildJvm#EXIT_ON_OUT_OF_MEMORY}).
     */
    static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jit);
        command.add(ChildJvm.EXIT_ON_OUT_OF_MEMORY);
        command.addAll(args);
        return command;
    }

    /**
     * SIGTERM first so the JVM runs its shutdown hooks (Kafka flushes, consumers leave), then SIGKILL.
     *
     * @return whether the process ended within {@code grace} (or had ended already), not killed
     */
    static boolean stop(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package org.homecoming.localstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says at once which of the stack's processes stopped on its own once the stack is ready: a broker whose disk filled,
 * a service that ran out of memory (every child exits then, {@code -XX:+ExitOnOutOfMemoryError}), Keycloak or the
 * registry killed by the system. Without it the launcher went on saying "The stack keeps running" over a stack that
 * was no longer whole, and the first sign was a dashboard that stopped moving.
 */
final class ChildWatch {

    private final PrintStream out;
    private final AtomicBoolean stopping = new AtomicBoolean();

    ChildWatch(PrintStream out) {
        this.out = out;
    }

    /** Reports {@code name}'s end, unless the launcher is stopping everything (then each child ends on purpose). */
    void watch(String name, long pid, Path log) {
        ProcessHandle.of(pid).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> stopped(name, pid, log)),
                () -> stopped(name, pid, log));
    }

    /** From now on the children end because the launcher stops them: nothing to report. */
    void stopping() {
        stopping.set(true);
    }

    private void stopped(String name, long pid, Path log) {
        if (stopping.get()) {
            return;
        }
        out.printf("%n%s (pid %d) stopped on its own: the stack is no longer whole. Its log: %s. Stop the stack with"
                + " Ctrl-C and start it again with the same data folder: nothing committed is lost.%n", name, pid, log);
    }
}

package org.homecoming.testkit;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Waits for a child process (the registry, the identity provider) to answer an HTTP readiness probe with 200. */
final class ChildReadiness {

    private ChildReadiness() {
    }

    /**
     * Polls {@code probe} until it answers 200. Fails at once if the process exits, and after {@code timeout} calls
     * {@code stop} and fails; both failures name the log to read.
     */
    static void awaitOk(Process process, HttpClient http, HttpRequest probe, Duration pollEvery, Duration timeout,
                        String what, Path log, Runnable stop) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting: a refused connection answers at once, so this waits as a wrong answer does (without
                // the pause it polled in a tight loop and took a core from the processes it waited for)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(pollEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stop.run();
        throw new IllegalStateException(what + " was not ready within " + timeout + "; see " + log);
    }
}
